import type { AgentKind, NotifyByType, NotifyEventType, TradingEvent, UserSettings } from '@tradewire/contract';
import { describeForToast } from '../hooks/toast-summary';

/** Where notifications go: the browser's sound and Notification API in the app, recorders in tests. */
export interface NotifySink {
  beep(): void;
  /** Whether desktop notifications may be shown now (permission granted). */
  desktopAllowed(): boolean;
  showDesktop(title: string, body: string): void;
}

export interface NotifierOptions {
  settings: () => UserSettings['notifications'];
  modelName: (id: number | null) => string;
  /** The model's agent kind, which words the body ("SMA crossover buys…"); unknown when omitted. */
  agentKind?: (id: number | null) => AgentKind | null;
  now: () => number;
  /** Returns a function that cancels the call. */
  setTimeout: (fn: () => void, ms: number) => () => void;
  /** Events closer together than this are one burst: one beep, one desktop notification. */
  windowMs?: number;
}

const NOUNS: Record<NotifyEventType, [string, string]> = {
  trade: ['trade', 'trades'],
  status: ['status change', 'status changes'],
  session_complete: ['finished session', 'finished sessions'],
  complete: ['completed run', 'completed runs'],
  error: ['error', 'errors'],
};

const isNotifyType = (type: string): type is NotifyEventType => type in NOUNS;

/** The title and body of one event's notification, or null when it is not worth one (a hold). */
export function describeForNotification(e: TradingEvent, modelName: string, kind?: AgentKind | null): { title: string; body: string } | null {
  if (e.type === 'trade' || e.type === 'complete' || e.type === 'error') {
    const n = describeForToast(e, modelName, kind);
    return n && { title: n.title, body: n.description ?? '' };
  }
  if (e.type === 'status' || e.type === 'session_complete') return { title: `${modelName}: ${e.data.message}`, body: '' };
  return null;
}

const enabledIn = (byType: NotifyByType, e: TradingEvent) => isNotifyType(e.type) && byType[e.type];

/**
 * Turns stream deliveries into sounds and desktop notifications for the event types the user
 * chose. A burst gets one beep and one notification: the first event alone if it comes after a
 * quiet spell, then one summary of everything else at the end of the window.
 */
export function createNotifier(sink: NotifySink, opts: NotifierOptions) {
  const windowMs = opts.windowMs ?? 3_000;
  let lastBeepAt = -Infinity;
  let lastShownAt = -Infinity;
  let pending: { type: NotifyEventType; title: string; body: string }[] = [];
  let cancelFlush: (() => void) | null = null;

  const show = (items: typeof pending) => {
    lastShownAt = opts.now();
    if (items.length === 1) return sink.showDesktop(items[0]!.title, items[0]!.body);
    const counts = new Map<NotifyEventType, number>();
    for (const i of items) counts.set(i.type, (counts.get(i.type) ?? 0) + 1);
    const parts = [...counts].map(([type, n]) => `${n} ${NOUNS[type][n === 1 ? 0 : 1]}`);
    sink.showDesktop(`Tradewire: ${parts.join(', ')}`, items.map((i) => i.title).slice(-3).join('\n'));
  };

  const flush = () => {
    cancelFlush = null;
    const items = pending;
    pending = [];
    if (items.length > 0 && sink.desktopAllowed()) show(items);
  };

  return {
    handle(events: readonly TradingEvent[]) {
      const { sound, desktop } = opts.settings();
      const now = opts.now();
      if (events.some((e) => enabledIn(sound, e) && describeForNotification(e, '') !== null) && now - lastBeepAt >= windowMs) {
        lastBeepAt = now;
        sink.beep();
      }
      if (!sink.desktopAllowed()) return;
      for (const e of events) {
        if (!enabledIn(desktop, e)) continue;
        const d = describeForNotification(e, opts.modelName(e.model_id), opts.agentKind?.(e.model_id));
        if (d) pending.push({ type: e.type as NotifyEventType, ...d });
      }
      if (pending.length === 0 || cancelFlush) return;
      if (pending.length === 1 && now - lastShownAt >= windowMs) return flush();
      cancelFlush = opts.setTimeout(flush, Math.max(0, lastShownAt + windowMs - now));
    },
    dispose() {
      cancelFlush?.();
      cancelFlush = null;
      pending = [];
    },
  };
}

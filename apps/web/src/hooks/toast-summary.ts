import type { AgentKind, TradingEvent } from '@tradewire/contract';
import { describeEvent } from '../lib/event-text';
import { formatMoney, formatPct, formatQuantity } from '../lib/format';

export type ToastKind = 'info' | 'success' | 'warning' | 'error';

export interface ToastRequest {
  id: string;
  kind: ToastKind;
  title: string;
  description?: string;
  duration: number;
}

/** Where toasts go: sonner in the app, a recorder in tests. */
export interface ToastSink {
  show(t: ToastRequest): void;
  dismiss(id: string): void;
}

export const TOAST_DURATION: Record<ToastKind, number> = { info: 3_000, warning: 4_000, success: 5_000, error: 8_000 };

type Notable = { kind: ToastKind; noun: 'trade' | 'completed run' | 'error'; title: string; description?: string };

/** What a user is told about an event, or null when it only belongs in the activity feed; `kind` words the detail. */
export function describeForToast(e: TradingEvent, modelName: string, kind?: AgentKind | null): Notable | null {
  switch (e.type) {
    case 'trade': {
      const d = e.data;
      if (d.action === 'hold') return null;
      const action = d.action.toUpperCase();
      if (d.status === 'rejected') {
        return { kind: 'warning', noun: 'trade', title: `${modelName}: ${action} ${d.symbol ?? ''} rejected`, description: describeEvent(e, kind) };
      }
      return {
        kind: 'info',
        noun: 'trade',
        title: `${modelName}: ${action} ${formatQuantity(d.quantity)} ${d.symbol ?? ''} @ ${formatMoney(d.price)}`,
        description: describeEvent(e, kind),
      };
    }
    case 'complete': {
      const { status, metrics } = e.data;
      const ret = metrics ? ` · ${formatPct(metrics.total_return_pct)}` : '';
      if (status === 'failed') return { kind: 'error', noun: 'error', title: `${modelName}: Trading failed`, description: e.data.message };
      const title = status === 'completed' ? 'Trading completed' : `Trading ${status}`;
      return { kind: 'success', noun: 'completed run', title: `${modelName}: ${title}${ret}`, description: e.data.message };
    }
    case 'error':
      return { kind: 'error', noun: 'error', title: `${modelName}: Error`, description: e.data.message };
    default:
      return null;
  }
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Turns stream deliveries into toasts without flooding: a burst (events less than `windowMs`
 * apart) gets at most `maxToasts` toasts; past that the last slot becomes one summary, updated
 * in place, e.g. "12 trades in the last 2 s".
 */
export function createToastSummariser(
  sink: ToastSink,
  opts: {
    now: () => number;
    modelName: (id: number | null) => string;
    agentKind?: (id: number | null) => AgentKind | null;
    windowMs?: number;
    maxToasts?: number;
  },
) {
  const windowMs = opts.windowMs ?? 2_000;
  const maxToasts = opts.maxToasts ?? 3;
  let burst = 0;
  let lastAt = -Infinity;
  let shown: string[] = [];
  let summaryId: string | null = null;
  let recent: { at: number; noun: Notable['noun'] }[] = [];

  const showOne = (n: Notable) => {
    const id = `toast-${burst}-${shown.length}`;
    shown.push(id);
    sink.show({ id, kind: n.kind, title: n.title, description: n.description, duration: TOAST_DURATION[n.kind] });
  };

  const summarise = () => {
    const counts = new Map<Notable['noun'], number>();
    for (const r of recent) counts.set(r.noun, (counts.get(r.noun) ?? 0) + 1);
    const parts = (['trade', 'completed run', 'error'] as const).filter((n) => counts.has(n)).map((n) => plural(counts.get(n)!, n));
    const kind: ToastKind = counts.has('error') ? 'error' : 'info';
    summaryId ??= `burst-${burst}`;
    const title = `${parts.join(', ')} in the last ${Math.round(windowMs / 1000)} s`;
    sink.show({ id: summaryId, kind, title, duration: Math.max(TOAST_DURATION[kind], windowMs) });
  };

  return {
    handle(events: readonly TradingEvent[]) {
      const notables: Notable[] = [];
      for (const e of events) {
        const n = describeForToast(e, opts.modelName(e.model_id), opts.agentKind?.(e.model_id));
        if (n) notables.push(n);
      }
      if (notables.length === 0) return;
      const now = opts.now();
      if (now - lastAt > windowMs) {
        burst++;
        shown = [];
        summaryId = null;
      }
      lastAt = now;
      recent = recent.filter((r) => now - r.at <= windowMs);
      for (const n of notables) recent.push({ at: now, noun: n.noun });

      if (summaryId) return summarise();
      const slots = maxToasts - shown.length;
      if (notables.length <= slots) return notables.forEach(showOne);
      // Too many: fill all but one slot, and the last becomes the summary.
      notables.slice(0, Math.max(0, slots - 1)).forEach(showOne);
      if (shown.length >= maxToasts) sink.dismiss(shown.pop()!);
      summarise();
    },
  };
}

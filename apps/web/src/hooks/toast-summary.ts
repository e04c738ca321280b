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

type Notable = { kind: ToastKind; type: 'trade' | 'complete' | 'error'; title: string; description?: string };

/** What a user is told about an event, or null when it only belongs in the activity feed; `kind` words the detail. */
export function describeForToast(e: TradingEvent, modelName: string, kind?: AgentKind | null): Notable | null {
  switch (e.type) {
    case 'trade': {
      const d = e.data;
      if (d.action === 'hold') return null;
      const action = d.action.toUpperCase();
      if (d.status === 'rejected') {
        return { kind: 'warning', type: 'trade', title: `${modelName}: ${action} ${d.symbol ?? ''} rejected`, description: describeEvent(e, kind) };
      }
      return {
        kind: 'info',
        type: 'trade',
        title: `${modelName}: ${action} ${formatQuantity(d.quantity)} ${d.symbol ?? ''} @ ${formatMoney(d.price)}`,
        description: describeEvent(e, kind),
      };
    }
    case 'complete': {
      const { status, metrics } = e.data;
      const ret = metrics ? ` · ${formatPct(metrics.total_return_pct)}` : '';
      const description = e.data.message;
      // Each outcome in its own style: a failure is an error, an interruption a warning.
      if (status === 'failed') return { kind: 'error', type: 'complete', title: `${modelName}: Trading failed`, description };
      if (status === 'interrupted') return { kind: 'warning', type: 'complete', title: `${modelName}: Trading interrupted${ret}`, description };
      if (status === 'stopped') return { kind: 'info', type: 'complete', title: `${modelName}: Trading stopped${ret}`, description };
      return { kind: 'success', type: 'complete', title: `${modelName}: Trading completed${ret}`, description };
    }
    case 'error':
      return { kind: 'error', type: 'error', title: `${modelName}: Error`, description: e.data.message };
    default:
      return null;
  }
}

/**
 * Turns stream deliveries into toasts without flooding. A model's fills are told at most once
 * per `windowMs`: the first as itself, the rest of the window folded into one toast for that
 * model, updated in place ("Momentum A: 12 fills in the last 3 s"). Run ends and errors always
 * get a toast of their own, in their own style. `enabled` says which event types toast at all
 * (the user's in-app toast settings).
 */
export function createToastSummariser(
  sink: ToastSink,
  opts: {
    now: () => number;
    modelName: (id: number | null) => string;
    agentKind?: (id: number | null) => AgentKind | null;
    enabled?: (type: Notable['type']) => boolean;
    windowMs?: number;
  },
) {
  const windowMs = opts.windowMs ?? 3_000;
  let seq = 0;
  /** Per model: the fills toast of its current window. */
  const windows = new Map<number | null, { startedAt: number; count: number; id: string }>();

  const show = (id: string, n: Notable) => sink.show({ id, kind: n.kind, title: n.title, description: n.description, duration: TOAST_DURATION[n.kind] });

  return {
    handle(events: readonly TradingEvent[]) {
      const now = opts.now();
      for (const e of events) {
        const n = describeForToast(e, opts.modelName(e.model_id), opts.agentKind?.(e.model_id));
        if (!n || (opts.enabled && !opts.enabled(n.type))) continue;
        if (n.type !== 'trade') {
          show(`toast-${++seq}`, n);
          continue;
        }
        const w = windows.get(e.model_id);
        if (!w || now - w.startedAt >= windowMs) {
          const id = `fills-${e.model_id}-${++seq}`;
          windows.set(e.model_id, { startedAt: now, count: 1, id });
          show(id, n);
          continue;
        }
        w.count++;
        const seconds = Math.max(1, Math.round(windowMs / 1000));
        sink.show({
          id: w.id,
          kind: 'info',
          title: `${opts.modelName(e.model_id)}: ${w.count} fills in the last ${seconds} s`,
          description: n.title,
          duration: Math.max(TOAST_DURATION.info, windowMs),
        });
      }
    },
  };
}

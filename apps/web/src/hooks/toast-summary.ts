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

/** A window of fills told as one toast: one model's, or (`models`) the fills of models past the cap. */
interface FillWindow {
  startedAt: number;
  count: number;
  id: string;
  models?: Set<number | null>;
}

/**
 * Turns stream deliveries into toasts without flooding. A model's fills are told at most once
 * per `windowMs`: the first as itself, the rest of the window folded into one toast for that
 * model, updated in place ("Momentum A: 12 fills in the last 3 s"). At most `maxFillToasts`
 * models have a fills toast of their own at a time; the fills of any further models share one
 * ("Other models: 40 fills on 12 models in the last 3 s"). Run ends and errors always get a
 * toast of their own, in their own style. `enabled` says which event types toast at all (the
 * user's in-app toast settings). Each delivery shows every toast it touches once, in its final
 * state, and describes only the fills that toast shows.
 */
export function createToastSummariser(
  sink: ToastSink,
  opts: {
    now: () => number;
    modelName: (id: number | null) => string;
    agentKind?: (id: number | null) => AgentKind | null;
    enabled?: (type: Notable['type']) => boolean;
    windowMs?: number;
    maxFillToasts?: number;
  },
) {
  const windowMs = opts.windowMs ?? 3_000;
  const maxFillToasts = opts.maxFillToasts ?? 3;
  const seconds = Math.max(1, Math.round(windowMs / 1000));
  let seq = 0;
  /** Per model: the fills toast of its current window. */
  const windows = new Map<number | null, FillWindow>();
  /** The fills of models past `maxFillToasts`, while its window lasts. */
  let others: FillWindow | null = null;

  const request = (id: string, n: Notable): ToastRequest => ({ id, kind: n.kind, title: n.title, description: n.description, duration: TOAST_DURATION[n.kind] });
  const open = (w: FillWindow | null | undefined, now: number): w is FillWindow => !!w && now - w.startedAt < windowMs;

  /** The window a fill of `modelId` joins, opened if need be. */
  const windowFor = (modelId: number | null, now: number): FillWindow => {
    const own = windows.get(modelId);
    if (open(own, now)) return own;
    if (open(others, now) && others.models!.has(modelId)) return others;
    let active = 0;
    for (const [id, w] of windows) {
      if (open(w, now)) active++;
      else windows.delete(id);
    }
    if (active < maxFillToasts) {
      const w: FillWindow = { startedAt: now, count: 0, id: `fills-${modelId}-${++seq}` };
      windows.set(modelId, w);
      return w;
    }
    if (!open(others, now)) others = { startedAt: now, count: 0, id: `fills-others-${++seq}`, models: new Set() };
    others.models!.add(modelId);
    return others;
  };

  const summary = (w: FillWindow, last: Notable, modelId: number | null): ToastRequest => {
    const title = w.models
      ? `Other models: ${w.count} fills on ${w.models.size} ${w.models.size === 1 ? 'model' : 'models'} in the last ${seconds} s`
      : `${opts.modelName(modelId)}: ${w.count} fills in the last ${seconds} s`;
    return { id: w.id, kind: 'info', title, description: last.title, duration: Math.max(TOAST_DURATION.info, windowMs) };
  };

  return {
    handle(events: readonly TradingEvent[]) {
      const now = opts.now();
      // What this delivery shows, in the order it first touched each toast.
      const out = new Map<string, () => ToastRequest>();
      const fillsOn = !opts.enabled || opts.enabled('trade');
      // Per window touched: its last fill (described once, after the loop).
      const lastFill = new Map<FillWindow, TradingEvent>();
      for (const e of events) {
        if (e.type === 'trade') {
          if (!fillsOn || e.data.action === 'hold') continue;
          const w = windowFor(e.model_id, now);
          w.count++;
          lastFill.set(w, e);
          if (!out.has(w.id)) {
            out.set(w.id, () => {
              const last = lastFill.get(w)!;
              const n = describeForToast(last, opts.modelName(last.model_id), opts.agentKind?.(last.model_id))!;
              return w.count === 1 ? request(w.id, n) : summary(w, n, last.model_id);
            });
          }
          continue;
        }
        const n = describeForToast(e, opts.modelName(e.model_id), opts.agentKind?.(e.model_id));
        if (!n || (opts.enabled && !opts.enabled(n.type))) continue;
        const id = `toast-${++seq}`;
        out.set(id, () => request(id, n));
      }
      for (const make of out.values()) sink.show(make());
    },
  };
}

/**
 * A sink that lets a toast change in place at most once per `intervalMs`: a new toast shows at
 * once, and so does its first change (a fill becoming a count of fills, which changes its size
 * while the user may be reaching for it); of the changes that come faster after that, the latest
 * shows when the interval is up. Toast
 * libraries re-measure and re-lay out their stack on every change (sonner renders each change
 * synchronously), so a count ticking with every fill would cost a layout per fill.
 */
export function throttleToastUpdates(
  sink: ToastSink,
  { intervalMs = 1_000, now, setTimeout }: { intervalMs?: number; now: () => number; setTimeout: (fn: () => void, ms: number) => () => void },
): ToastSink & { dispose(): void } {
  /** Per toast shown lately: when it last changed, and the change held back since, with its timer. */
  const shown = new Map<string, { at: number; changed: boolean; held: ToastRequest | null; cancel: (() => void) | null }>();
  const deliver = (t: ToastRequest) => {
    const entry = shown.get(t.id);
    if (entry) {
      entry.at = now();
      entry.changed = true;
      entry.held = null;
      entry.cancel = null;
    } else shown.set(t.id, { at: now(), changed: false, held: null, cancel: null });
    sink.show(t);
  };
  const prune = (at: number) => {
    // Toasts that have not changed for an interval need no record: their next change shows at once.
    for (const [id, e] of shown) if (!e.held && e.changed && at - e.at >= intervalMs) shown.delete(id);
  };
  return {
    show(t) {
      const at = now();
      if (shown.size > 32) prune(at);
      const entry = shown.get(t.id);
      if (!entry || (!entry.held && (!entry.changed || at - entry.at >= intervalMs))) return deliver(t);
      entry.held = t;
      entry.cancel ??= setTimeout(() => entry.held && deliver(entry.held), Math.max(0, entry.at + intervalMs - at));
    },
    dismiss(id) {
      const entry = shown.get(id);
      entry?.cancel?.();
      shown.delete(id);
      sink.dismiss(id);
    },
    dispose() {
      for (const e of shown.values()) e.cancel?.();
      shown.clear();
    },
  };
}

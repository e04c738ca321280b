import type { TradingEvent } from '@tradewire/contract';
import type { EventSourceLike } from '../stream/client';

/**
 * An EventSource the test drives by hand, for component tests in jsdom (the stream client's
 * own tests use a real one against a real server).
 */
export class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  static latest(): FakeEventSource {
    const es = FakeEventSource.instances.at(-1);
    if (!es) throw new Error('no EventSource was opened');
    return es;
  }

  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }

  open() {
    this.onopen?.(new Event('open'));
  }

  emit(...events: unknown[]) {
    for (const e of events) this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(e) }));
  }

  fail() {
    this.onerror?.(new Event('error'));
  }

  close() {
    this.closed = true;
  }
}

let nextId = 1;
const stamp = () => new Date(Date.UTC(2026, 0, 5, 14, 0, nextId)).toISOString();

/** Contract-shaped events for component tests; ids count up unless given. */
export const makeEvent = {
  trade(modelId: number, opts: { id?: string; action?: 'buy' | 'sell' | 'hold'; symbol?: string; status?: 'filled' | 'rejected' } = {}): TradingEvent {
    const action = opts.action ?? 'buy';
    return {
      id: opts.id ?? String(nextId++),
      type: 'trade',
      timestamp: stamp(),
      model_id: modelId,
      run_id: 1,
      data: {
        message: `AI executing ${action.toUpperCase()} order...`,
        action,
        date: '2026-01-05',
        symbol: action === 'hold' ? null : (opts.symbol ?? 'ACME'),
        quantity: 10,
        price: 101.5,
        amount: 1015,
        commission: 0,
        cash_after: 8985,
        status: opts.status ?? 'filled',
        reason: opts.status === 'rejected' ? 'not enough cash' : null,
      },
    };
  },
  /** A day without orders: one hold decision for the model-day. */
  decision(modelId: number, opts: { id?: string; held?: string[]; reasoning?: string } = {}): TradingEvent {
    const reasoning = opts.reasoning ?? 'ACME: no crossover → hold';
    return {
      id: opts.id ?? String(nextId++),
      type: 'decision',
      timestamp: stamp(),
      model_id: modelId,
      run_id: 1,
      data: { message: `AI decided to HOLD positions: ${reasoning}`, action: 'hold', date: '2026-01-05', held: opts.held ?? ['ACME'], reasoning },
    };
  },
  status(modelId: number, message = 'Starting trading session...', id?: string): TradingEvent {
    return { id: id ?? String(nextId++), type: 'status', timestamp: stamp(), model_id: modelId, run_id: 1, data: { message, status: 'running' } };
  },
  progress(modelId: number, step: number): TradingEvent {
    return {
      id: String(nextId++),
      type: 'progress',
      timestamp: stamp(),
      model_id: modelId,
      run_id: 1,
      data: { message: `Step ${step}`, step, total_steps: 10, date: '2026-01-05', cash: 10_000, equity: 10_000, return_pct: 0 },
    };
  },
  error(modelId: number, message = 'LLM endpoint unreachable'): TradingEvent {
    return { id: String(nextId++), type: 'error', timestamp: stamp(), model_id: modelId, run_id: 1, data: { message } };
  },
  complete(modelId: number): TradingEvent {
    return {
      id: String(nextId++),
      type: 'complete',
      timestamp: stamp(),
      model_id: modelId,
      run_id: 1,
      data: { message: 'Trading session completed', status: 'completed', metrics: null },
    };
  },
  connected(): TradingEvent {
    return { id: '0', type: 'connected', timestamp: stamp(), model_id: null, run_id: null, data: { message: 'Connected', model_id: null, snapshots: [] } };
  },
};

import type { z } from 'zod';
import * as zm from 'zod/mini';
import { Bar, Metrics, Portfolio, Run, RunMode, RunStatus, Trade } from './records.js';
import type { TradingEvent } from './trading-event.js';

export const EVENT_TYPES = [
  'connected',
  'status',
  'progress',
  'trade',
  'decision',
  'portfolio',
  'reasoning',
  'session_complete',
  'complete',
  'error',
  'reset',
  'bar',
] as const;
export const EventType = zm.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

/** What a client needs to be right at once about one model, sent inside `connected`. */
export const ModelSnapshot = zm.object({
  model_id: zm.int(),
  status: zm.enum(['idle', 'running']),
  run: zm.nullable(Run),
  portfolio: zm.nullable(Portfolio),
});
export type ModelSnapshot = z.infer<typeof ModelSnapshot>;

const msg = { message: zm.string() };

export const EventData = {
  connected: zm.object({
    ...msg,
    model_id: zm.nullable(zm.int()),
    snapshots: zm.array(ModelSnapshot),
    status: zm.optional(zm.enum(['idle', 'running'])),
    run: zm.optional(zm.nullable(Run)),
    portfolio: zm.optional(zm.nullable(Portfolio)),
  }),
  status: zm.object({ ...msg, status: zm.optional(RunStatus) }),
  /** Every step; equity moves with prices even on days without a trade. */
  progress: zm.object({
    ...msg,
    step: zm.int(),
    total_steps: zm.int(),
    date: zm.string(),
    cash: zm.number(),
    equity: zm.number(),
    return_pct: zm.number(),
    /** `live` for a live run's step (one per bar, no end in sight); absent for backtests. */
    mode: zm.optional(RunMode),
  }),
  /** A decision as it happened: the trade's fields (a hold has no symbol), not yet numbered. */
  trade: zm.extend(zm.omit(Trade, { id: true, model_id: true, run_id: true, step: true }), msg),
  /**
   * A day on which the agent placed no order: one event per model-day (never a line per symbol),
   * so a feed can fold it to "held 30 positions" and open it to the reasons. Not a trade.
   */
  decision: zm.object({
    ...msg,
    action: zm.literal('hold'),
    date: zm.string(),
    /** The symbols held through the day (empty: all in cash). */
    held: zm.array(zm.string()),
    /** The agent's reasoning for the day, bounded. */
    reasoning: zm.string(),
  }),
  portfolio: zm.extend(Portfolio, msg),
  reasoning: zm.object({ ...msg, text: zm.string() }),
  session_complete: zm.object(msg),
  complete: zm.object({ ...msg, status: RunStatus, metrics: zm.nullable(Metrics) }),
  error: zm.object(msg),
  reset: zm.object({ ...msg }),
  /** A new complete bar of a symbol a live run trades, as it arrives: the candle chart moves with it. */
  bar: zm.object({
    ...msg,
    symbol: zm.string(),
    timeframe: zm.string(),
    /** The bar; its `date` is `YYYY-MM-DD` for a daily bar, its start instant (ISO UTC) for an intraday one. */
    ...Bar.shape,
  }),
} satisfies Record<EventType, zm.ZodMiniType>;

export type EventDataOf<T extends EventType> = z.infer<(typeof EventData)[T]>;

const envelope = <T extends EventType>(type: T) =>
  zm.object({
    id: zm.string().check(zm.regex(/^\d+$/)),
    type: zm.literal(type),
    timestamp: zm.string(),
    model_id: zm.nullable(zm.int()),
    run_id: zm.nullable(zm.int()),
    data: EventData[type],
  });

/** One object schema per event type: the union of them is `TradingEvent` (trading-event.ts). */
export const EVENT_ENVELOPES = [
  envelope('connected'),
  envelope('status'),
  envelope('progress'),
  envelope('trade'),
  envelope('decision'),
  envelope('portfolio'),
  envelope('reasoning'),
  envelope('session_complete'),
  envelope('complete'),
  envelope('error'),
  envelope('reset'),
  envelope('bar'),
] as const;

/**
 * One event on the wire as a zod/mini schema, for a browser that parses the stream: with classic
 * zod's schema methods (`TradingEvent.array()`) a page would load more than twice the code.
 */
export const TradingEventMini = zm.discriminatedUnion('type', EVENT_ENVELOPES);
export type TradingEventOf<T extends EventType> = Extract<TradingEvent, { type: T }>;

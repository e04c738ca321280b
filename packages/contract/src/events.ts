import { z } from 'zod';
import { Bar } from './market.js';
import { Metrics, Portfolio, Run, RunMode, RunStatus, Trade } from './trading.js';

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
export const EventType = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventType>;

/** What a client needs to be right at once about one model, sent inside `connected`. */
export const ModelSnapshot = z.object({
  model_id: z.number().int(),
  status: z.enum(['idle', 'running']),
  run: Run.nullable(),
  portfolio: Portfolio.nullable(),
});
export type ModelSnapshot = z.infer<typeof ModelSnapshot>;

const msg = { message: z.string() };

export const EventData = {
  connected: z.object({
    ...msg,
    model_id: z.number().int().nullable(),
    snapshots: z.array(ModelSnapshot),
    status: z.enum(['idle', 'running']).optional(),
    run: Run.nullable().optional(),
    portfolio: Portfolio.nullable().optional(),
  }),
  status: z.object({ ...msg, status: RunStatus.optional() }),
  /** Every step; equity moves with prices even on days without a trade. */
  progress: z.object({
    ...msg,
    step: z.number().int(),
    total_steps: z.number().int(),
    date: z.string(),
    cash: z.number(),
    equity: z.number(),
    return_pct: z.number(),
    /** `live` for a live run's step (one per bar, no end in sight); absent for backtests. */
    mode: RunMode.optional(),
  }),
  /** A decision as it happened: the trade's fields (a hold has no symbol), not yet numbered. */
  trade: Trade.omit({ id: true, model_id: true, run_id: true, step: true }).extend(msg),
  /**
   * A day on which the agent placed no order: one event per model-day (never a line per symbol),
   * so a feed can fold it to "held 30 positions" and open it to the reasons. Not a trade.
   */
  decision: z.object({
    ...msg,
    action: z.literal('hold'),
    date: z.string(),
    /** The symbols held through the day (empty: all in cash). */
    held: z.array(z.string()),
    /** The agent's reasoning for the day, bounded. */
    reasoning: z.string(),
  }),
  portfolio: Portfolio.extend(msg),
  reasoning: z.object({ ...msg, text: z.string() }),
  session_complete: z.object(msg),
  complete: z.object({ ...msg, status: RunStatus, metrics: Metrics.nullable() }),
  error: z.object(msg),
  reset: z.object({ ...msg }),
  /** A new complete bar of a symbol a live run trades, as it arrives: the candle chart moves with it. */
  bar: z.object({
    ...msg,
    symbol: z.string(),
    timeframe: z.string(),
    /** The bar; its `date` is `YYYY-MM-DD` for a daily bar, its start instant (ISO UTC) for an intraday one. */
    ...Bar.shape,
  }),
} satisfies Record<EventType, z.ZodType>;

export type EventDataOf<T extends EventType> = z.infer<(typeof EventData)[T]>;

const envelope = <T extends EventType>(type: T) =>
  z.object({
    id: z.string().regex(/^\d+$/),
    type: z.literal(type),
    timestamp: z.string(),
    model_id: z.number().int().nullable(),
    run_id: z.number().int().nullable(),
    data: EventData[type],
  });

/** One event on the wire: the SSE `data:` line, and a stored run event. */
export const TradingEvent = z.discriminatedUnion('type', [
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
]);
export type TradingEvent = z.infer<typeof TradingEvent>;
export type TradingEventOf<T extends EventType> = Extract<TradingEvent, { type: T }>;

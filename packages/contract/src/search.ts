import { z } from 'zod';
import { IdParam, page } from './common.js';
import { EVENT_TYPES } from './events.js';
import { TradingEvent } from './trading-event.js';
import { Symbol } from './symbol.js';

/** `YYYY-MM-DD` or a full ISO 8601 time; a bare date covers that whole UTC day. */
const TimeBound = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be a date (YYYY-MM-DD) or an ISO 8601 time',
});

/** Comma-separated event types: `trade,error`. */
const EventTypeList = z
  .string()
  .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
  .pipe(z.array(z.enum(EVENT_TYPES, { error: `must be event types from: ${EVENT_TYPES.join(', ')}` })).max(EVENT_TYPES.length));

/** `true`/`false`/`1`/`0` in a query string. */
const QueryFlag = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1');

/** Filters the feed, search and history share: what kind of decision, on which symbol. */
const DecisionFilters = {
  /** Only buys and sells that filled (no holds, no rejections, no other events). */
  fills_only: QueryFlag.optional(),
  /** Only trades and decisions of this action. */
  action: z.enum(['buy', 'sell', 'hold'], { error: 'must be buy, sell or hold' }).optional(),
  /** Only trades of this symbol. */
  symbol: Symbol.optional(),
};

/** `GET /api/events/search`: the caller's recorded events, newest first. */
export const EventSearchQuery = z.strictObject({
  q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  type: EventTypeList.optional(),
  ...DecisionFilters,
  model_id: IdParam.optional(),
  run_id: IdParam.optional(),
  from: TimeBound.optional(),
  to: TimeBound.optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(50),
  cursor: z.string().regex(/^\d{1,15}$/, 'must be a cursor returned by a previous page').optional(),
  /** Set: the whole result (from the newest, capped) as a download instead of one page. */
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).optional(),
});
export type EventSearchQuery = z.infer<typeof EventSearchQuery>;

export const EventSearchPage = page(TradingEvent);
export type EventSearchPage = z.infer<typeof EventSearchPage>;

/** Comma-separated model ids: `1,2,3`. */
const ModelIdList = z
  .string()
  .regex(/^\d{1,10}(,\d{1,10}){0,99}$/, 'must be model ids separated by commas')
  .transform((s) => [...new Set(s.split(',').map(Number))]);

/**
 * `GET /api/events/history`: the latest stored events of some (default: all) of the caller's
 * models, oldest first, in the stream's own shape — what a live view shows before the tail.
 */
export const EventHistoryQuery = z.strictObject({
  models: ModelIdList.optional(),
  type: EventTypeList.optional(),
  ...DecisionFilters,
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .default(100),
});
export type EventHistoryQuery = z.infer<typeof EventHistoryQuery>;

export const EventHistory = z.object({
  /** Oldest first, at most `limit`, every id at or below `last_event_id`. */
  events: z.array(TradingEvent),
  /**
   * Where this history ends: open the stream with `?last_event_id=` (or the `Last-Event-ID`
   * header) set to it to receive exactly what follows, once. `"0"` when nothing is stored yet.
   */
  last_event_id: z.string().regex(/^\d+$/),
});
export type EventHistory = z.infer<typeof EventHistory>;

import { z } from 'zod';
import { IdParam, page } from './common.js';
import { EVENT_TYPES, TradingEvent } from './events.js';

/** `YYYY-MM-DD` or a full ISO 8601 time; a bare date covers that whole UTC day. */
const TimeBound = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  error: 'must be a date (YYYY-MM-DD) or an ISO 8601 time',
});

/** Comma-separated event types: `trade,error`. */
const EventTypeList = z
  .string()
  .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
  .pipe(z.array(z.enum(EVENT_TYPES, { error: `must be event types from: ${EVENT_TYPES.join(', ')}` })).max(EVENT_TYPES.length));

/** `GET /api/events/search`: the caller's recorded events, newest first. */
export const EventSearchQuery = z.strictObject({
  q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  type: EventTypeList.optional(),
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

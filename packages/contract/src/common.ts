import { z } from 'zod';

export { ErrorBody } from './records.js';

/** The largest id storage holds (ids are 32-bit integer columns in PostgreSQL and SQLite alike). */
export const MAX_ID = 2 ** 31 - 1;

/** Path ids: positive integers that fit the id columns; anything else is a 400 naming the field. */
export const IdParam = z
  .string({ error: 'must be a positive integer' })
  .regex(/^[1-9]\d{0,15}$/, 'must be a positive integer')
  .transform(Number)
  .pipe(z.number().max(MAX_ID, `is too large (ids are at most ${MAX_ID})`));

/** An id in a JSON body: a positive integer that fits the id columns. */
export const IdValue = (what: string) =>
  z
    .number({ error: `must be ${what}` })
    .int(`must be ${what}`)
    .positive(`must be ${what}`)
    .max(MAX_ID, `must be ${what} (at most ${MAX_ID})`);

/** A page cursor over rows with 32-bit ids (trades, logs). */
export const RowCursor = z
  .string()
  .regex(/^\d{1,10}$/, 'must be a cursor returned by a previous page')
  .refine((c) => Number(c) <= MAX_ID, 'must be a cursor returned by a previous page');

export const IsoDate = z.iso.date({ error: 'must be a date in YYYY-MM-DD form' });

/** A page of a list; `next_cursor` is null on the last page. */
export const page = <T extends z.core.SomeType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });


/** `degraded` names the dependency that is down in `dependencies`; the API answers 503 for what needs it. */
export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  dependencies: z.object({ storage: z.enum(['ok', 'down']), redis: z.enum(['ok', 'down']).optional() }),
  version: z.string(),
  storage: z.enum(['sqlite', 'postgres']),
  uptime_s: z.number(),
  streams: z
    .object({ subscribers: z.number().int(), events_per_s: z.number() })
    .optional(),
});
export type Health = z.infer<typeof Health>;

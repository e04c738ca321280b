import { z } from 'zod';

/** Path ids: positive integers; anything else is a 400 naming the field. */
export const IdParam = z
  .string({ error: 'must be a positive integer' })
  .regex(/^[1-9]\d{0,15}$/, 'must be a positive integer')
  .transform(Number)
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER, 'is too large'));

export const IsoDate = z.iso.date({ error: 'must be a date in YYYY-MM-DD form' });

/** A page of a list; `next_cursor` is null on the last page. */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() });

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

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

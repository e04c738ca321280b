import { z } from 'zod';
import { IdValue } from './common.js';
import { Run, StartBody } from './trading.js';

/** POST /api/arena: start several models on the same date range in one action. */
export const ArenaStartBody = z.strictObject({
  model_ids: z
    .array(IdValue('a model id'), { error: 'must be a list of model ids' })
    .min(2, 'must name at least 2 models')
    .max(20, 'must name at most 20 models')
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a model'),
  start_date: StartBody.shape.start_date,
  end_date: StartBody.shape.end_date,
  pace_ms: StartBody.shape.pace_ms,
});
export type ArenaStartBody = z.infer<typeof ArenaStartBody>;

export const ArenaStarted = z.object({ runs: z.array(Run) });
export type ArenaStarted = z.infer<typeof ArenaStarted>;

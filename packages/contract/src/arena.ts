import { z } from 'zod';
import { IdValue } from './common.js';
import { EquityPoint, Run, RunMode, RunStatus, StartBody } from './trading.js';

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
  /** `live`: the models trade the market as it happens, side by side, until stopped (no dates, no pace). */
  mode: StartBody.shape.mode,
  /** A live arena's bars (default `1d`). */
  timeframe: StartBody.shape.timeframe,
  /** What the arena is called in its list; defaults to its line-up ("A vs B vs C"). */
  name: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters').optional(),
});
export type ArenaStartBody = z.infer<typeof ArenaStartBody>;

/** One model's run in an arena, as stored. */
export const ArenaEntry = z.object({
  model_id: z.number().int(),
  model_name: z.string(),
  run_id: z.number().int(),
  run_number: z.number().int(),
  status: RunStatus,
  error: z.string().nullable(),
  /** Return so far (running) or final. */
  return_pct: z.number().nullable(),
  sharpe: z.number().nullable(),
  /** Daily equity of the run; only in `GET /api/arenas/{id}`. */
  equity_curve: z.array(EquityPoint).optional(),
});
export type ArenaEntry = z.infer<typeof ArenaEntry>;

/** An arena: a stored line-up of runs over the same dates, reopenable with its leaderboard. */
export const Arena = z.object({
  id: z.number().int(),
  name: z.string(),
  start_date: z.string(),
  end_date: z.string(),
  pace_ms: z.number().int(),
  created_at: z.string(),
  /** `running` while any of its runs is. */
  status: z.enum(['running', 'finished']),
  /** `live` when its runs trade the market as it happens. */
  mode: z.optional(RunMode),
  entries: z.array(ArenaEntry),
});
export type Arena = z.infer<typeof Arena>;

export const ArenaStarted = z.object({ arena: Arena, runs: z.array(Run) });
export type ArenaStarted = z.infer<typeof ArenaStarted>;

import { z } from 'zod';
import { Role } from './auth.js';
import { Model } from './models.js';

/** An account as an admin sees it: never the password hash. */
export const AdminUser = z.object({
  id: z.number().int(),
  email: z.string(),
  display_name: z.string(),
  role: Role,
  created_at: z.string(),
  model_count: z.number().int(),
});
export type AdminUser = z.infer<typeof AdminUser>;

export const RoleBody = z.strictObject({ role: z.enum(Role.options, { error: 'must be "user" or "admin"' }) });
export type RoleBody = z.infer<typeof RoleBody>;

/** Any user's model, with whose it is. */
export const AdminModel = Model.extend({ owner_email: z.string() });
export type AdminModel = z.infer<typeof AdminModel>;

export const AdminStats = z.object({
  users: z.number().int(),
  models: z.number().int(),
  running_runs: z.number().int(),
  events_per_s: z.number(),
  connected_streams: z.number().int(),
});
export type AdminStats = z.infer<typeof AdminStats>;

export const LeaderboardBy = z.enum(['return', 'sharpe'], { error: 'must be "return" or "sharpe"' });
export type LeaderboardBy = z.infer<typeof LeaderboardBy>;

export const LeaderboardQuery = z.strictObject({
  by: LeaderboardBy.default('return'),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(500, 'must be at most 500')
    .default(50),
});
export type LeaderboardQuery = z.infer<typeof LeaderboardQuery>;

/** A model ranked by its latest completed run. */
export const LeaderboardEntry = z.object({
  rank: z.number().int(),
  model_id: z.number().int(),
  model_name: z.string(),
  owner: z.string(),
  run_id: z.number().int(),
  return_pct: z.number(),
  sharpe: z.number().nullable(),
  max_drawdown_pct: z.number(),
  trade_count: z.number().int(),
});
export type LeaderboardEntry = z.infer<typeof LeaderboardEntry>;

export const Leaderboard = z.object({ by: LeaderboardBy, items: z.array(LeaderboardEntry) });
export type Leaderboard = z.infer<typeof Leaderboard>;

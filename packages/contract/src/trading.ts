import { z } from 'zod';
import { IdParam, IsoDate, RowCursor } from './common.js';
import { DatasetName } from './models.js';
import { Metrics, Portfolio, Run } from './records.js';

export { Metrics, Portfolio, Position, Run, RunMode, RunStatus, Timeframe, Trade, TradeAction, Usage } from './records.js';

export const StartBody = z.strictObject({
  start_date: IsoDate.optional(),
  end_date: IsoDate.optional(),
  pace_ms: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be at least 0')
    .max(60_000, 'must be at most 60000')
    .optional(),
  /** Trades this run on another data set than the model's. */
  dataset: DatasetName.optional(),
  /** `backtest` (the default) replays history; `live` trades forward from now, bar by bar, until stopped. */
  mode: z.enum(['backtest', 'live'], { error: 'must be backtest or live' }).optional(),
  /** A live run's bar: 1, 5 or 15 minutes, an hour, or a day (the default). */
  timeframe: z.enum(['1m', '5m', '15m', '1h', '1d'], { error: 'must be 1m, 5m, 15m, 1h or 1d' }).optional(),
  /**
   * Intraday runs only: every position is closed on the day's last bar (sold at its open; a live
   * run sells at the open of the last bar), so no position is held overnight.
   */
  flat_at_close: z.boolean({ error: 'must be true or false' }).optional(),
  /** Where a live run's orders go: the built-in paper broker (default) or the Alpaca paper account. */
  broker: z.enum(['builtin', 'alpaca'], { error: 'must be builtin or alpaca' }).optional(),
});
export type StartBody = z.infer<typeof StartBody>;

export const EquityPoint = z.object({ date: z.string(), equity: z.number(), cash: z.number() });
export type EquityPoint = z.infer<typeof EquityPoint>;

export const RunDetail = z.object({
  ...Run.shape,
  config: z.record(z.string(), z.unknown()),
  equity_curve: z.array(EquityPoint),
});
export type RunDetail = z.infer<typeof RunDetail>;

/** GET /api/models/{id}/positions/latest: the latest portfolio and the run it belongs to. */
export const LatestPortfolio = z.object({ ...Portfolio.shape, run_id: z.number().int().nullable() });
export type LatestPortfolio = z.infer<typeof LatestPortfolio>;

/** GET /api/models/{id}/performance. */
export const Performance = z.object({
  model_id: z.number().int(),
  run_id: z.number().int().nullable(),
  metrics: z.nullable(Metrics),
  equity_curve: z.array(EquityPoint),
});
export type Performance = z.infer<typeof Performance>;

/** GET /api/stats: the dashboard's headline numbers over the caller's models. */
export const Stats = z.object({
  total_equity: z.number(),
  total_pnl: z.number(),
  total_pnl_pct: z.number(),
  active_runs: z.number().int(),
  trades_today: z.number().int(),
});
export type Stats = z.infer<typeof Stats>;

export const Progress = z.object({ step: z.number().int(), total_steps: z.number().int(), date: z.string() });

export const TradingStatus = z.object({
  model_id: z.number().int(),
  status: z.enum(['idle', 'running']),
  run: z.nullable(Run),
  progress: Progress.nullable(),
  /**
   * A running live run's schedule: when it decides next (`next_decision_at`, ISO UTC, null while
   * it waits for bars) and a line for people: `next decision at 15:31 ET`, `market closed until
   * Mon 09:30 ET`, or why bars are late (`alpaca unreachable, retrying in 8 s`).
   */
  live: z
    .object({ next_decision_at: z.string().nullable(), message: z.string(), healthy: z.boolean(), source: z.string(), broker: z.string() })
    .nullable()
    .optional(),
});
export type TradingStatus = z.infer<typeof TradingStatus>;

export const LogEntry = z.object({
  id: z.number().int(),
  run_id: z.number().int().nullable(),
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  created_at: z.string(),
});
export type LogEntry = z.infer<typeof LogEntry>;

export const ListQuery = z.strictObject({
  run_id: IdParam.optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .default(100),
  cursor: RowCursor.optional(),
});
export type ListQuery = z.infer<typeof ListQuery>;

import type { z } from 'zod';
import * as zm from 'zod/mini';

/*
 * What every page of the web app parses: the records the live stream carries (runs, trades,
 * portfolios, bars) and error bodies. Built with zod/mini, so a browser reading events loads a
 * third of classic zod's code; trading.ts, market.ts and common.ts export them with their kin.
 * They are zod schemas like the others (parse, safeParse, z.infer, members of classic schemas):
 * compose them with functions (z.nullable(Run), z.object({ ...Run.shape })), not methods.
 */

export const RunStatus = zm.enum(['running', 'completed', 'stopped', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

export const Metrics = zm.object({
  total_return_pct: zm.number(),
  annualized_return_pct: zm.nullable(zm.number()),
  annualized_volatility_pct: zm.number(),
  sharpe: zm.nullable(zm.number()),
  sortino: zm.nullable(zm.number()),
  max_drawdown_pct: zm.number(),
  win_rate_pct: zm.nullable(zm.number()),
  profit_factor: zm.nullable(zm.number()),
  trade_count: zm.int(),
});
export type Metrics = z.infer<typeof Metrics>;

/** LLM calls and tokens a run used; null for built-in agents. */
export const Usage = zm.object({
  calls: zm.int(),
  prompt_tokens: zm.int(),
  completion_tokens: zm.int(),
});
export type Usage = z.infer<typeof Usage>;

export const RunMode = zm.enum(['backtest', 'live']);
export type RunMode = z.infer<typeof RunMode>;

export const Timeframe = zm.enum(['1m', '5m', '15m', '1h', '1d']);
export type Timeframe = z.infer<typeof Timeframe>;

export const Run = zm.object({
  id: zm.int(),
  model_id: zm.int(),
  run_number: zm.int(),
  status: RunStatus,
  start_date: zm.string(),
  end_date: zm.string(),
  pace_ms: zm.int(),
  started_at: zm.string(),
  ended_at: zm.nullable(zm.string()),
  error: zm.nullable(zm.string()),
  metrics: zm.nullable(Metrics),
  usage: zm.nullable(Usage),
  /** `live`: forward paper trading on the wall clock (its end date moves with it while it runs). */
  mode: zm.optional(RunMode),
  /** The run's bar: `1d` for daily bars. */
  timeframe: zm.optional(Timeframe),
});
export type Run = z.infer<typeof Run>;

export const TradeAction = zm.enum(['buy', 'sell', 'hold']);
export type TradeAction = z.infer<typeof TradeAction>;

export const Trade = zm.object({
  id: zm.int(),
  model_id: zm.int(),
  run_id: zm.int(),
  step: zm.int(),
  date: zm.string(),
  action: TradeAction,
  symbol: zm.nullable(zm.string()),
  quantity: zm.number(),
  price: zm.number(),
  amount: zm.number(),
  commission: zm.number(),
  cash_after: zm.number(),
  status: zm.enum(['filled', 'rejected']),
  reason: zm.nullable(zm.string()),
});
export type Trade = z.infer<typeof Trade>;

export const Position = zm.object({
  symbol: zm.string(),
  quantity: zm.number(),
  avg_cost: zm.number(),
  last_price: zm.number(),
  market_value: zm.number(),
  unrealized_pnl: zm.number(),
});
export type Position = z.infer<typeof Position>;

export const Portfolio = zm.object({
  date: zm.nullable(zm.string()),
  cash: zm.number(),
  equity: zm.number(),
  positions: zm.array(Position),
  return_pct: zm.number(),
  trade_count: zm.int(),
});
export type Portfolio = z.infer<typeof Portfolio>;

export const Bar = zm.object({
  date: zm.string(),
  open: zm.number(),
  high: zm.number(),
  low: zm.number(),
  close: zm.number(),
  volume: zm.number(),
});
export type Bar = z.infer<typeof Bar>;

export const ErrorBody = zm.object({
  error: zm.object({
    code: zm.string(),
    message: zm.string(),
    details: zm.optional(zm.unknown()),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

import { z } from 'zod';
import { Symbol } from './models.js';
import { Metrics, Run } from './trading.js';

/**
 * A closed trade: one FIFO lot (or the part of it a sell closed) from its buy to its sell. `pnl` is
 * after both commissions: the buy's commission pro rata to the shares closed, and the sell's pro
 * rata to the shares taken from this lot. `pnl_pct` is against the cost of the shares closed
 * (shares x entry price + their entry commission). `holding_days` counts trading days (sessions
 * of the run's calendar from entry to exit: bought and sold the same day is 0, the next session 1);
 * `calendar_days` counts days on the calendar.
 */
export const RoundTrip = z.object({
  symbol: z.string(),
  quantity: z.number(),
  entry_date: z.string(),
  entry_price: z.number(),
  exit_date: z.string(),
  exit_price: z.number(),
  entry_commission: z.number(),
  exit_commission: z.number(),
  pnl: z.number(),
  pnl_pct: z.number(),
  holding_days: z.number().int(),
  calendar_days: z.number().int(),
  entry_reason: z.string().nullable(),
  exit_reason: z.string().nullable(),
});
export type RoundTrip = z.infer<typeof RoundTrip>;

/**
 * A lot still held at the end: what is left of one buy. `entry_commission` is the part of the
 * buy's commission not yet charged to a round trip. Valued at `last_price` when one is known.
 */
export const OpenLot = z.object({
  symbol: z.string(),
  quantity: z.number(),
  entry_date: z.string(),
  entry_price: z.number(),
  entry_commission: z.number(),
  entry_reason: z.string().nullable(),
  last_price: z.number().nullable(),
  /** quantity x (last price - entry price) - entry commission; null without a last price. */
  unrealized_pnl: z.number().nullable(),
});
export type OpenLot = z.infer<typeof OpenLot>;

/** GET …/round-trips: closed trades in the order they closed, then the lots still open. */
export const RoundTrips = z.object({
  round_trips: z.array(RoundTrip),
  open_positions: z.array(OpenLot),
});
export type RoundTrips = z.infer<typeof RoundTrips>;

/** P/L of one symbol over a run: realised from its round trips, unrealised from its open lots. */
export const SymbolPnl = z.object({
  symbol: z.string(),
  realized_pnl: z.number(),
  unrealized_pnl: z.number(),
  total_pnl: z.number(),
  round_trips: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  /** null without a closed trade. */
  win_rate_pct: z.number().nullable(),
});
export type SymbolPnl = z.infer<typeof SymbolPnl>;

export const ProfitPeriod = z.enum(['day', 'week', 'month']);
export type ProfitPeriod = z.infer<typeof ProfitPeriod>;

/**
 * Profit of one day, ISO week (`2026-W03`) or month (`2026-01`) from the equity curve: the equity
 * at its last point less the equity at the end of the period before (the opening equity for the
 * first one); `return_pct` is against the latter.
 */
export const PeriodProfit = z.object({
  period: z.string(),
  first_date: z.string(),
  last_date: z.string(),
  start_equity: z.number(),
  end_equity: z.number(),
  profit: z.number(),
  return_pct: z.number(),
});
export type PeriodProfit = z.infer<typeof PeriodProfit>;

/** Value held in positions at one point of the equity curve, and its share of equity. */
export const ExposurePoint = z.object({
  date: z.string(),
  invested: z.number(),
  equity: z.number(),
  exposure_pct: z.number(),
});
export type ExposurePoint = z.infer<typeof ExposurePoint>;

/** GET …/breakdown. */
export const Breakdown = z.object({
  by_symbol: z.array(SymbolPnl),
  by_day: z.array(PeriodProfit),
  by_week: z.array(PeriodProfit),
  by_month: z.array(PeriodProfit),
  exposure: z.array(ExposurePoint),
});
export type Breakdown = z.infer<typeof Breakdown>;

/** `?benchmark=QQQ` buys and holds one symbol; `?benchmark=universe` the run's symbols in equal parts. */
export const BenchmarkQuery = z.strictObject({
  benchmark: z.union([z.literal('universe'), Symbol], { error: 'must be a ticker symbol or universe' }).optional(),
});
export type BenchmarkQuery = z.infer<typeof BenchmarkQuery>;

/**
 * The strategy against its benchmark, from daily returns, 252 trading days a year, risk-free
 * rate 0, rounded to 4 decimals. `alpha_pct`: annualised CAPM alpha (mean daily strategy return
 * less beta x mean daily benchmark return, x 252, in %). `excess_return_pct`: total return less the
 * benchmark's, in percentage points. `tracking_error_pct`: annualised standard deviation of the
 * daily return difference; `information_ratio`: its annualised mean over the tracking error.
 * Ratios are null where their denominator is 0 (fewer than two returns, a flat benchmark).
 */
export const BenchmarkStats = z.object({
  strategy_return_pct: z.number(),
  benchmark_return_pct: z.number(),
  excess_return_pct: z.number(),
  alpha_pct: z.number().nullable(),
  beta: z.number().nullable(),
  correlation: z.number().nullable(),
  tracking_error_pct: z.number(),
  information_ratio: z.number().nullable(),
});
export type BenchmarkStats = z.infer<typeof BenchmarkStats>;

export const BenchmarkPoint = z.object({ date: z.string(), equity: z.number() });
export type BenchmarkPoint = z.infer<typeof BenchmarkPoint>;

/** GET …/benchmark: the curve drawn on the equity chart (same dates) and the comparison. */
export const Benchmark = z.object({
  kind: z.enum(['symbol', 'universe']),
  symbols: z.array(z.string()),
  equity_curve: z.array(BenchmarkPoint),
  stats: BenchmarkStats,
});
export type Benchmark = z.infer<typeof Benchmark>;

/** One indicator line of the strategy, computed by the agent's own indicator code. */
export const IndicatorLine = z.object({
  name: z.string(),
  /** `price`: drawn over the candles; `oscillator`: its own pane, with its thresholds. */
  pane: z.enum(['price', 'oscillator']),
  points: z.array(z.object({ date: z.string(), value: z.number() })),
  thresholds: z.array(z.number()).optional(),
});
export type IndicatorLine = z.infer<typeof IndicatorLine>;

export const IndicatorsQuery = z.strictObject({ symbol: Symbol });

/** GET …/indicators?symbol=: the run's strategy indicators for one of its symbols, over the run (and its lookback). */
export const Indicators = z.object({ symbol: z.string(), lines: z.array(IndicatorLine) });
export type Indicators = z.infer<typeof Indicators>;

/** GET /api/runs/compare?ids=1,2: 2 to 4 runs of the caller's models. */
export const CompareQuery = z.strictObject({
  ids: z
    .string()
    .regex(/^\d{1,9}(,\d{1,9}){1,3}$/, 'must be 2 to 4 comma-separated run ids')
    .transform((s) => [...new Set(s.split(',').map(Number))])
    .refine((ids) => ids.length >= 2, 'must name 2 to 4 different runs'),
});

export const ComparedRun = z.object({
  run: Run,
  model_name: z.string(),
  metrics: z.nullable(Metrics),
  /** Equity normalised to 100 at the run's start, by trading day. */
  equity_curve: z.array(z.object({ date: z.string(), value: z.number() })),
});
export type ComparedRun = z.infer<typeof ComparedRun>;

export const RunComparison = z.object({ runs: z.array(ComparedRun) });
export type RunComparison = z.infer<typeof RunComparison>;

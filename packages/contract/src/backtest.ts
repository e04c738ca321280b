import { z } from 'zod';
import { IsoDate } from './common.js';
import { ModelCreate, Symbol } from './models.js';
import { Benchmark, OpenLot, RoundTrip } from './results.js';
import { EquityPoint, Metrics } from './trading.js';

/**
 * Bounds of a backtest run on request (`POST /api/backtests`): it is played in the API process
 * while the client waits, so it stays small enough to answer within seconds.
 */
export const BACKTEST_LIMITS = {
  /** Symbols traded at once (an empty `allowed_symbols` counts every symbol of the data set). */
  maxSymbols: 30,
  /** Trading days of the range: about five years of daily bars. */
  maxTradingDays: 1_300,
  /** Backtests one user may have running at once; more is a 429. */
  maxConcurrentPerUser: 2,
  /** Backtests one API node runs at once, all users together; more is a 429. */
  maxConcurrentPerNode: 6,
} as const;

/**
 * POST /api/backtests: a strategy played over a date range at once, without being saved. The body
 * is a model as `POST /api/models` takes it (name and description left out) plus the range; dates
 * default as a start's do (the last year of the data). Every agent kind but `llm` can be backtested
 * this way.
 */
export const BacktestBody = ModelCreate.omit({ name: true, description: true })
  .extend({
    start_date: IsoDate.optional(),
    end_date: IsoDate.optional(),
    /** What the equity is compared with: one symbol, or the traded symbols in equal parts (default). */
    benchmark: z.union([z.literal('universe'), Symbol], { error: 'must be a ticker symbol or universe' }).default('universe'),
  })
  .superRefine((b, ctx) => {
    if (b.agent.kind === 'llm') {
      ctx.addIssue({ code: 'custom', path: ['agent', 'kind'], message: 'an LLM agent cannot be backtested on request: save it as a model and start a run' });
    }
    if (b.start_date && b.end_date && b.start_date > b.end_date) {
      ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'must not be before start_date' });
    }
  });
export type BacktestBody = z.input<typeof BacktestBody>;
export type BacktestRequest = z.output<typeof BacktestBody>;

/** What a backtest shows: its metrics, its equity against buy-and-hold, and its closed trades. */
export const BacktestResult = z.object({
  dataset: z.string(),
  symbols: z.array(z.string()),
  start_date: z.string(),
  end_date: z.string(),
  trading_days: z.number().int(),
  initial_cash: z.number(),
  metrics: Metrics,
  /** One point per trading day, after the day's fills, marked at the close. */
  equity_curve: z.array(EquityPoint),
  /** Buy-and-hold on the same days and costs, with alpha, beta and excess return. */
  benchmark: Benchmark,
  round_trips: z.array(RoundTrip),
  /** Lots still held at the end, valued at the last close. */
  open_positions: z.array(OpenLot),
  /** Orders filled, and orders the broker refused (cash, limits). */
  fills: z.number().int(),
  rejected: z.number().int(),
});
export type BacktestResult = z.infer<typeof BacktestResult>;

import { z } from 'zod';
import { IsoDate } from './common.js';
import { DatasetName, Symbol } from './models.js';
import { Bar } from './records.js';

export { Bar } from './records.js';

export const SymbolInfo = z.object({
  symbol: z.string(),
  name: z.string(),
  sector: z.string(),
  /** Where its bars come from: `simulated`, `import`, or a provider (`yahoo`, `alpaca`, `alphavantage`). */
  source: z.string(),
});
export type SymbolInfo = z.infer<typeof SymbolInfo>;

export const SymbolList = z.object({ symbols: z.array(SymbolInfo) });


/** `dataset` omitted: the default market, `simulated`. */
export const DatasetQuery = z.strictObject({ dataset: DatasetName.optional() });
export const BarsQuery = z.strictObject({ symbol: Symbol, from: IsoDate.optional(), to: IsoDate.optional(), dataset: DatasetName.optional() });
export const BarsResponse = z.object({ symbol: z.string(), source: z.string(), bars: z.array(Bar) });

/**
 * An overnight jump in prices as traded that matches a stock split: `ratio` `15:1` (each share
 * became 15, prices fell 15-fold) or `1:10` (a reverse split). `factor` is new shares per old
 * share (15, 0.1): prices before `date` divide by it once back-adjusted, volumes multiply by it.
 */
export const SplitEvent = z.object({
  symbol: z.string(),
  date: z.string(),
  ratio: z.string(),
  factor: z.number(),
  previous_date: z.string(),
  previous_close: z.number(),
  open: z.number(),
});
export type SplitEvent = z.infer<typeof SplitEvent>;

/**
 * `adjust_splits`: `true` back-adjusts the prices before each split found, `false` imports them as
 * traded; without it an import in which a split is found is refused (422 `splits_found`).
 */
export const ImportQuery = z.strictObject({
  symbol: Symbol.optional(),
  dataset: DatasetName.optional(),
  adjust_splits: z.stringbool({ truthy: ['true'], falsy: ['false'], error: 'must be true or false' }).optional(),
  /** An uploaded file's name (`AAPL.csv`, `MSFT.json`): picks the format, gives the symbol, names the file in errors, as the CLI does. */
  filename: z
    .string()
    .regex(/^[^/\\]{1,200}$/, 'must be a file name (no folders, at most 200 characters)')
    .optional(),
});
/** `error.details` of a 422 `splits_found`: what was found; nothing was imported. */
export const SplitsFound = z.object({ splits: z.array(SplitEvent) });
export type SplitsFound = z.infer<typeof SplitsFound>;

export const ImportResult = z.object({
  imported: z.array(
    z.object({
      symbol: z.string(),
      bars: z.number().int(),
      from: z.string(),
      to: z.string(),
      /** Splits found in the file. */
      splits: z.array(SplitEvent),
      /** True when the prices before them were back-adjusted. */
      split_adjusted: z.boolean(),
    }),
  ),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const MarketProvider = z.enum(['yahoo', 'alpaca', 'alphavantage'], { error: 'must be one of yahoo, alpaca, alphavantage' });
export type MarketProvider = z.infer<typeof MarketProvider>;

/** A named set of symbols and bars a model or run trades on. */
export const Dataset = z.object({
  name: z.string(),
  /** `simulated` (generated in memory), `import` (files) or `provider` (downloaded, kept current). */
  source: z.enum(['simulated', 'import', 'provider']),
  provider: MarketProvider.nullable(),
  /** Prices adjusted for splits and dividends. */
  adjusted: z.boolean(),
  symbols: z.number().int(),
  first: z.string().nullable(),
  last: z.string().nullable(),
});
export type Dataset = z.infer<typeof Dataset>;

export const DatasetList = z.object({ datasets: z.array(Dataset) });

/** Downloads daily bars; a symbol already stored is only asked for the days after its last bar. */
export const FetchBody = z.strictObject({
  provider: MarketProvider,
  symbols: z.array(Symbol).min(1, 'must list at least one symbol').max(500, 'must list at most 500 symbols'),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  /** Defaults to the provider's name. */
  dataset: DatasetName.optional(),
  /**
   * For prices as traded (Alpha Vantage's free key): `true` back-adjusts a symbol's prices before
   * each split found, `false` keeps them as traded; without it such a symbol fails, nothing stored.
   */
  adjust_splits: z.boolean({ error: 'must be true or false' }).optional(),
  /**
   * Intraday bars (`1m`, `5m`, `15m`, `1h`) instead of daily ones, regular hours only, from
   * Alpaca or Yahoo (whose 1-minute bars reach 30 days back, 5- and 15-minute 60, hourly 730).
   * Without `from`: the last 28 days.
   */
  timeframe: z.enum(['1m', '5m', '15m', '1h'], { error: 'must be 1m, 5m, 15m or 1h' }).optional(),
});
export type FetchBody = z.infer<typeof FetchBody>;

export const FetchSymbolResult = z.object({
  symbol: z.string(),
  /** `updated`: bars written; `up_to_date`: nothing new; `failed`: nothing written, see `error`. */
  status: z.enum(['updated', 'up_to_date', 'failed']),
  /** Bars written by this fetch. */
  bars: z.number().int(),
  /** The stored span after the fetch (null when nothing is stored). */
  first: z.string().nullable(),
  last: z.string().nullable(),
  error: z.string().nullable(),
  /** Something worth knowing that is not a failure: skipped bars, a re-adjusted history, a free-tier limit. */
  note: z.string().nullable(),
});
export type FetchSymbolResult = z.infer<typeof FetchSymbolResult>;

export const FetchJobStatus = z.enum(['queued', 'running', 'completed', 'failed']);
export type FetchJobStatus = z.infer<typeof FetchJobStatus>;

/** A background fetch: `completed` even when some symbols failed (see `results` and `errors`). */
export const FetchJob = z.object({
  job_id: z.string(),
  status: FetchJobStatus,
  provider: MarketProvider,
  dataset: z.string(),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  results: z.array(FetchSymbolResult),
  errors: z.array(z.string()),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});
export type FetchJob = z.infer<typeof FetchJob>;

/**
 * GET /api/market/clock: the exchange (NYSE) now, by its calendar (holidays, early closes).
 * `message`: `Market open · closes 16:00 ET` or `Market closed · opens Mon 09:30 ET`.
 */
export const MarketClock = z.object({
  now: z.string(),
  is_open: z.boolean(),
  next_open: z.string().nullable(),
  next_close: z.string().nullable(),
  message: z.string(),
  /** Where the trading days come from: `alpaca` (its calendar API) or `nyse-holidays`. */
  calendar: z.string(),
});
export type MarketClock = z.infer<typeof MarketClock>;

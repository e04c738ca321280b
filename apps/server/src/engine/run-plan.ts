import type { StartBody } from '@tradewire/contract';
import type { MarketData } from '../market/market-data.js';
import { AppError } from '../domain/errors.js';
import type { RunConfig, RunPlan } from '../domain/run.js';
import type { ModelRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import { type IntradayTimeframe, intradayBars } from '../market/intraday.js';

/** Bars before the start date handed to agents for their indicators. */
const LOOKBACK_DAYS = 400;

const shiftDays = (date: string, days: number) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Checks a start request against the market of its data set (the request's, else the model's)
 * and loads every bar the run will need. `maxTradingDays` refuses a longer range before any bar
 * is loaded (a backtest played while its client waits).
 */
export async function planRun(
  markets: MarketData,
  model: Pick<ModelRecord, 'dataset' | 'allowed_symbols'>,
  body: Pick<StartBody, 'start_date' | 'end_date' | 'dataset'>,
  limits: { maxTradingDays?: number } = {},
): Promise<RunPlan> {
  const dataset = body.dataset ?? model.dataset;
  const market = await markets.forDataset(dataset);
  if (!market) throw new AppError('unknown_dataset', `dataset: no data set named ${dataset}`);
  const known = new Set((await market.symbols()).map((s) => s.symbol));
  const symbols = model.allowed_symbols.length > 0 ? model.allowed_symbols : [...known];
  const missing = symbols.filter((s) => !known.has(s));
  if (missing.length > 0) throw new AppError('unknown_symbols', `allowed_symbols: no market data for ${missing.join(', ')} in data set ${dataset}`);
  if (symbols.length === 0) throw new AppError('no_market_data', 'there is no market data: import some first');

  const range = await market.range(symbols);
  if (!range) throw new AppError('no_market_data', 'there is no market data for these symbols');
  const end = body.end_date ?? range.last;
  const start = body.start_date ?? shiftDays(end, -365);
  if (start > end) throw new AppError('dates_out_of_range', `start_date: ${start} is after end_date ${end}`);
  if (end < range.first || start > range.last) {
    throw new AppError('dates_out_of_range', `start_date/end_date: market data covers ${range.first} to ${range.last}`);
  }
  const calendar = await market.calendar(start, end, symbols);
  if (calendar.length === 0) throw new AppError('dates_out_of_range', `start_date/end_date: no trading days between ${start} and ${end}`);
  if (limits.maxTradingDays !== undefined && calendar.length > limits.maxTradingDays) {
    throw new AppError(
      'backtest_too_large',
      `start_date/end_date: ${calendar[0]} to ${calendar.at(-1)} has ${calendar.length} trading days; a backtest covers at most ${limits.maxTradingDays}`,
    );
  }
  const from = shiftDays(calendar[0]!, -Math.ceil((LOOKBACK_DAYS * 7) / 5));
  const to = calendar[calendar.length - 1]!;
  const bars = new Map(await Promise.all(symbols.map(async (s) => [s, await market.bars(s, from, to)] as const)));
  return { dataset, symbols, calendar, bars };
}

/** The model's settings as the run used them; secrets never enter the snapshot. */
export function configSnapshot(model: ModelRecord, plan: RunPlan): RunConfig {
  return {
    name: model.name,
    dataset: plan.dataset,
    agent: model.agent,
    initial_cash: model.initial_cash,
    symbols: plan.symbols,
    risk: model.risk,
    commission_bps: model.commission_bps,
    slippage_bps: model.slippage_bps,
    mode: 'backtest',
    timeframe: plan.timeframe ?? '1d',
    flat_at_close: plan.flatAtClose ?? false,
    live: null,
  };
}

/** Days of intraday bars before the start handed to agents for their indicators. */
const INTRADAY_LOOKBACK_DAYS = 10;

/**
 * An intraday backtest's plan: the data set's stored bars at `timeframe` (or resampled from finer
 * ones), the calendar being every bar start in [start_date, end_date] (default: the last 5 days
 * stored). The session plays it bar by bar under the daily rule at bar resolution: the decision at
 * bar t sees the bars before t and bar t's open, and fills at that open.
 */
export async function planIntradayRun(
  storage: Storage,
  model: Pick<ModelRecord, 'dataset' | 'allowed_symbols'>,
  body: Pick<StartBody, 'start_date' | 'end_date' | 'dataset'>,
  timeframe: IntradayTimeframe,
  limits: { maxTradingDays?: number } = {},
): Promise<RunPlan> {
  const dataset = body.dataset ?? model.dataset;
  const series = await storage.market.intradaySeries(dataset);
  if (series.length === 0) throw new AppError('no_market_data', `dataset: ${dataset} holds no intraday bars: fetch some with a timeframe first`);
  const held = new Set(series.map((s) => s.symbol));
  const symbols = model.allowed_symbols.length > 0 ? model.allowed_symbols : [...held];
  const missing = symbols.filter((s) => !held.has(s));
  if (missing.length > 0) throw new AppError('unknown_symbols', `allowed_symbols: no intraday bars for ${missing.join(', ')} in data set ${dataset}`);
  const mine = series.filter((s) => symbols.includes(s.symbol));
  const last = mine.map((s) => s.last).sort().at(-1)!;
  const end = body.end_date ?? last;
  const start = body.start_date ?? shiftDays(end, -7);
  if (start > end) throw new AppError('dates_out_of_range', `start_date: ${start} is after end_date ${end}`);
  const from = shiftDays(start, -INTRADAY_LOOKBACK_DAYS);
  const bars = new Map(await Promise.all(symbols.map(async (s) => [s, await intradayBars(storage, dataset, s, timeframe, from, end)] as const)));
  const calendar = [...new Set([...bars.values()].flatMap((list) => list.map((b) => b.date)).filter((d) => d.slice(0, 10) >= start && d.slice(0, 10) <= end))].sort();
  if (calendar.length === 0) throw new AppError('dates_out_of_range', `start_date/end_date: no ${timeframe} bars between ${start} and ${end}`);
  if (limits.maxTradingDays !== undefined && calendar.length > limits.maxTradingDays * 400) {
    throw new AppError('backtest_too_large', `start_date/end_date: ${calendar.length} bars is more than a backtest covers`);
  }
  return { dataset, symbols, calendar, bars, timeframe };
}

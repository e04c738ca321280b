import { type Benchmark, type EquityPoint, type Breakdown, type RunComparison, type Indicators, type RoundTrips } from '@tradewire/contract';
import { strategyIndicators } from '../agents/indicators.js';
import { AppError, runNotFound } from '../domain/errors.js';
import { runView } from '../engine/trading.js';
import type { MarketData } from '../market/market-data.js';
import { benchmarkCurve, benchmarkStats } from '../results/benchmark.js';
import { exposureFromCurve, periodProfits, symbolPnl } from '../results/breakdown.js';
import { roundTrips } from '../results/round-trips.js';
import type { RunRecord, TradeRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import type { Caller } from './principal.js';
import type { RunService } from './runs.js';

/** Trades read from storage per page while rebuilding a run's fills. */
const FILL_PAGE = 1_000;
/** Bars before a run's start shown with its indicators, so their lines start warmed up. */
const INDICATOR_LOOKBACK_DAYS = 400;

const shiftDays = (date: string, days: number) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

/** What a run's numbers mean: its closed trades, where the profit came from, and what holding instead would have done. */
export class ResultsService {
  constructor(private readonly deps: { storage: Storage; market: MarketData; runs: RunService }) {}

  async roundTrips(caller: Caller, modelId: number, runId: number): Promise<RoundTrips> {
    const run = await this.deps.runs.visible(caller, modelId, runId);
    return this.tripsOf(run);
  }

  async breakdown(caller: Caller, modelId: number, runId: number): Promise<Breakdown> {
    const run = await this.deps.runs.visible(caller, modelId, runId);
    const [trips, curve, positions] = await Promise.all([this.tripsOf(run), this.deps.storage.runs.equityCurve(run.id), this.deps.storage.runs.positions(run.id)]);
    const opening = initialCashOf(run);
    return {
      by_symbol: symbolPnl(trips, new Map(positions.map((p) => [p.symbol, p.last_price]))),
      by_day: periodProfits(curve, 'day', opening),
      by_week: periodProfits(curve, 'week', opening),
      by_month: periodProfits(curve, 'month', opening),
      exposure: exposureFromCurve(curve),
    };
  }

  /** Buy-and-hold of `benchmark` (a symbol of the run's data set, or `universe`: its symbols in equal parts). */
  async benchmark(caller: Caller, modelId: number, runId: number, benchmark = 'universe'): Promise<Benchmark> {
    const run = await this.deps.runs.visible(caller, modelId, runId);
    const market = await this.marketOf(run);
    return benchmarkOf(market, {
      benchmark,
      universe: symbolsOf(run),
      dataset: datasetOf(run),
      curve: await this.deps.storage.runs.equityCurve(run.id),
      start: run.start_date,
      end: run.end_date,
      initialCash: initialCashOf(run),
      commissionBps: run.config.commission_bps,
      slippageBps: run.config.slippage_bps,
    });
  }

  /** The strategy's own indicators on one of the run's symbols, from the bars the run saw. */
  async indicators(caller: Caller, modelId: number, runId: number, symbol: string): Promise<Indicators> {
    const run = await this.deps.runs.visible(caller, modelId, runId);
    if (!symbolsOf(run).includes(symbol)) throw new AppError('unknown_symbols', `symbol: ${symbol} is not traded by run ${run.id}`);
    const market = await this.marketOf(run);
    const bars = await market.bars(symbol, shiftDays(run.start_date, -INDICATOR_LOOKBACK_DAYS), run.end_date);
    const spec = run.config.agent;
    return { symbol, lines: spec ? strategyIndicators(spec, bars) : [] };
  }

  /** Runs side by side: their metrics and their equity normalised to 100 at each one's start. */
  async compare(caller: Caller, runIds: number[]): Promise<RunComparison> {
    const runs = [];
    for (const id of runIds) {
      const run = await this.deps.storage.runs.byId(id);
      const model = run && (await this.deps.storage.models.byId(run.model_id));
      if (!run || !model || (model.user_id !== caller.userId && caller.role !== 'admin')) throw runNotFound(id, run?.model_id ?? 0);
      const curve = await this.deps.storage.runs.equityCurve(run.id);
      const opening = initialCashOf(run);
      runs.push({
        run: runView(run),
        model_name: model.name,
        metrics: run.metrics,
        equity_curve: curve.map((p) => ({ date: p.date, value: Math.round((p.equity / opening) * 1e6) / 1e4 })),
      });
    }
    return { runs };
  }

  private tripsOf(run: RunRecord): Promise<RoundTrips> {
    return recordedRoundTrips(this.deps.storage, run);
  }

  private async marketOf(run: RunRecord): Promise<MarketData> {
    const market = await this.deps.market.forDataset(datasetOf(run));
    if (!market) throw new AppError('dataset_not_found', `the data set ${datasetOf(run)} of run ${run.id} no longer exists`);
    return market;
  }
}

/** A run's closed trades and open lots, from the fills, equity curve and positions storage recorded for it. */
export async function recordedRoundTrips(storage: Storage, run: RunRecord): Promise<RoundTrips> {
  const [fills, curve, positions] = await Promise.all([recordedFills(storage, run), storage.runs.equityCurve(run.id), storage.runs.positions(run.id)]);
  return roundTrips(fills, { calendar: curve.map((p) => p.date), lastPrices: new Map(positions.map((p) => [p.symbol, p.last_price])) });
}

/** Every trade of a run in the order it was executed (storage pages newest first). */
export async function recordedFills(storage: Storage, run: RunRecord): Promise<TradeRecord[]> {
  const fills: TradeRecord[] = [];
  let cursor: number | undefined;
  for (;;) {
    const page = await storage.trades.list({ model_id: run.model_id, run_id: run.id, limit: FILL_PAGE, cursor });
    fills.push(...page.items);
    if (page.next_cursor === null) break;
    cursor = Number(page.next_cursor);
  }
  return fills.reverse();
}

/**
 * Buy-and-hold of `benchmark` (a symbol of the data set, or `universe`: the traded symbols in equal
 * parts) on the days of an equity curve, on the same money and costs, with the comparison.
 */
export async function benchmarkOf(
  market: MarketData,
  a: {
    benchmark: string;
    universe: string[];
    dataset: string;
    curve: readonly EquityPoint[];
    start: string;
    end: string;
    initialCash: number;
    commissionBps: number;
    slippageBps: number;
  },
): Promise<Benchmark> {
  const universe = a.benchmark === 'universe';
  const symbols = universe ? a.universe : [a.benchmark];
  if (!universe && !(await market.info(a.benchmark))) throw new AppError('unknown_symbols', `benchmark: no symbol ${a.benchmark} in data set ${a.dataset}`);
  const dates = a.curve.map((p) => p.date);
  const bars = new Map(await Promise.all(symbols.map(async (s) => [s, await market.bars(s, a.start, a.end)] as const)));
  const equity_curve = benchmarkCurve({ symbols, bars, dates, initialCash: a.initialCash, commissionBps: a.commissionBps, slippageBps: a.slippageBps });
  return { kind: universe ? 'universe' : 'symbol', symbols, equity_curve, stats: benchmarkStats(a.curve, equity_curve, a.initialCash) };
}

const datasetOf = (run: RunRecord): string => run.config.dataset ?? 'simulated';
const symbolsOf = (run: RunRecord): string[] => run.config.symbols;
const initialCashOf = (run: RunRecord): number => run.config.initial_cash ?? run.cash;

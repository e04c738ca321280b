import { type Bar, DEFAULT_DATASET, type FetchSymbolResult, type MarketProvider } from '@tradewire/contract';
import type { DatasetWrite, SeriesWrite, SymbolSpan } from '../storage/records.js';
import { DatasetMismatch, type Storage } from '../storage/storage.js';
import { addDays, yearsBefore } from './calendar.js';
import { sleep } from './providers/http.js';
import { ProviderError, type DailySeries, type MarketDataProvider } from './providers/index.js';
import { backAdjust, detectSplits, SplitsFound } from './splits.js';

/** What to download: symbols of one provider into one data set. */
export interface FetchPlan {
  provider: MarketProvider;
  symbols: string[];
  from?: string;
  to?: string;
  dataset: string;
  /**
   * For prices as traded: true back-adjusts the prices before a split found in the new bars,
   * false keeps them as traded, undefined fails such a symbol (SplitsFound), storing nothing.
   */
  adjustSplits?: boolean;
  /** Intraday bars at this resolution instead of daily ones (Alpaca and Yahoo only). */
  timeframe?: '1m' | '5m' | '15m' | '1h';
}

/** A plan that cannot run at all, as opposed to one symbol failing; the message names the field. */
export class FetchRefused extends Error {
  override name = 'FetchRefused';
}

/** History fetched for a symbol new to its data set when the plan gives no `from`. */
export const DEFAULT_HISTORY_YEARS = 10;

export interface FetchDeps {
  storage: Storage;
  provider: MarketDataProvider;
  /** Pause between two symbols, to stay under the provider's rate limit. */
  intervalMs: number;
  /** Today, YYYY-MM-DD (UTC): only complete days, before it, are fetched. */
  today?: string;
  signal?: AbortSignal;
}

const heldData = (d: { source: string; provider: string | null }) => (d.source === 'import' ? 'imported files' : `${d.provider} data`);

/** Checks a plan against what is stored; throws FetchRefused naming what is wrong. */
export async function checkFetchPlan(storage: Storage, plan: FetchPlan): Promise<void> {
  if (plan.dataset === DEFAULT_DATASET) {
    throw new FetchRefused(`dataset: ${DEFAULT_DATASET} is generated, not stored: fetch into another data set`);
  }
  if (plan.from && plan.to && plan.from > plan.to) throw new FetchRefused(`from ${plan.from} is after to ${plan.to}`);
  if (plan.timeframe && plan.provider === 'alphavantage') throw new FetchRefused('timeframe: intraday bars come from alpaca or yahoo');
  const held = await storage.market.dataset(plan.dataset);
  if (held && (held.source !== 'provider' || held.provider !== plan.provider)) {
    throw new FetchRefused(`dataset: ${plan.dataset} holds ${heldData(held)}, not ${plan.provider} data: choose another data set name`);
  }
}

/**
 * Downloads each symbol in turn and stores it in one transaction of its own: a symbol that fails
 * is reported (nothing of it written) and the others go on. A symbol already stored is only asked
 * for the days after its last bar, unless the plan's `from` reaches before its first one (then its
 * history is fetched and replaced whole). `onResult` hears of each symbol as it finishes.
 */
export async function fetchMarket(
  deps: FetchDeps,
  plan: FetchPlan,
  onResult: (result: FetchSymbolResult) => void = () => {},
): Promise<FetchSymbolResult[]> {
  await checkFetchPlan(deps.storage, plan);
  const { storage, provider, signal } = deps;
  const lastDay = addDays(deps.today ?? new Date().toISOString().slice(0, 10), -1);
  const to = plan.to && plan.to < lastDay ? plan.to : lastDay;
  const spans = new Map((await storage.market.spans(plan.dataset)).map((s) => [s.symbol, s]));
  // Undefined until known: a new Alpha Vantage data set is adjusted only if the key allows it.
  let adjusted = (await storage.market.dataset(plan.dataset))?.adjusted;

  const results: FetchSymbolResult[] = [];
  for (const [i, symbol] of [...new Set(plan.symbols)].entries()) {
    if (i > 0 && deps.intervalMs > 0) await sleep(deps.intervalMs, signal);
    signal?.throwIfAborted();
    let result: FetchSymbolResult;
    try {
      const fetched = await fetchSymbol(symbol, spans.get(symbol));
      if (fetched.adjusted !== undefined) adjusted ??= fetched.adjusted;
      result = fetched.result;
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      const span = spans.get(symbol);
      const known = e instanceof ProviderError || e instanceof DatasetMismatch;
      const error =
        e instanceof SplitsFound
          ? `${e.message}; nothing stored: fetch again with adjust_splits true (--adjust-splits) to back-adjust the prices before it, or false (--no-adjust-splits) to keep prices as traded`
          : known
            ? (e as Error).message
            : `unexpected error: ${String(e)}`;
      result = {
        symbol,
        status: 'failed',
        bars: 0,
        first: span?.first ?? null,
        last: span?.last ?? null,
        error,
        note: null,
      };
    }
    results.push(result);
    onResult(result);
  }
  return results;

  async function fetchSymbol(symbol: string, span: SymbolSpan | undefined) {
    const whole = !span || (plan.from !== undefined && plan.from < span.first);
    const from = whole ? (plan.from ?? yearsBefore(to, DEFAULT_HISTORY_YEARS)) : addDays(span.last, 1);
    const unchanged = (note: string | null = null): { result: FetchSymbolResult; adjusted?: boolean } => ({
      result: { symbol, status: 'up_to_date', bars: 0, first: span?.first ?? null, last: span?.last ?? null, error: null, note },
    });
    if (from > to) return unchanged();

    let series: DailySeries = await provider.daily({ symbol, from, to, adjusted }, signal);
    const notes = series.note ? [series.note] : [];
    let keepEarlier = !whole;
    // A split or dividend after the last stored bar changes every earlier adjusted price.
    if (keepEarlier && series.adjusted && series.actions.length > 0) {
      notes.push(`split or dividend on ${series.actions[0]}: history fetched again from ${span!.first}`);
      series = await provider.daily({ symbol, from: span!.first, to, adjusted }, signal);
      keepEarlier = false;
    }
    if (series.skipped > 0) notes.push(`${series.skipped} bar${series.skipped === 1 ? '' : 's'} skipped (missing or inconsistent prices)`);
    if (series.bars.length === 0) {
      if (keepEarlier) return unchanged(notes.length > 0 ? notes.join('; ') : null);
      throw new ProviderError(`${provider.name} has no bars for ${symbol} between ${from} and ${to}`);
    }

    const dataset: DatasetWrite = { name: plan.dataset, source: 'provider', provider: provider.name, adjusted: series.adjusted };
    const info = { symbol, name: series.name ?? symbol, sector: 'Unknown', source: provider.name };
    const write = series.adjusted ? { bars: series.bars, keepEarlier } : await checkSplits(symbol, series.bars, keepEarlier, notes);
    await storage.market.save(dataset, [{ info, ...write }]);
    const note = notes.length > 0 ? notes.join('; ') : null;
    const first = write.keepEarlier ? span!.first : write.bars[0]!.date;
    const last = series.bars.at(-1)!.date;
    spans.set(symbol, { symbol, first, last });
    return {
      adjusted: series.adjusted,
      result: { symbol, status: 'updated', bars: series.bars.length, first, last, error: null, note } satisfies FetchSymbolResult,
    };
  }

  /**
   * Prices as traded: looks for a split in the new bars, or between the last stored bar and the
   * first new one. Splits in earlier bars were dealt with when those were stored.
   */
  async function checkSplits(symbol: string, bars: Bar[], keepEarlier: boolean, notes: string[]): Promise<Omit<SeriesWrite, 'info'>> {
    const earlier = keepEarlier ? await storage.market.bars(plan.dataset, symbol, undefined, addDays(bars[0]!.date, -1)) : [];
    const all = [...earlier, ...bars];
    const splits = detectSplits(all)
      .filter((s) => s.date >= bars[0]!.date)
      .map((s) => ({ symbol, ...s }));
    if (splits.length === 0) return { bars, keepEarlier };
    if (plan.adjustSplits === undefined) throw new SplitsFound(splits);
    const listed = splits.map((s) => `${s.ratio} on ${s.date}`).join(', ');
    if (!plan.adjustSplits) {
      notes.push(`split ${listed} kept as traded`);
      return { bars, keepEarlier };
    }
    notes.push(`prices before the split ${listed} back-adjusted`);
    const before = keepEarlier ? ((await storage.market.splitAdjusted(plan.dataset)).find((s) => s.symbol === symbol)?.splits ?? []) : [];
    const splitAdjusted = [...before, ...splits.map(({ date, ratio, factor }) => ({ date, ratio, factor }))];
    // The stored bars change too, so the series is written whole.
    return { bars: backAdjust(all, splits), keepEarlier: false, splitAdjusted };
  }
}

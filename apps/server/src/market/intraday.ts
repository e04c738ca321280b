import type { Bar } from '@tradewire/contract';
import { easternDate, easternToUtc } from '../live/exchange-calendar.js';
import type { LiveBar, Timeframe } from '../live/ports.js';
import { resample, TIMEFRAME_MS } from '../live/timeframe.js';
import type { Storage } from '../storage/storage.js';

export type IntradayTimeframe = Exclude<Timeframe, '1d'>;

/** Resolutions finer than each, finest last: the ones a coarser series can be built from. */
const FINER: Record<IntradayTimeframe, IntradayTimeframe[]> = { '1m': [], '5m': ['1m'], '15m': ['5m', '1m'], '1h': ['15m', '5m', '1m'] };

/**
 * A symbol's intraday bars at `timeframe` within [from, to] (days, inclusive): as stored, or
 * resampled from the coarsest finer resolution stored (5-minute bars from 1-minute ones, hours
 * from quarters), each coarse bar starting at the open (09:30, 09:35, ... or 09:30, 10:30, ...
 * New York). Empty when the data set holds none at or below that resolution.
 */
export async function intradayBars(storage: Storage, dataset: string, symbol: string, timeframe: IntradayTimeframe, from?: string, to?: string): Promise<Bar[]> {
  const exact = await storage.market.intradayBars(dataset, symbol, timeframe, from, to);
  if (exact.length > 0) return exact;
  for (const finer of FINER[timeframe]) {
    const bars = await storage.market.intradayBars(dataset, symbol, finer, from, to);
    if (bars.length > 0) return resampleBars(bars, finer, timeframe);
  }
  return [];
}

/** Fine bars (oldest first) as bars of `to`, anchored at each day's 09:30 open. */
export function resampleBars(bars: readonly Bar[], from: IntradayTimeframe, to: IntradayTimeframe): Bar[] {
  const len = TIMEFRAME_MS[to];
  const live: LiveBar[] = bars.map((b) => ({ ...b, symbol: '', timeframe: from, start: b.date }));
  const anchor = (t: number) => {
    const open = easternToUtc(easternDate(t), '09:30');
    return open + Math.floor((t - open) / len) * len;
  };
  return resample(live, to, anchor, () => true).map(({ start, open, high, low, close, volume }) => ({ date: start, open, high, low, close, volume }));
}

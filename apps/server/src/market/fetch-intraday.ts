import type { FetchSymbolResult } from '@tradewire/contract';
import type { LiveBarSource, Timeframe } from '../live/ports.js';
import { easternDate, easternToUtc } from '../live/exchange-calendar.js';
import { YAHOO_LIMITS } from '../live/bar-sources.js';
import { toBar } from '../live/timeframe.js';
import type { Storage } from '../storage/storage.js';
import { addDays } from './calendar.js';
import type { FetchPlan } from './fetch.js';

/** Intraday history fetched when the plan gives no `from`: Yahoo keeps 1-minute bars 30 days. */
export const DEFAULT_INTRADAY_DAYS = 28;
/** Days asked per request: Yahoo serves at most 7 days of 1-minute bars at once. */
const CHUNK_DAYS = 7;

/** Whether a bar began within regular hours (09:30 to 16:00 New York) of its day. */
function inRegularHours(start: string): boolean {
  const t = Date.parse(start);
  const day = easternDate(t);
  return t >= easternToUtc(day, '09:30') && t < easternToUtc(day, '16:00');
}

/**
 * Downloads intraday bars (`plan.timeframe`) of each symbol, regular hours only, a week per
 * request, and stores each symbol in one transaction of its own (packed, a row per day). Days
 * already stored are replaced by what the provider sends now.
 */
export async function fetchIntraday(
  deps: { storage: Storage; source: LiveBarSource; today: string; signal?: AbortSignal },
  plan: FetchPlan & { timeframe: Exclude<Timeframe, '1d'> },
  onResult: (r: FetchSymbolResult) => void,
): Promise<FetchSymbolResult[]> {
  const to = plan.to && plan.to < deps.today ? plan.to : addDays(deps.today, -1);
  const from = plan.from ?? addDays(to, -DEFAULT_INTRADAY_DAYS);
  const dataset = { name: plan.dataset, source: 'provider' as const, provider: plan.provider, adjusted: plan.provider === 'alpaca' };
  const results: FetchSymbolResult[] = [];
  for (const symbol of [...new Set(plan.symbols)]) {
    deps.signal?.throwIfAborted();
    let result: FetchSymbolResult;
    try {
      const bars = [];
      for (let day = from; day <= to; day = addDays(day, CHUNK_DAYS)) {
        const end = addDays(day, CHUNK_DAYS) <= addDays(to, 1) ? addDays(day, CHUNK_DAYS) : addDays(to, 1);
        const chunk = await deps.source.poll(
          { symbols: [symbol], timeframe: plan.timeframe, since: `${day}T00:00:00Z`, until: `${end}T00:00:00Z` },
          deps.signal,
        );
        bars.push(...chunk.filter((b) => inRegularHours(b.start)).map(toBar));
      }
      await deps.storage.market.saveIntraday(dataset, { symbol, name: symbol, sector: 'Unknown', source: plan.provider }, plan.timeframe, bars);
      result = {
        symbol,
        status: bars.length > 0 ? 'updated' : 'up_to_date',
        bars: bars.length,
        first: bars[0]?.date ?? null,
        last: bars.at(-1)?.date ?? null,
        error: null,
        note: rangeNote(plan.provider, plan.timeframe, from, deps.today),
      };
    } catch (e) {
      if (deps.signal?.aborted) throw e;
      result = { symbol, status: 'failed', bars: 0, first: null, last: null, error: e instanceof Error ? e.message : String(e), note: null };
    }
    results.push(result);
    onResult(result);
  }
  return results;
}

/** Why fewer days came than asked: Yahoo keeps intraday bars for a limited time only. */
function rangeNote(provider: string, timeframe: Exclude<Timeframe, '1d'>, from: string, today: string): string | null {
  if (provider !== 'yahoo') return null;
  const days = YAHOO_LIMITS[timeframe].historyDays;
  const oldest = addDays(today, -days);
  return from < oldest ? `Yahoo keeps ${timeframe} bars for ${days + 1} days: bars before ${oldest} are not available` : null;
}

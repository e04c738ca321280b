import { isRecord, parseAlphaVantage } from '../alpha-vantage.js';
import { addDays } from '../calendar.js';
import { MarketImportError } from '../imported-bars.js';
import { getJson, retrying, Throttled, type RetryPolicy } from './http.js';
import { ProviderError, type DailyRequest, type DailySeries, type MarketDataProvider } from './provider.js';

/** A compact answer holds the latest 100 trading days: about 140 calendar days. */
const COMPACT_DAYS = 140;

type Refusal = { kind: 'throttled' | 'quota' | 'premium' | 'error'; text: string };

/**
 * Alpha Vantage answers errors with HTTP 200 and a body holding one of these keys instead of data:
 * `Error Message` (bad symbol or call), `Note` (calls per minute exceeded), `Information` (daily
 * quota, a premium endpoint or parameter, the demo key).
 */
function refusalOf(doc: unknown): Refusal | undefined {
  if (!isRecord(doc)) return { kind: 'error', text: 'the answer is not a JSON object' };
  const error = doc['Error Message'];
  if (typeof error === 'string') return { kind: 'error', text: error };
  const note = doc['Note'];
  if (typeof note === 'string') return { kind: 'throttled', text: note };
  const info = doc['Information'];
  if (typeof info !== 'string') return undefined;
  const perMinute = /per minute|per second|frequency|burst|spread out/i.test(info);
  // Not just /daily/: premium notes name TIME_SERIES_DAILY.
  if (/per day|daily (rate )?limit/i.test(info) && !perMinute) return { kind: 'quota', text: info };
  if (perMinute) return { kind: 'throttled', text: info };
  if (/premium/i.test(info)) return { kind: 'premium', text: info };
  return { kind: 'error', text: info };
}

/**
 * Daily bars from Alpha Vantage over plain HTTP (it has no maintained Node client). Adjusted
 * prices come from TIME_SERIES_DAILY_ADJUSTED, a premium endpoint: with a free key the answer
 * falls back to TIME_SERIES_DAILY, prices as traded. The API takes no date range, so a request
 * for recent days asks for the compact answer (100 days) and longer ones for the full history,
 * itself premium for the unadjusted series; a free key then gets the compact answer and a note.
 */
export function alphaVantageProvider(opts: { baseUrl: string; apiKey: string; retry: RetryPolicy; today?: () => string }): MarketDataProvider {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const today = opts.today ?? (() => new Date().toISOString().slice(0, 10));
  // Learned from the first refusal, so later symbols do not spend calls of a small daily quota.
  let adjustedIsPremium = false;
  let fullIsPremium = false;

  async function query(fn: string, symbol: string, outputsize: 'compact' | 'full', signal?: AbortSignal): Promise<unknown> {
    const url = new URL(`${base}/query`);
    url.search = new URLSearchParams({ function: fn, symbol, outputsize, datatype: 'json', apikey: opts.apiKey }).toString();
    return retrying(
      opts.retry,
      async () => {
        const { status, body } = await getJson(url, `Alpha Vantage ${symbol}`, { signal });
        const refusal = refusalOf(body);
        if (refusal?.kind === 'throttled') throw new Throttled(`Alpha Vantage ${symbol}: throttled: ${refusal.text}`);
        if (status !== 200 && !refusal) throw new ProviderError(`Alpha Vantage answered HTTP ${status}`);
        return body;
      },
      signal,
    );
  }

  return {
    name: 'alphavantage',
    async daily({ symbol, from, to, adjusted }: DailyRequest, signal?: AbortSignal): Promise<DailySeries> {
      let adjust = adjusted ?? !adjustedIsPremium;
      let outputsize: 'compact' | 'full' = from >= addDays(today(), -COMPACT_DAYS) || fullIsPremium ? 'compact' : 'full';
      const notes: string[] = [];
      if (outputsize === 'compact' && fullIsPremium && from < addDays(today(), -COMPACT_DAYS)) {
        notes.push('full history is premium: only the latest 100 days');
      }
      for (;;) {
        const fn = adjust ? 'TIME_SERIES_DAILY_ADJUSTED' : 'TIME_SERIES_DAILY';
        const doc = await query(fn, symbol, outputsize, signal);
        const refusal = refusalOf(doc);
        if (refusal?.kind === 'premium' && adjust && adjusted === undefined) {
          adjustedIsPremium = true;
          adjust = false;
          notes.push('adjusted prices are premium: prices as traded');
          continue;
        }
        if (refusal?.kind === 'premium' && outputsize === 'full' && /outputsize/i.test(refusal.text)) {
          fullIsPremium = true;
          outputsize = 'compact';
          notes.push('full history is premium: only the latest 100 days');
          continue;
        }
        if (refusal) throw new ProviderError(`Alpha Vantage: ${refusal.text}`);
        let series;
        try {
          series = parseAlphaVantage(doc, { symbol, adjust });
        } catch (e) {
          if (e instanceof MarketImportError) throw new ProviderError(`Alpha Vantage: ${e.message}`);
          throw e;
        }
        const inRange = (d: string) => d >= from && d <= to;
        return {
          bars: series.bars.filter((b) => inRange(b.date)),
          adjusted: series.adjusted,
          actions: series.actions.filter(inRange),
          skipped: 0,
          note: notes.length > 0 ? notes.join('; ') : undefined,
        };
      }
    },
  };
}

import type { Bar } from '@tradewire/contract';
import { isRecord } from '../alpha-vantage.js';
import { addDays, unixDay } from '../calendar.js';
import { adjustBar, MarketImportError, readBar } from '../imported-bars.js';
import { getJson, retrying, type RetryPolicy } from './http.js';
import { ProviderError, type DailyRequest, type DailySeries, type MarketDataProvider } from './provider.js';

/** Yahoo refuses requests without a browser-like agent. */
const USER_AGENT = 'Mozilla/5.0 (compatible; Tradewire)';

const numbers = (v: unknown): (number | null)[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'number' && Number.isFinite(x) ? x : null)) : []);

/**
 * Daily bars from Yahoo Finance's chart API (v8), adjusted for splits and dividends by scaling
 * each bar to its `adjclose`. Plain HTTP: the yahoo-finance2 client fixes the scheme and host
 * (https://query2.finance.yahoo.com) so it cannot be pointed at a test server, and its current
 * major needs Node 22.
 */
export function yahooProvider(opts: { baseUrl: string; retry: RetryPolicy }): MarketDataProvider {
  const base = opts.baseUrl.replace(/\/+$/, '');
  return {
    name: 'yahoo',
    async daily({ symbol, from, to }: DailyRequest, signal?: AbortSignal): Promise<DailySeries> {
      const url = new URL(`${base}/v8/finance/chart/${encodeURIComponent(symbol)}`);
      url.searchParams.set('period1', String(unixDay(from)));
      // period2 is exclusive: the start of the day after `to`.
      url.searchParams.set('period2', String(unixDay(addDays(to, 1))));
      url.searchParams.set('interval', '1d');
      url.searchParams.set('events', 'div|split');
      url.searchParams.set('includeAdjustedClose', 'true');
      const { status, body } = await retrying(
        opts.retry,
        () => getJson(url, `Yahoo ${symbol}`, { headers: { 'user-agent': USER_AGENT }, signal }),
        signal,
      );
      const chart = isRecord(body) && isRecord(body.chart) ? body.chart : undefined;
      // Errors come as `chart.error`, or `finance.error` when the request itself is refused.
      const refusal = chart?.error ?? (isRecord(body) && isRecord(body.finance) ? body.finance.error : undefined);
      if (isRecord(refusal)) throw new ProviderError(`Yahoo: ${String(refusal.description ?? refusal.code ?? `HTTP ${status}`)}`);
      const result = chart && Array.isArray(chart.result) ? chart.result[0] : undefined;
      if (!isRecord(result)) throw new ProviderError(`Yahoo answered HTTP ${status} without a chart`);
      return readChart(result, symbol, from, to);
    },
  };
}

/** Bars of `chart.result[0]`: one per timestamp, holes (nulls) and inconsistent bars skipped. */
function readChart(result: Record<string, unknown>, symbol: string, from: string, to: string): DailySeries {
  const meta = isRecord(result.meta) ? result.meta : {};
  const offset = typeof meta.gmtoffset === 'number' ? meta.gmtoffset : 0;
  const dateOf = (seconds: number) => new Date((seconds + offset) * 1000).toISOString().slice(0, 10);
  const indicators = isRecord(result.indicators) ? result.indicators : {};
  const quote = Array.isArray(indicators.quote) && isRecord(indicators.quote[0]) ? indicators.quote[0] : {};
  const adjclose = Array.isArray(indicators.adjclose) && isRecord(indicators.adjclose[0]) ? indicators.adjclose[0].adjclose : undefined;
  const timestamps = numbers(result.timestamp);
  const open = numbers(quote.open);
  const high = numbers(quote.high);
  const low = numbers(quote.low);
  const close = numbers(quote.close);
  const volume = numbers(quote.volume);
  const adjusted = numbers(adjclose);
  if (timestamps.length > 0 && adjclose === undefined) throw new ProviderError('Yahoo: the answer has no adjclose');

  // Keyed by date: during a session Yahoo may add the live bar next to the day's first one.
  const bars = new Map<string, Bar>();
  let skipped = 0;
  timestamps.forEach((t, i) => {
    if (t === null) return void skipped++;
    const date = dateOf(t);
    if (date < from || date > to) return;
    const [o, h, l, c, a] = [open[i], high[i], low[i], close[i], adjusted[i]];
    if (o == null || h == null || l == null || c == null || a == null) return void skipped++;
    try {
      const bar = readBar({ date, open: o, high: h, low: l, close: c, volume: volume[i] ?? 0 }, `${symbol} ${date}`);
      bars.set(date, adjustBar(bar, a));
    } catch (e) {
      if (!(e instanceof MarketImportError)) throw e;
      skipped++;
    }
  });

  const events = isRecord(result.events) ? result.events : {};
  const actions = [events.dividends, events.splits]
    .flatMap((kind) => (isRecord(kind) ? Object.values(kind) : []))
    .flatMap((e) => (isRecord(e) && typeof e.date === 'number' ? [dateOf(e.date)] : []))
    .filter((d) => d >= from && d <= to)
    .sort();
  const name = [meta.longName, meta.shortName].find((n): n is string => typeof n === 'string' && n.trim() !== '');
  return { bars: [...bars.values()].sort((a, b) => (a.date < b.date ? -1 : 1)), adjusted: true, name: name?.trim(), actions, skipped };
}

import { isRecord } from '../market/alpha-vantage.js';
import { getJson, retrying, type RetryPolicy } from '../market/providers/http.js';
import { ProviderError } from '../market/providers/provider.js';
import { easternDate, easternToUtc } from './exchange-calendar.js';
import type { BarRequest, Clock, LiveBar, LiveBarSource, Timeframe } from './ports.js';
import { isoMinute, TIMEFRAME_MS } from './timeframe.js';

/** Bars per page: the most Alpaca sends at once. */
const ALPACA_PAGE_LIMIT = 10_000;

const ALPACA_TIMEFRAME: Record<Timeframe, string> = { '1m': '1Min', '5m': '5Min', '15m': '15Min', '1h': '1Hour', '1d': '1Day' };

/** Daily bars are stamped 00:00 UTC of their New York trading day. */
const startOf = (ms: number, tf: Timeframe) => (tf === '1d' ? `${easternDate(ms)}T00:00:00Z` : isoMinute(ms));

/**
 * Whether a bar that began at `startMs` is over at `now`. A daily bar is once its day's regular
 * close (16:00 New York) has passed, or its day is; on an early close that waits until 16:00.
 */
const isComplete = (startMs: number, tf: Timeframe, now: number) => {
  if (tf !== '1d') return startMs + TIMEFRAME_MS[tf] <= now;
  const day = easternDate(startMs);
  return day < easternDate(now) || now >= easternToUtc(day, '16:00');
};

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A bar with every price present and consistent (low <= open, close <= high), or null. */
function checkedBar(symbol: string, tf: Timeframe, startMs: number, o: unknown, h: unknown, l: unknown, c: unknown, v: unknown): LiveBar | null {
  const [open, high, low, close] = [num(o), num(h), num(l), num(c)];
  if (open === null || high === null || low === null || close === null) return null;
  if (low <= 0 || low > Math.min(open, close) || high < Math.max(open, close)) return null;
  return { symbol, timeframe: tf, start: startOf(startMs, tf), open, high, low, close, volume: num(v) ?? 0 };
}

const byTime = (a: LiveBar, b: LiveBar) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);

/**
 * Bars of several symbols at once from Alpaca's market data REST API
 * (`GET /v2/stocks/bars?symbols=...&timeframe=5Min`), following `next_page_token` until done.
 * Prices are split-adjusted (`adjustment=split`) and from the free IEX feed.
 */
export function alpacaBarSource(opts: { dataUrl: string; keyId: string; secretKey: string; retry: RetryPolicy; clock: Clock }): LiveBarSource {
  const base = opts.dataUrl.replace(/\/+$/, '');
  const headers = { 'APCA-API-KEY-ID': opts.keyId, 'APCA-API-SECRET-KEY': opts.secretKey };
  return {
    name: 'alpaca',
    async poll(request: BarRequest, signal?: AbortSignal): Promise<LiveBar[]> {
      const out: LiveBar[] = [];
      const now = opts.clock.now();
      const seen = new Set<string>();
      let pageToken: string | undefined;
      do {
        const url = new URL(`${base}/v2/stocks/bars`);
        url.searchParams.set('symbols', request.symbols.join(','));
        url.searchParams.set('timeframe', ALPACA_TIMEFRAME[request.timeframe]);
        url.searchParams.set('start', request.since);
        url.searchParams.set('end', request.until);
        url.searchParams.set('limit', String(ALPACA_PAGE_LIMIT));
        url.searchParams.set('adjustment', 'split');
        url.searchParams.set('feed', 'iex');
        url.searchParams.set('sort', 'asc');
        if (pageToken) url.searchParams.set('page_token', pageToken);
        const { status, body } = await retrying(opts.retry, () => getJson(url, 'Alpaca bars', { headers, signal }), signal);
        if (status !== 200 || !isRecord(body)) {
          const message = isRecord(body) && typeof body.message === 'string' ? body.message : `HTTP ${status}`;
          throw new ProviderError(`Alpaca bars: ${message} (HTTP ${status})`);
        }
        const bars = isRecord(body.bars) ? body.bars : {};
        for (const [symbol, list] of Object.entries(bars)) {
          if (!request.symbols.includes(symbol) || !Array.isArray(list)) continue;
          for (const b of list) {
            if (!isRecord(b) || typeof b.t !== 'string') continue;
            const t = Date.parse(b.t);
            if (Number.isNaN(t) || !isComplete(t, request.timeframe, now)) continue;
            const bar = checkedBar(symbol, request.timeframe, t, b.o, b.h, b.l, b.c, b.v);
            if (bar) out.push(bar);
          }
        }
        pageToken = typeof body.next_page_token === 'string' && body.next_page_token ? body.next_page_token : undefined;
        if (pageToken && seen.has(pageToken)) throw new ProviderError(`Alpaca bars: page token ${pageToken} came back twice`);
        if (pageToken) seen.add(pageToken);
      } while (pageToken);
      return dedupe(out.sort(byTime));
    },
  };
}

/**
 * How far back Yahoo's chart API serves each intraday interval (it refuses older ranges with
 * "... data not available for startTime"): 1-minute bars for the last 30 days and at most 7 days
 * per request, 5- and 15-minute bars for the last 60 days, hourly bars for the last 730 days.
 */
export const YAHOO_LIMITS: Record<Timeframe, { interval: string; historyDays: number; perRequestDays: number }> = {
  '1m': { interval: '1m', historyDays: 29, perRequestDays: 7 },
  '5m': { interval: '5m', historyDays: 59, perRequestDays: 59 },
  '15m': { interval: '15m', historyDays: 59, perRequestDays: 59 },
  '1h': { interval: '60m', historyDays: 729, perRequestDays: 729 },
  '1d': { interval: '1d', historyDays: 36_500, perRequestDays: 36_500 },
};

const DAY_MS = 86_400_000;

/**
 * Bars from Yahoo Finance's chart API (v8), one symbol per request, regular hours only
 * (`includePrePost=false`). A request reaching further back than Yahoo keeps that interval
 * (YAHOO_LIMITS) starts at its limit instead, and long 1-minute ranges are asked 7 days at a
 * time. Yahoo includes the bar still forming; it is left out. Prices are as traded.
 */
export function yahooBarSource(opts: { baseUrl: string; retry: RetryPolicy; clock: Clock }): LiveBarSource {
  const base = opts.baseUrl.replace(/\/+$/, '');
  return {
    name: 'yahoo',
    async poll(request: BarRequest, signal?: AbortSignal): Promise<LiveBar[]> {
      const now = opts.clock.now();
      const limit = YAHOO_LIMITS[request.timeframe];
      const from = Math.max(Date.parse(request.since), now - limit.historyDays * DAY_MS);
      const to = Math.min(Date.parse(request.until), now);
      const out: LiveBar[] = [];
      for (const symbol of request.symbols) {
        for (let start = from; start < to; start += limit.perRequestDays * DAY_MS) {
          const end = Math.min(to, start + limit.perRequestDays * DAY_MS);
          out.push(...(await chart(symbol, start, end, signal)).filter((b) => b.start >= request.since && b.start < request.until));
        }
      }
      return dedupe(out.sort(byTime));

      async function chart(symbol: string, start: number, end: number, signal?: AbortSignal): Promise<LiveBar[]> {
        const url = new URL(`${base}/v8/finance/chart/${encodeURIComponent(symbol)}`);
        url.searchParams.set('period1', String(Math.floor(start / 1000)));
        url.searchParams.set('period2', String(Math.ceil(end / 1000)));
        url.searchParams.set('interval', limit.interval);
        url.searchParams.set('includePrePost', 'false');
        const headers = { 'user-agent': 'Mozilla/5.0 (compatible; Tradewire)' };
        const { status, body } = await retrying(opts.retry, () => getJson(url, `Yahoo ${symbol}`, { headers, signal }), signal);
        const chart = isRecord(body) && isRecord(body.chart) ? body.chart : undefined;
        const refusal = chart?.error;
        if (isRecord(refusal)) throw new ProviderError(`Yahoo ${symbol}: ${String(refusal.description ?? refusal.code ?? `HTTP ${status}`)}`);
        const result = chart && Array.isArray(chart.result) ? chart.result[0] : undefined;
        if (!isRecord(result)) throw new ProviderError(`Yahoo ${symbol}: HTTP ${status} without a chart`);
        const indicators = isRecord(result.indicators) ? result.indicators : {};
        const quote = Array.isArray(indicators.quote) && isRecord(indicators.quote[0]) ? indicators.quote[0] : {};
        const col = (k: string) => (Array.isArray(quote[k]) ? (quote[k] as unknown[]) : []);
        const timestamps = Array.isArray(result.timestamp) ? result.timestamp : [];
        const bars: LiveBar[] = [];
        timestamps.forEach((s: unknown, i: number) => {
          if (typeof s !== 'number') return;
          const t = s * 1000;
          if (!isComplete(t, request.timeframe, now)) return;
          const bar = checkedBar(symbol, request.timeframe, t, col('open')[i], col('high')[i], col('low')[i], col('close')[i], col('volume')[i]);
          if (bar) bars.push(bar);
        });
        return bars;
      }
    },
  };
}

/** One bar per symbol and start (a provider may repeat one across pages or requests). */
function dedupe(sorted: LiveBar[]): LiveBar[] {
  return sorted.filter((b, i) => i === 0 || b.start !== sorted[i - 1]!.start || b.symbol !== sorted[i - 1]!.symbol);
}

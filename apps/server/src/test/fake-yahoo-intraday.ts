import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { weekdays } from '../market/calendar.js';
import { easternToUtc } from '../live/exchange-calendar.js';
import { fakeMinuteBar } from './fake-alpaca-live.js';

const LIMIT_DAYS: Record<string, { history: number; span: number }> = {
  '1m': { history: 30, span: 8 },
  '5m': { history: 60, span: 60 },
  '15m': { history: 60, span: 60 },
  '60m': { history: 730, span: 730 },
};
const MINUTES: Record<string, number> = { '1m': 1, '5m': 5, '15m': 15, '60m': 60 };
const DAY = 86_400_000;

export interface FakeYahooIntraday {
  url: string;
  /** Every chart request: symbol, interval, period1 and period2 (ms). */
  requests: { symbol: string; interval: string; from: number; to: number }[];
  close(): Promise<void>;
}

/**
 * Yahoo's chart API for intraday intervals (`interval=1m|5m|15m|60m`, `period1`/`period2` in
 * seconds), as it answers: regular-hours bars stamped by their start, the bar still forming
 * included, a null hole in the first bar of each day, HTTP 404 for an unknown symbol (`NOPE`), and HTTP 422 with `chart.error` for a range
 * older than the interval allows (1-minute: 30 days, at most 8 per request; 5/15-minute: 60 days;
 * hourly: 730 days).
 */
export async function startFakeYahooIntraday(now: () => number): Promise<FakeYahooIntraday> {
  const requests: FakeYahooIntraday['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const symbol = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname)?.[1] ?? '';
    const interval = url.searchParams.get('interval') ?? '';
    const from = Number(url.searchParams.get('period1')) * 1000;
    const to = Number(url.searchParams.get('period2')) * 1000;
    requests.push({ symbol, interval, from, to });
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!symbol || symbol === 'NOPE') return answer(404, { chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } });
    const limit = LIMIT_DAYS[interval];
    if (!limit) return answer(422, { chart: { result: null, error: { code: 'Unprocessable Entity', description: `Invalid input - interval=${interval} is not supported.` } } });
    if (from < now() - limit.history * DAY || to - from > limit.span * DAY) {
      return answer(422, {
        chart: { result: null, error: { code: 'Unprocessable Entity', description: `${interval} data not available for startTime=${from / 1000} and endTime=${to / 1000}. The requested range must be within the last ${limit.history} days.` } },
      });
    }
    const step = MINUTES[interval]! * 60_000;
    const timestamp: number[] = [];
    const quote = { open: [] as (number | null)[], high: [] as (number | null)[], low: [] as (number | null)[], close: [] as (number | null)[], volume: [] as (number | null)[] };
    for (const day of weekdays(new Date(from).toISOString().slice(0, 10), new Date(to).toISOString().slice(0, 10))) {
      const open = easternToUtc(day, '09:30');
      const close = easternToUtc(day, '16:00');
      for (let t = open; t < close && t < Math.min(to, now()); t += step) {
        if (t < from) continue;
        const first = fakeMinuteBar(symbol, t);
        const last = fakeMinuteBar(symbol, Math.min(t + step, close) - 60_000);
        timestamp.push(t / 1000);
        const hole = t === open;
        quote.open.push(hole ? null : first.o);
        quote.high.push(hole ? null : Math.max(first.h, last.h));
        quote.low.push(hole ? null : Math.min(first.l, last.l));
        quote.close.push(hole ? null : last.c);
        quote.volume.push(hole ? null : first.v);
      }
    }
    answer(200, { chart: { result: [{ meta: { symbol, dataGranularity: interval, gmtoffset: -18000 }, timestamp, indicators: { quote: [quote] } }], error: null } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

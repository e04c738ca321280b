import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { weekdays } from '../market/calendar.js';
import { easternToUtc } from '../live/exchange-calendar.js';
import { FAKE_ALPACA_KEY, fakeBar } from './fake-providers.js';

/** The exchange behind the fake: which days trade and until when, and whether it answers at all. */
export interface FakeExchange {
  /** Weekdays the exchange is closed (YYYY-MM-DD). */
  holidays: string[];
  /** Days the exchange closes at 13:00 New York. */
  earlyCloses: string[];
  /** True: every market data request answers 503 (an outage). */
  down: boolean;
  /** Bars per page of `/v2/stocks/bars`: small values exercise paging. */
  pageSize: number;
}

export interface FakeAlpacaLive {
  url: string;
  exchange: FakeExchange;
  /** Paths (with query) of every request, oldest first. */
  requests: string[];
  close(): Promise<void>;
}

const MINUTE = 60_000;
const TIMEFRAME_MINUTES: Record<string, number> = { '1Min': 1, '5Min': 5, '15Min': 15, '1Hour': 60 };

const round = (x: number) => Math.round(x * 100) / 100;

/** A symbol's fake trade price at a minute: a slow wave around a price of its own. */
export function fakePrice(symbol: string, ms: number): number {
  const seed = [...symbol].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 9973, 7) % 97;
  const m = ms / MINUTE;
  return round(100 + seed + 5 * Math.sin(m / 40 + seed) + 0.5 * Math.sin(m / 3));
}

/** The fake's minute bar beginning at `ms`, as Alpaca would send it. */
export function fakeMinuteBar(symbol: string, ms: number) {
  const o = fakePrice(symbol, ms);
  const c = fakePrice(symbol, ms + MINUTE - 1);
  return { o, h: round(Math.max(o, c) + 0.05), l: round(Math.min(o, c) - 0.05), c, v: 1000 + (Math.floor(ms / MINUTE) % 97) };
}

/**
 * Alpaca on loopback, as live trading uses it: `GET /v2/stocks/bars?symbols=&timeframe=&start=&end=`
 * (bars by symbol, `next_page_token` paging, only bars complete at `now()`, regular hours only),
 * `GET /v2/stocks/{symbol}/bars` daily bars for fetching a data set, and `GET /v2/calendar` on the
 * same host (the paper trading host in tests) with holidays and early closes. 403 without the key
 * headers; 503 while `exchange.down`.
 */
export async function startFakeAlpacaLive(now: () => number, overrides: Partial<FakeExchange> = {}): Promise<FakeAlpacaLive> {
  const exchange: FakeExchange = { holidays: [], earlyCloses: [], down: false, pageSize: 1000, ...overrides };
  const requests: string[] = [];
  const sessionsBetween = (from: string, to: string) =>
    weekdays(from, to)
      .filter((d) => !exchange.holidays.includes(d))
      .map((date) => ({ date, open: '09:30', close: exchange.earlyCloses.includes(date) ? '13:00' : '16:00' }));

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.headers['apca-api-key-id'] !== FAKE_ALPACA_KEY.id || req.headers['apca-api-secret-key'] !== FAKE_ALPACA_KEY.secret) {
      return json(res, 403, { message: 'forbidden' });
    }
    if (url.pathname === '/v2/calendar') {
      const start = url.searchParams.get('start') ?? '2020-01-01';
      const end = url.searchParams.get('end') ?? start;
      return json(
        res,
        200,
        sessionsBetween(start, end).map((s) => ({ ...s, session_open: '0400', session_close: '2000', settlement_date: s.date })),
      );
    }
    if (exchange.down) return json(res, 503, { message: 'service unavailable' });
    const single = /^\/v2\/stocks\/([^/]+)\/bars$/.exec(url.pathname)?.[1];
    if (single) {
      const from = (url.searchParams.get('start') ?? '').slice(0, 10);
      const to = (url.searchParams.get('end') ?? '').slice(0, 10);
      const bars = sessionsBetween(from, to).map((s) => {
        const b = fakeBar(single, s.date);
        return { t: `${s.date}T05:00:00Z`, o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume };
      });
      return json(res, 200, { bars, symbol: single, next_page_token: null });
    }
    if (url.pathname !== '/v2/stocks/bars') return json(res, 404, { message: 'Not Found' });
    const symbols = (url.searchParams.get('symbols') ?? '').split(',').filter(Boolean);
    const timeframe = url.searchParams.get('timeframe') ?? '';
    const start = Date.parse(url.searchParams.get('start') ?? '');
    const end = Math.min(Date.parse(url.searchParams.get('end') ?? ''), now());
    if (symbols.length === 0 || Number.isNaN(start) || Number.isNaN(end)) return json(res, 422, { message: 'symbols, start and end are required' });
    const all: { symbol: string; bar: Record<string, unknown> }[] = [];
    const from = new Date(start - 86_400_000).toISOString().slice(0, 10);
    const to = new Date(end).toISOString().slice(0, 10);
    for (const symbol of symbols) {
      for (const s of sessionsBetween(from, to)) {
        const open = easternToUtc(s.date, s.open);
        const close = easternToUtc(s.date, s.close);
        if (timeframe === '1Day') {
          if (close > now() || open < start - 86_400_000 || open >= end) continue;
          const b = fakeBar(symbol, s.date);
          all.push({ symbol, bar: { t: `${s.date}T05:00:00Z`, o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume } });
          continue;
        }
        const minutes = TIMEFRAME_MINUTES[timeframe];
        if (!minutes) return json(res, 422, { message: `invalid timeframe ${timeframe}` });
        for (let t = open; t < close; t += minutes * MINUTE) {
          const barEnd = Math.min(t + minutes * MINUTE, close);
          // Only bars that began in the range; the one still forming is not served.
          if (t < start || t >= end || barEnd > now()) continue;
          const first = fakeMinuteBar(symbol, t);
          const last = fakeMinuteBar(symbol, barEnd - MINUTE);
          all.push({ symbol, bar: { t: new Date(t).toISOString(), o: first.o, h: round(Math.max(first.h, last.h)), l: round(Math.min(first.l, last.l)), c: last.c, v: first.v * minutes } });
        }
      }
    }
    const token = url.searchParams.get('page_token');
    const offset = token ? Number(Buffer.from(token, 'base64').toString()) : 0;
    const page = all.slice(offset, offset + exchange.pageSize);
    const bars: Record<string, unknown[]> = {};
    for (const { symbol, bar } of page) (bars[symbol] ??= []).push(bar);
    const next = offset + exchange.pageSize < all.length ? Buffer.from(String(offset + exchange.pageSize)).toString('base64') : null;
    json(res, 200, { bars, next_page_token: next });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchange,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Server settings that point every Alpaca URL (data and paper) at the fake, with its keys. */
export const fakeAlpacaLiveEnv = (fake: FakeAlpacaLive): Record<string, string> => ({
  ALPACA_DATA_URL: fake.url,
  ALPACA_PAPER_URL: fake.url,
  // The paper host may only be a loopback fake when tests say so.
  ALPACA_ALLOW_LOOPBACK: '1',
  // This fake serves Alpaca's REST only: no real-time stream (the stream has its own fake and tests).
  ALPACA_STREAM: '0',
  ALPACA_KEY_ID: FAKE_ALPACA_KEY.id,
  ALPACA_SECRET_KEY: FAKE_ALPACA_KEY.secret,
});

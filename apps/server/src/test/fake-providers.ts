import { type IncomingHttpHeaders, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bar } from '@tradewire/contract';
import { unixDay, weekdays } from '../market/calendar.js';

/** A split or dividend: bars before `date` are worth `factor` of their traded price once adjusted. */
export interface FakeAction {
  symbol: string;
  date: string;
  factor: number;
  /** A split (Alpha Vantage's fake only): traded prices before `date` are 1 / factor times higher. */
  split?: boolean;
}

/** The fake exchange behind all three providers; tests may change it between requests. */
export interface FakeMarket {
  /** First and last day with bars (weekdays only). */
  historyStart: string;
  lastDate: string;
  /** Symbols the provider does not know. */
  missing: string[];
  /** Requests for these symbols answered with throttling first, this many times each. */
  throttle: Record<string, number>;
  /** Yahoo: days whose prices come as nulls. */
  holes: Record<string, string[]>;
  actions: FakeAction[];
}

export interface FakeRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface FakeProvider {
  url: string;
  market: FakeMarket;
  requests: FakeRequest[];
  /** Requests that were about `symbol` (in the path or the query). */
  requestsFor(symbol: string): FakeRequest[];
  close(): Promise<void>;
}

const round = (x: number) => Math.round(x * 100) / 100;

/** The traded (unadjusted) bar of a symbol on a day: a deterministic wave around a price of its own. */
export function fakeBar(symbol: string, date: string): Bar {
  const seed = [...symbol].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 9973, 7) % 97;
  const day = unixDay(date) / 86_400;
  const close = round(60 + seed + 12 * Math.sin(day / 7 + seed));
  const open = round(close * (1 + 0.01 * Math.sin(day * 1.3)));
  return {
    date,
    open,
    high: round(Math.max(open, close) * 1.01),
    low: round(Math.min(open, close) * 0.99),
    close,
    volume: 1_000_000 + (day % 1000) * 100,
  };
}

/**
 * The bar as traded where splits are modelled (Alpha Vantage's fake): before a split its prices are
 * higher, and its volume lower, by the split's factor.
 */
export function tradedBar(market: FakeMarket, symbol: string, date: string): Bar {
  const bar = fakeBar(symbol, date);
  const f = market.actions.filter((a) => a.split && a.symbol === symbol && a.date > date).reduce((x, a) => x * a.factor, 1);
  if (f === 1) return bar;
  return { date, open: round(bar.open / f), high: round(bar.high / f), low: round(bar.low / f), close: round(bar.close / f), volume: Math.round(bar.volume * f) };
}

/** How much of its traded price a bar of `date` is worth after the actions that followed it. */
export function adjustmentFactor(market: FakeMarket, symbol: string, date: string): number {
  return market.actions.filter((a) => a.symbol === symbol && a.date > date).reduce((f, a) => f * a.factor, 1);
}

/** Weekdays with bars within [from, to]. */
export function fakeDays(market: FakeMarket, from: string, to: string): string[] {
  const first = from > market.historyStart ? from : market.historyStart;
  const last = to < market.lastDate ? to : market.lastDate;
  return first > last ? [] : weekdays(first, last);
}

function defaultMarket(overrides: Partial<FakeMarket>): FakeMarket {
  return { historyStart: '2016-01-04', lastDate: '2026-11-20', missing: [], throttle: {}, holes: {}, actions: [], ...overrides };
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function startFake(
  market: FakeMarket,
  handle: (req: FakeRequest, res: ServerResponse, throttled: (symbol: string) => boolean) => void,
): Promise<FakeProvider> {
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const request = { path: decodeURIComponent(url.pathname), query: url.searchParams, headers: req.headers };
    requests.push(request);
    const throttled = (symbol: string) => {
      const left = market.throttle[symbol] ?? 0;
      if (left > 0) market.throttle[symbol] = left - 1;
      return left > 0;
    };
    handle(request, res, throttled);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    market,
    requests,
    requestsFor: (symbol) => requests.filter((r) => r.path.split('/').includes(symbol) || r.query.get('symbol') === symbol),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** 14:30 UTC, the New York open in winter, as Yahoo stamps daily bars. */
const yahooStamp = (date: string) => unixDay(date) + 14.5 * 3600;
const NY_OFFSET = -18_000;

/**
 * Yahoo's chart API v8: `GET /v8/finance/chart/{symbol}?period1&period2&interval=1d&events=div|split`
 * answering `chart.result[0]` with `timestamp`, `indicators.quote[0]` arrays (nulls for holes),
 * `indicators.adjclose[0].adjclose` and `events.dividends`; 404 with `chart.error` for unknown
 * symbols and 429 "Too Many Requests" when throttling.
 */
export function startFakeYahoo(overrides: Partial<FakeMarket> = {}): Promise<FakeProvider> {
  const market = defaultMarket(overrides);
  return startFake(market, (req, res, throttled) => {
    const symbol = /^\/v8\/finance\/chart\/([^/]+)$/.exec(req.path)?.[1];
    if (!symbol) return json(res, 404, { finance: { result: null, error: { code: 'Not Found', description: 'HTTP 404 Not Found' } } });
    if (throttled(symbol)) {
      res.writeHead(429, { 'content-type': 'text/html' });
      return res.end('Too Many Requests\r\n');
    }
    if (market.missing.includes(symbol)) {
      return json(res, 404, { chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } });
    }
    const from = new Date(Number(req.query.get('period1')) * 1000).toISOString().slice(0, 10);
    const to = new Date((Number(req.query.get('period2')) - 1) * 1000).toISOString().slice(0, 10);
    const days = fakeDays(market, from, to);
    const holes = new Set(market.holes[symbol] ?? []);
    const bars = days.map((d) => fakeBar(symbol, d));
    const hole = <T>(d: string, v: T) => (holes.has(d) ? null : v);
    const meta = {
      currency: 'USD',
      symbol,
      exchangeName: 'NMS',
      fullExchangeName: 'NasdaqGS',
      instrumentType: 'EQUITY',
      gmtoffset: NY_OFFSET,
      timezone: 'EST',
      exchangeTimezoneName: 'America/New_York',
      longName: `${symbol} Holdings Inc.`,
      shortName: `${symbol} Holdings`,
      dataGranularity: '1d',
      range: '',
    };
    const dividends = Object.fromEntries(
      market.actions
        .filter((a) => a.symbol === symbol && a.date >= from && a.date <= to)
        .map((a) => [String(yahooStamp(a.date)), { amount: 0.24, date: yahooStamp(a.date) }]),
    );
    const result =
      days.length === 0
        ? { meta, indicators: { quote: [{}], adjclose: [{}] } }
        : {
            meta,
            timestamp: days.map(yahooStamp),
            ...(Object.keys(dividends).length > 0 ? { events: { dividends } } : {}),
            indicators: {
              quote: [
                {
                  open: bars.map((b) => hole(b.date, b.open)),
                  high: bars.map((b) => hole(b.date, b.high)),
                  low: bars.map((b) => hole(b.date, b.low)),
                  close: bars.map((b) => hole(b.date, b.close)),
                  volume: bars.map((b) => hole(b.date, b.volume)),
                },
              ],
              adjclose: [{ adjclose: bars.map((b) => hole(b.date, b.close * adjustmentFactor(market, symbol, b.date))) }],
            },
          };
    json(res, 200, { chart: { result: [result], error: null } });
  });
}

export const FAKE_ALPACA_KEY = { id: 'PKTEST', secret: 'alpaca-secret' };

/**
 * Alpaca's market data v2: `GET /v2/stocks/{symbol}/bars?timeframe=1Day&start&end&adjustment&page_token`,
 * `pageSize` bars per page with `next_page_token` (base64), adjusted prices for `adjustment=all`,
 * 403 without the right key headers, 422 for a malformed symbol, 429 when throttling.
 */
export function startFakeAlpaca(overrides: Partial<FakeMarket> = {}, opts: { pageSize?: number } = {}): Promise<FakeProvider> {
  const market = defaultMarket(overrides);
  const pageSize = opts.pageSize ?? 1000;
  return startFake(market, (req, res, throttled) => {
    if (req.headers['apca-api-key-id'] !== FAKE_ALPACA_KEY.id || req.headers['apca-api-secret-key'] !== FAKE_ALPACA_KEY.secret) {
      return json(res, 403, { message: 'forbidden' });
    }
    const symbol = /^\/v2\/stocks\/([^/]+)\/bars$/.exec(req.path)?.[1];
    if (!symbol) return json(res, 404, { message: 'Not Found' });
    if (throttled(symbol)) return json(res, 429, { message: 'too many requests.' });
    if (!/^[A-Z.]+$/.test(symbol)) return json(res, 422, { code: 42210000, message: `invalid symbol: ${symbol}` });
    if (req.query.get('timeframe') !== '1Day') return json(res, 422, { code: 42210000, message: 'invalid timeframe' });
    const from = (req.query.get('start') ?? market.historyStart).slice(0, 10);
    const to = (req.query.get('end') ?? market.lastDate).slice(0, 10);
    const days = market.missing.includes(symbol) ? [] : fakeDays(market, from, to);
    const token = req.query.get('page_token');
    const start = token ? Number(Buffer.from(token, 'base64').toString().split('|')[1]) : 0;
    const page = days.slice(start, start + pageSize);
    const adjusted = req.query.get('adjustment') === 'all';
    const bars = page.map((d) => {
      const b = fakeBar(symbol, d);
      const f = adjusted ? adjustmentFactor(market, symbol, d) : 1;
      return { t: `${d}T05:00:00Z`, o: b.open * f, h: b.high * f, l: b.low * f, c: b.close * f, v: b.volume, n: 5000, vw: b.close * f };
    });
    const next = start + pageSize < days.length ? Buffer.from(`${symbol}|${start + pageSize}`).toString('base64') : null;
    // A symbol Alpaca has no bars for comes back with `bars: null`.
    json(res, 200, { bars: market.missing.includes(symbol) ? null : bars, symbol, next_page_token: next });
  });
}

export const FAKE_AV_KEY = 'av-test-key';
const AV_NOTE =
  'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day. Please visit https://www.alphavantage.co/premium/ if you would like to target a higher API call frequency.';
export const AV_QUOTA =
  'Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.';
const AV_PREMIUM_ENDPOINT =
  'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints';
const AV_PREMIUM_FULL =
  'Thank you for using Alpha Vantage! The **outputsize=full** parameter value is a premium feature for the TIME_SERIES_DAILY endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium features of this endpoint.';

/**
 * Alpha Vantage: `GET /query?function=TIME_SERIES_DAILY[_ADJUSTED]&symbol&outputsize&apikey`, always
 * HTTP 200: data, or `Error Message` (unknown symbol, bad key), `Note` (throttling) or
 * `Information` (premium endpoint or parameter, daily quota). `premium` unlocks the adjusted
 * series and the full history of the unadjusted one.
 */
export function startFakeAlphaVantage(overrides: Partial<FakeMarket> = {}, opts: { premium?: boolean; quotaLeft?: number } = {}): Promise<FakeProvider> {
  const market = defaultMarket(overrides);
  let quotaLeft = opts.quotaLeft ?? Infinity;
  return startFake(market, (req, res, throttled) => {
    const fn = req.query.get('function');
    const symbol = req.query.get('symbol') ?? '';
    const full = req.query.get('outputsize') === 'full';
    if (req.path !== '/query') return json(res, 404, {});
    if (req.query.get('apikey') !== FAKE_AV_KEY) {
      return json(res, 200, { 'Error Message': 'the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key).' });
    }
    if (throttled(symbol)) return json(res, 200, { Note: AV_NOTE });
    if (quotaLeft-- <= 0) return json(res, 200, { Information: AV_QUOTA });
    const adjusted = fn === 'TIME_SERIES_DAILY_ADJUSTED';
    if (adjusted && !opts.premium) return json(res, 200, { Information: AV_PREMIUM_ENDPOINT });
    if (!adjusted && full && !opts.premium) return json(res, 200, { Information: AV_PREMIUM_FULL });
    if ((fn !== 'TIME_SERIES_DAILY' && !adjusted) || market.missing.includes(symbol)) {
      return json(res, 200, { 'Error Message': `Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for ${fn}.` });
    }
    const days = fakeDays(market, market.historyStart, market.lastDate);
    const shown = full ? days : days.slice(-100);
    const series = Object.fromEntries(
      shown.reverse().map((d) => {
        const b = tradedBar(market, symbol, d);
        const fields: Record<string, string> = { '1. open': b.open.toFixed(4), '2. high': b.high.toFixed(4), '3. low': b.low.toFixed(4), '4. close': b.close.toFixed(4) };
        if (!adjusted) return [d, { ...fields, '5. volume': String(b.volume) }];
        const action = market.actions.find((a) => a.symbol === symbol && a.date === d);
        return [
          d,
          {
            ...fields,
            '5. adjusted close': (b.close * adjustmentFactor(market, symbol, d)).toFixed(4),
            '6. volume': String(b.volume),
            '7. dividend amount': action && !action.split ? '0.2400' : '0.0000',
            '8. split coefficient': action?.split ? (1 / action.factor).toFixed(1) : '1.0',
          },
        ];
      }),
    );
    json(res, 200, {
      'Meta Data': {
        '1. Information': adjusted ? 'Daily Time Series with Splits and Dividend Events' : 'Daily Prices (open, high, low, close) and Volumes',
        '2. Symbol': symbol,
        '3. Last Refreshed': market.lastDate,
        '4. Output Size': full ? 'Full size' : 'Compact',
        '5. Time Zone': 'US/Eastern',
      },
      'Time Series (Daily)': series,
    });
  });
}

/** Environment pointing the server's provider clients at the fakes, with tiny waits. */
export function fakeProviderEnv(fakes: { yahoo?: FakeProvider; alpaca?: FakeProvider; alphaVantage?: FakeProvider }): Record<string, string> {
  return {
    ...(fakes.yahoo && { YAHOO_BASE_URL: fakes.yahoo.url }),
    ...(fakes.alpaca && { ALPACA_DATA_URL: fakes.alpaca.url, ALPACA_KEY_ID: FAKE_ALPACA_KEY.id, ALPACA_SECRET_KEY: FAKE_ALPACA_KEY.secret }),
    ...(fakes.alphaVantage && { ALPHAVANTAGE_BASE_URL: fakes.alphaVantage.url, ALPHAVANTAGE_API_KEY: FAKE_AV_KEY }),
    MARKET_FETCH_INTERVAL_MS: '0',
    MARKET_FETCH_BACKOFF_MS: '1',
    MARKET_FETCH_RETRIES: '3',
  };
}

// Loopback fakes of Alpaca's two live services, reproducing the shapes their documentation gives:
// the market data stream (wss://stream.data.alpaca.markets/v2/{feed}: msgpack when the client
// sends `Content-Type: application/msgpack`, JSON otherwise) and the paper trading REST API
// (https://paper-api.alpaca.markets/v2/...). Tests script them: refuse keys, push bars, drop the
// connection, fill or reject orders, fail a request or lose its answer.
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decode, encode } from '@msgpack/msgpack';
import { type WebSocket, WebSocketServer } from 'ws';

export const FAKE_ALPACA_KEYS = { keyId: 'PKFAKE', secretKey: 'fake-alpaca-secret' };

// ---------------------------------------------------------------- market data stream

export interface FakeStreamBar {
  symbol: string;
  /** ISO instant the bar began. */
  start: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

interface StreamClient {
  socket: WebSocket;
  msgpack: boolean;
  authenticated: boolean;
  bars: Set<string>;
}

export interface FakeAlpacaStream {
  /** The origin to configure (`ws://127.0.0.1:port`); the client appends `/v2/{feed}`. */
  url: string;
  /** Feeds asked for in connection paths (`iex`). */
  paths: string[];
  /** Every message clients sent, decoded, in order. */
  received: Record<string, unknown>[];
  /** Connections opened so far. */
  connections: number;
  /** Logins that succeeded so far. */
  logins: number;
  /** Open, authenticated connections. */
  authenticated(): number;
  /** Symbols with a bar subscription on some open connection. */
  subscribed(): string[];
  /** When set, logins are refused with this error (402 auth failed by default). */
  refuseLogin: { code: number; msg: string } | null;
  /** Sends a bar to every connection subscribed to its symbol. */
  sendBar(bar: FakeStreamBar): void;
  /** Sends raw frames (an error, a malformed bar) to every authenticated connection. */
  sendFrames(frames: unknown[]): void;
  /** Drops every connection without a close frame, as a network failure does (the client sees 1006). */
  drop(): void;
  close(): Promise<void>;
}

/** `port` 0 picks a free one; a test restarting "Alpaca" passes the old one. */
export async function startFakeAlpacaStream(keys = FAKE_ALPACA_KEYS, port = 0): Promise<FakeAlpacaStream> {
  const clients = new Set<StreamClient>();
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => wss.once('listening', resolve));

  const send = (c: StreamClient, frames: unknown[]) => {
    if (c.socket.readyState !== c.socket.OPEN) return;
    c.socket.send(c.msgpack ? encode(frames) : JSON.stringify(frames));
  };
  const subscription = (c: StreamClient) => ({
    T: 'subscription',
    trades: [],
    quotes: [],
    bars: [...c.bars],
    updatedBars: [],
    dailyBars: [],
    statuses: [],
    lulds: [],
    corrections: [],
    cancelErrors: [],
  });

  const fake: FakeAlpacaStream = {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    paths: [],
    received: [],
    connections: 0,
    logins: 0,
    refuseLogin: null,
    authenticated: () => [...clients].filter((c) => c.authenticated).length,
    subscribed: () => [...new Set([...clients].flatMap((c) => [...c.bars]))].sort(),
    sendBar(bar) {
      for (const c of clients) {
        if (!c.authenticated || !c.bars.has(bar.symbol)) continue;
        // Alpaca stamps bars in RFC 3339 (`2026-11-27T14:30:00Z`); over msgpack as a timestamp.
        const t = c.msgpack ? new Date(bar.start) : new Date(bar.start).toISOString().replace(/\.000Z$/, 'Z');
        const vw = Math.round(((bar.high + bar.low + bar.close) / 3) * 100) / 100;
        send(c, [{ T: 'b', S: bar.symbol, o: bar.open, h: bar.high, l: bar.low, c: bar.close, v: bar.volume, t, n: 42, vw }]);
      }
    },
    sendFrames(frames) {
      for (const c of clients) if (c.authenticated) send(c, frames);
    },
    drop() {
      for (const c of clients) c.socket.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.socket.terminate();
        wss.close(() => resolve());
      }),
  };

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    fake.connections++;
    fake.paths.push(req.url ?? '');
    const c: StreamClient = { socket, msgpack: req.headers['content-type'] === 'application/msgpack', authenticated: false, bars: new Set() };
    clients.add(c);
    socket.on('close', () => clients.delete(c));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      let msg: Record<string, unknown>;
      try {
        msg = (isBinary && c.msgpack ? decode(data) : JSON.parse(data.toString('utf8'))) as Record<string, unknown>;
      } catch {
        return send(c, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
      }
      fake.received.push(msg);
      if (msg.action === 'auth') {
        if (c.authenticated) return send(c, [{ T: 'error', code: 403, msg: 'already authenticated' }]);
        if (fake.refuseLogin || msg.key !== keys.keyId || msg.secret !== keys.secretKey) {
          send(c, [{ T: 'error', ...(fake.refuseLogin ?? { code: 402, msg: 'auth failed' }) }]);
          return;
        }
        // One connection per account and feed: Alpaca refuses a second one.
        if (fake.authenticated() > 0) {
          send(c, [{ T: 'error', code: 406, msg: 'connection limit exceeded' }]);
          return void socket.close();
        }
        c.authenticated = true;
        fake.logins++;
        return send(c, [{ T: 'success', msg: 'authenticated' }]);
      }
      if (msg.action === 'subscribe' || msg.action === 'unsubscribe') {
        if (!c.authenticated) return send(c, [{ T: 'error', code: 401, msg: 'not authenticated' }]);
        const bars = Array.isArray(msg.bars) ? (msg.bars as string[]) : [];
        for (const s of bars) {
          if (msg.action === 'subscribe') c.bars.add(s);
          else c.bars.delete(s);
        }
        return send(c, [subscription(c)]);
      }
      send(c, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
    });
    send(c, [{ T: 'success', msg: 'connected' }]);
  });
  return fake;
}

// ---------------------------------------------------------------- paper trading REST

/** How the fake treats a new order of a symbol. */
export type FakeFillMode =
  /** Filled in full at the symbol's price after `reads` reads of the order (0: at once). */
  | { kind: 'fill'; reads?: number }
  /** Filled in part (`qty` shares) and left open: cancelling it keeps the part. */
  | { kind: 'partial'; qty: number }
  /** Accepted and never filled (the market is closed). */
  | { kind: 'never' }
  /** Accepted, then rejected by the venue (status `rejected`). */
  | { kind: 'reject' };

/** A scripted failure of the next request matching `method` and `path` (a prefix). */
export interface FakeFailure {
  method: string;
  path: string;
  /** Answer with this status and Alpaca's error envelope... */
  status?: number;
  message?: string;
  headers?: Record<string, string>;
  /** ...or handle the request, then destroy the socket so its answer is lost. */
  loseAnswer?: boolean;
}

export interface FakeOrder {
  id: string;
  client_order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  filled_qty: number;
  filled_avg_price: number | null;
  status: string;
  reads: number;
}

export interface FakeAlpacaTrading {
  url: string;
  cash: number;
  /** Price per symbol orders fill at; a symbol without one is not a known asset (422). */
  prices: Record<string, number>;
  positions: Map<string, { qty: number; avgCost: number }>;
  orders: FakeOrder[];
  fillModes: Record<string, FakeFillMode>;
  failures: FakeFailure[];
  /** Every request as `METHOD /path`. */
  requests: string[];
  /** Order placements received (POST /v2/orders), successful or not. */
  placements: number;
  close(): Promise<void>;
}

const money = (x: number) => x.toFixed(2);

export async function startFakeAlpacaTrading(opts: { cash?: number; prices?: Record<string, number> } = {}, keys = FAKE_ALPACA_KEYS): Promise<FakeAlpacaTrading> {
  const fake: FakeAlpacaTrading = {
    url: '',
    cash: opts.cash ?? 100_000,
    prices: { ...(opts.prices ?? { AAPL: 190.5, MSFT: 410.25 }) },
    positions: new Map(),
    orders: [],
    fillModes: {},
    failures: [],
    requests: [],
    placements: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const fill = (o: FakeOrder, qty: number) => {
    const price = fake.prices[o.symbol]!;
    const add = qty - o.filled_qty;
    if (add <= 0) return;
    const held = fake.positions.get(o.symbol) ?? { qty: 0, avgCost: 0 };
    if (o.side === 'buy') {
      fake.cash = Math.round((fake.cash - add * price) * 100) / 100;
      const q = held.qty + add;
      fake.positions.set(o.symbol, { qty: q, avgCost: Math.round(((held.qty * held.avgCost + add * price) / q) * 10_000) / 10_000 });
    } else {
      fake.cash = Math.round((fake.cash + add * price) * 100) / 100;
      if (held.qty - add <= 0) fake.positions.delete(o.symbol);
      else fake.positions.set(o.symbol, { qty: held.qty - add, avgCost: held.avgCost });
    }
    o.filled_avg_price = o.filled_qty === 0 ? price : (o.filled_avg_price! * o.filled_qty + price * add) / qty;
    o.filled_qty = qty;
    o.status = qty === o.qty ? 'filled' : 'partially_filled';
  };
  /** Moves an order along its symbol's script as it is read. */
  const advance = (o: FakeOrder) => {
    if (!['accepted', 'new', 'partially_filled'].includes(o.status)) return;
    const mode = fake.fillModes[o.symbol] ?? { kind: 'fill' };
    if (mode.kind === 'fill' && o.reads >= (mode.reads ?? 0)) fill(o, o.qty);
    if (mode.kind === 'partial') fill(o, Math.min(mode.qty, o.qty));
    if (mode.kind === 'reject') o.status = 'rejected';
    if (o.status === 'accepted') o.status = 'new';
  };
  const orderJson = (o: FakeOrder) => {
    const now = new Date().toISOString();
    return {
      id: o.id,
      client_order_id: o.client_order_id,
      created_at: now,
      updated_at: now,
      submitted_at: now,
      filled_at: o.status === 'filled' ? now : null,
      expired_at: null,
      canceled_at: o.status === 'canceled' ? now : null,
      failed_at: o.status === 'rejected' ? now : null,
      replaced_at: null,
      replaced_by: null,
      replaces: null,
      asset_id: `asset-${o.symbol}`,
      symbol: o.symbol,
      asset_class: 'us_equity',
      notional: null,
      qty: String(o.qty),
      filled_qty: String(o.filled_qty),
      filled_avg_price: o.filled_avg_price === null ? null : String(o.filled_avg_price),
      order_class: '',
      order_type: 'market',
      type: 'market',
      side: o.side,
      position_intent: o.side === 'buy' ? 'buy_to_open' : 'sell_to_close',
      time_in_force: 'day',
      limit_price: null,
      stop_price: null,
      status: o.status,
      extended_hours: false,
      legs: null,
      trail_percent: null,
      trail_price: null,
      hwm: null,
    };
  };

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => handle(req, res, body));
  });

  function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    fake.requests.push(`${method} ${url.pathname}`);
    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': randomUUID(), ...headers });
      res.end(json === undefined ? undefined : JSON.stringify(json));
    };
    const error = (status: number, code: number, message: string, headers?: Record<string, string>) => reply(status, { code, message }, headers);

    if (req.headers['apca-api-key-id'] !== keys.keyId || req.headers['apca-api-secret-key'] !== keys.secretKey) {
      return error(401, 40110000, 'request is not authorized');
    }
    if (method === 'POST' && url.pathname === '/v2/orders') fake.placements++;
    const failure = fake.failures.findIndex((f) => f.method === method && url.pathname.startsWith(f.path));
    let loseAnswer = false;
    if (failure >= 0) {
      const [f] = fake.failures.splice(failure, 1);
      if (f!.loseAnswer) loseAnswer = true;
      else return error(f!.status ?? 500, (f!.status ?? 500) * 100_000, f!.message ?? 'internal server error', f!.headers);
    }
    const answer = loseAnswer ? () => req.socket.destroy() : reply;

    if (method === 'GET' && url.pathname === '/v2/account') {
      return answer(200, {
        id: 'fake-account',
        account_number: 'PA0FAKE',
        status: 'ACTIVE',
        currency: 'USD',
        cash: money(fake.cash),
        buying_power: money(fake.cash),
        equity: money(fake.cash + [...fake.positions].reduce((v, [s, p]) => v + p.qty * (fake.prices[s] ?? p.avgCost), 0)),
        pattern_day_trader: false,
        trading_blocked: false,
        account_blocked: false,
        shorting_enabled: false,
        multiplier: '1',
      });
    }
    if (method === 'GET' && url.pathname === '/v2/positions') {
      return answer(
        200,
        [...fake.positions].map(([symbol, p]) => ({
          asset_id: `asset-${symbol}`,
          symbol,
          exchange: 'NASDAQ',
          asset_class: 'us_equity',
          asset_marginable: true,
          qty: String(p.qty),
          qty_available: String(p.qty),
          avg_entry_price: String(p.avgCost),
          side: 'long',
          market_value: money(p.qty * (fake.prices[symbol] ?? p.avgCost)),
          cost_basis: money(p.qty * p.avgCost),
          unrealized_pl: '0',
          unrealized_plpc: '0',
          unrealized_intraday_pl: '0',
          unrealized_intraday_plpc: '0',
          current_price: String(fake.prices[symbol] ?? p.avgCost),
          lastday_price: String(fake.prices[symbol] ?? p.avgCost),
          change_today: '0',
        })),
      );
    }
    if (method === 'POST' && url.pathname === '/v2/orders') {
      let o: Record<string, unknown>;
      try {
        o = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return error(400, 40010000, 'request body format is invalid');
      }
      const clientId = typeof o.client_order_id === 'string' && o.client_order_id ? o.client_order_id : randomUUID();
      if (fake.orders.some((x) => x.client_order_id === clientId)) return error(422, 40010001, 'client_order_id must be unique');
      const symbol = String(o.symbol ?? '');
      const qty = Number(o.qty);
      if (!(symbol in fake.prices)) return error(422, 40010001, `asset "${symbol}" not found`);
      if (o.type !== 'market' || !['buy', 'sell'].includes(String(o.side)) || !Number.isFinite(qty) || qty <= 0) {
        return error(422, 40010001, 'invalid order');
      }
      const side = o.side as 'buy' | 'sell';
      if (side === 'buy' && qty * fake.prices[symbol]! > fake.cash) return error(403, 40310000, 'insufficient buying power');
      if (side === 'sell' && qty > (fake.positions.get(symbol)?.qty ?? 0)) {
        return error(403, 40310000, `insufficient qty available for order (requested: ${qty}, available: ${fake.positions.get(symbol)?.qty ?? 0})`);
      }
      const order: FakeOrder = { id: randomUUID(), client_order_id: clientId, symbol, side, qty, filled_qty: 0, filled_avg_price: null, status: 'accepted', reads: 0 };
      fake.orders.push(order);
      return answer(200, orderJson(order));
    }
    if (method === 'GET' && url.pathname === '/v2/orders:by_client_order_id') {
      const o = fake.orders.find((x) => x.client_order_id === url.searchParams.get('client_order_id'));
      if (!o) return error(404, 40410000, 'order not found');
      o.reads++;
      advance(o);
      return answer(200, orderJson(o));
    }
    const byId = /^\/v2\/orders\/([\w-]+)$/.exec(url.pathname);
    if (byId) {
      const o = fake.orders.find((x) => x.id === byId[1]);
      if (!o) return error(404, 40410000, 'order not found');
      if (method === 'GET') {
        o.reads++;
        advance(o);
        return answer(200, orderJson(o));
      }
      if (method === 'DELETE') {
        if (['filled', 'canceled', 'expired', 'rejected'].includes(o.status)) return error(422, 42210000, `order is already in "${o.status}" state`);
        o.status = 'canceled';
        return answer(204);
      }
    }
    error(404, 40410000, 'endpoint not found');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

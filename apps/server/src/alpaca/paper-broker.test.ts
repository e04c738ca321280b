import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Book } from '../domain/book.js';
import type { TradingRules } from '../domain/trading-rules.js';
import type { ExecutionRequest } from '../live/ports.js';
import { FAKE_ALPACA_KEYS, type FakeAlpacaTrading, startFakeAlpacaTrading } from '../test/fake-alpaca.js';
import { AlpacaError } from './errors.js';
import { AlpacaHostError, paperBaseUrl } from './hosts.js';
import { AlpacaPaperBroker, clientOrderIdOf, reconcile } from './paper-broker.js';

const rules: TradingRules = {
  risk: { max_position_pct: 100, max_orders_per_step: 10, min_cash_pct: 0, stop_loss_pct: null, max_drawdown_pct: null },
  commissionBps: 0,
  slippageBps: 0,
};

let fake: FakeAlpacaTrading;
beforeEach(async () => {
  fake = await startFakeAlpacaTrading({ cash: 100_000, prices: { AAPL: 190.5, MSFT: 410.25 } });
});
afterEach(() => fake.close());

function brokerOn(f: FakeAlpacaTrading, over: Partial<ConstructorParameters<typeof AlpacaPaperBroker>[0]> = {}) {
  return new AlpacaPaperBroker({ baseUrl: f.url, allowLoopback: true, ...FAKE_ALPACA_KEYS, rules, fillTimeoutMs: 300, pollMs: 10, retries: 2, backoffMs: 10, ...over });
}

const emptyBook = (cash = 100_000): Book => ({ cash, holdings: new Map(), peakEquity: cash });
const prices = new Map([
  ['AAPL', 190],
  ['MSFT', 410],
]);
const step = (orders: ExecutionRequest['orders'], book = emptyBook(), stepKey = 'run-7-step-3'): ExecutionRequest => ({
  orders,
  book,
  prices,
  allowed: new Set(['AAPL', 'MSFT']),
  stepKey,
});

describe('paper host guard', () => {
  it('allows only https://paper-api.alpaca.markets, and loopback only when told', () => {
    expect(paperBaseUrl('https://paper-api.alpaca.markets', { allowLoopback: false })).toBe('https://paper-api.alpaca.markets');
    expect(paperBaseUrl('https://paper-api.alpaca.markets/', { allowLoopback: false })).toBe('https://paper-api.alpaca.markets');
    for (const url of [
      'https://api.alpaca.markets',
      'http://paper-api.alpaca.markets',
      'https://paper-api.alpaca.markets.evil.example',
      'https://paper-api.alpaca.markets:8443',
      'https://paper-api.alpaca.markets/v2',
      'https://user:pw@paper-api.alpaca.markets',
      'http://127.0.0.1:9999',
      'not a url',
    ]) {
      expect(() => paperBaseUrl(url, { allowLoopback: false }), url).toThrow(AlpacaHostError);
    }
    expect(() => paperBaseUrl('https://api.alpaca.markets', { allowLoopback: false })).toThrow(
      "ALPACA_PAPER_URL: only https://paper-api.alpaca.markets (Alpaca's paper trading) is allowed; api.alpaca.markets is refused, so no order can reach a live-money account",
    );
    expect(paperBaseUrl('http://127.0.0.1:9999', { allowLoopback: true })).toBe('http://127.0.0.1:9999');
    expect(paperBaseUrl('http://[::1]:9999', { allowLoopback: true })).toBe('http://[::1]:9999');
    // The test allowance is for loopback only: a live host stays refused.
    expect(() => paperBaseUrl('https://api.alpaca.markets', { allowLoopback: true })).toThrow(AlpacaHostError);
    expect(() => paperBaseUrl('http://10.0.0.5:80', { allowLoopback: true })).toThrow(AlpacaHostError);
    expect(() => new AlpacaPaperBroker({ baseUrl: 'https://api.alpaca.markets', allowLoopback: true, ...FAKE_ALPACA_KEYS, rules })).toThrow(AlpacaHostError);
  });

  it('derives client order ids from the step key and the order index', () => {
    expect(clientOrderIdOf('run-7-step-3', 0)).toBe('tw-run-7-step-3-0');
    const long = clientOrderIdOf('x'.repeat(300), 12);
    expect(long).toMatch(/^tw-[0-9a-f]{40}-12$/);
    expect(clientOrderIdOf('a b', 1)).not.toBe(clientOrderIdOf('a_b', 1));
  });
});

describe('Alpaca paper broker', () => {
  it('places market orders, reads their fills back and takes the book from the account', async () => {
    const broker = brokerOn(fake);
    fake.fillModes.MSFT = { kind: 'fill', reads: 3 };
    const result = await broker.execute(
      step([
        { symbol: 'AAPL', side: 'buy', quantity: 10, reason: 'momentum' },
        { symbol: 'MSFT', side: 'buy', quantity: 2 },
      ]),
    );
    expect(result.fills).toEqual([
      { action: 'buy', symbol: 'AAPL', quantity: 10, price: 190.5, amount: 1905, commission: 0, cash_after: 98_095, status: 'filled', reason: 'momentum' },
      { action: 'buy', symbol: 'MSFT', quantity: 2, price: 410.25, amount: 820.5, commission: 0, cash_after: 97_274.5, status: 'filled', reason: null },
    ]);
    expect(result.book.cash).toBe(97_274.5);
    expect([...result.book.holdings]).toEqual([
      ['AAPL', { quantity: 10, avgCost: 190.5 }],
      ['MSFT', { quantity: 2, avgCost: 410.25 }],
    ]);
    expect(fake.orders.map((o) => [o.client_order_id, o.symbol, o.side, o.qty, o.status])).toEqual([
      ['tw-run-7-step-3-0', 'AAPL', 'buy', 10, 'filled'],
      ['tw-run-7-step-3-1', 'MSFT', 'buy', 2, 'filled'],
    ]);
    expect(await broker.account()).toEqual({
      cash: 97_274.5,
      positions: [
        { symbol: 'AAPL', quantity: 10, avgCost: 190.5 },
        { symbol: 'MSFT', quantity: 2, avgCost: 410.25 },
      ],
    });
    expect(await broker.verify()).toEqual({ accountNumber: 'PA0FAKE', status: 'ACTIVE', cash: 97_274.5 });
  });

  it('sells first, and applies the model rules before anything is sent', async () => {
    const broker = brokerOn(fake);
    await broker.execute(step([{ symbol: 'AAPL', side: 'buy', quantity: 10 }], emptyBook(), 'seed'));
    const book: Book = { cash: 98_095, holdings: new Map([['AAPL', { quantity: 10, avgCost: 190.5 }]]), peakEquity: 100_000 };
    const result = await broker.execute(
      step(
        [
          { symbol: 'MSFT', side: 'buy', quantity: 1 },
          { symbol: 'TSLA', side: 'buy', quantity: 1 },
          { symbol: 'AAPL', side: 'sell', quantity: 15 },
        ],
        book,
      ),
    );
    expect(result.fills.map((f) => [f.action, f.symbol, f.quantity, f.status, f.reason])).toEqual([
      ['sell', 'AAPL', 10, 'filled', "reduced from 15 to 10 by the model's rules"],
      ['buy', 'MSFT', 1, 'filled', null],
      ['buy', 'TSLA', 1, 'rejected', 'TSLA is not an allowed symbol for this model'],
    ]);
    expect(fake.orders.map((o) => o.client_order_id)).toEqual(['tw-seed-0', 'tw-run-7-step-3-2', 'tw-run-7-step-3-0']);
    expect(result.book.holdings.has('AAPL')).toBe(false);
    expect(result.fills.at(-1)!.cash_after).toBe(result.fills[1]!.cash_after);
  });

  it('turns an order Alpaca refuses into a rejected fill with its message', async () => {
    const broker = brokerOn(fake, { rules: { ...rules, risk: { ...rules.risk } } });
    fake.prices.MSFT = 1_000_000; // our price says it fits, Alpaca's buying power says no
    const result = await broker.execute(step([{ symbol: 'MSFT', side: 'buy', quantity: 1 }]));
    expect(result.fills[0]).toMatchObject({ status: 'rejected', quantity: 1, amount: 0, cash_after: 100_000, reason: 'Alpaca rejected the order: insufficient buying power' });
    expect(fake.requests).toContain('GET /v2/orders:by_client_order_id');

    fake.fillModes.AAPL = { kind: 'reject' };
    const venue = await broker.execute(step([{ symbol: 'AAPL', side: 'buy', quantity: 1 }], emptyBook(), 'k2'));
    expect(venue.fills[0]).toMatchObject({ status: 'rejected', reason: 'Alpaca rejected the order' });
  });

  it('cancels what did not fill in time and reports the part that did', async () => {
    const broker = brokerOn(fake, { fillTimeoutMs: 100 });
    fake.fillModes.AAPL = { kind: 'partial', qty: 4 };
    fake.fillModes.MSFT = { kind: 'never' };
    const result = await broker.execute(
      step([
        { symbol: 'AAPL', side: 'buy', quantity: 10 },
        { symbol: 'MSFT', side: 'buy', quantity: 1 },
      ]),
    );
    expect(result.fills.map((f) => [f.symbol, f.quantity, f.status, f.reason])).toEqual([
      ['AAPL', 4, 'filled', '4 of 10 filled on Alpaca within 0.1 s; the rest was cancelled'],
      ['MSFT', 1, 'rejected', 'not filled on Alpaca within 0.1 s (canceled); the order was cancelled'],
    ]);
    expect(fake.orders.map((o) => o.status)).toEqual(['canceled', 'canceled']);
    expect(result.book.holdings.get('AAPL')).toEqual({ quantity: 4, avgCost: 190.5 });
  });

  it('never places an order twice: a step sent again (a restart) finds the orders already placed', async () => {
    const broker = brokerOn(fake);
    const orders = [
      { symbol: 'AAPL', side: 'buy', quantity: 10 },
      { symbol: 'MSFT', side: 'buy', quantity: 1 },
    ] as const;
    const first = await broker.execute(step(orders));
    const again = await brokerOn(fake).execute(step(orders));
    expect(fake.orders).toHaveLength(2);
    expect(fake.placements).toBe(4);
    expect(again.fills).toEqual(first.fills);
    expect(again.book).toEqual(first.book);
    expect(fake.cash).toBe(100_000 - 1905 - 410.25);
  });

  it('recovers an order whose answer was lost instead of placing it again', async () => {
    const broker = brokerOn(fake);
    fake.failures.push({ method: 'POST', path: '/v2/orders', loseAnswer: true });
    const result = await broker.execute(step([{ symbol: 'AAPL', side: 'buy', quantity: 3 }]));
    expect(result.fills[0]).toMatchObject({ status: 'filled', quantity: 3, price: 190.5 });
    expect(fake.placements).toBe(1);
    expect(fake.orders).toHaveLength(1);
    expect(fake.requests.slice(0, 2)).toEqual(['POST /v2/orders', 'GET /v2/orders:by_client_order_id']);
  });

  it('backs off and retries a placement refused by the rate limit or a server error', async () => {
    const broker = brokerOn(fake);
    fake.failures.push({ method: 'POST', path: '/v2/orders', status: 429, message: 'rate limit exceeded', headers: { 'retry-after': '0' } });
    fake.failures.push({ method: 'POST', path: '/v2/orders', status: 503, message: 'service unavailable' });
    const result = await broker.execute(step([{ symbol: 'AAPL', side: 'buy', quantity: 1 }]));
    expect(result.fills[0]).toMatchObject({ status: 'filled', quantity: 1 });
    expect(fake.placements).toBe(3);
    expect(fake.orders).toHaveLength(1);

    for (let i = 0; i < 3; i++) fake.failures.push({ method: 'POST', path: '/v2/orders', status: 429, message: 'rate limit exceeded' });
    await expect(broker.execute(step([{ symbol: 'AAPL', side: 'buy', quantity: 1 }], emptyBook(), 'k3'))).rejects.toMatchObject({
      kind: 'rate_limited',
      message: 'Alpaca rate-limited placing buy 1 AAPL (429): too many requests with these keys, retried with backoff',
    });
  });

  it('says clearly when the keys are wrong or Alpaca cannot be reached', async () => {
    const wrong = brokerOn(fake, { keyId: 'PKWRONG' });
    const refused = await wrong.execute(step([{ symbol: 'AAPL', side: 'buy', quantity: 1 }])).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AlpacaError);
    expect(refused).toMatchObject({
      kind: 'keys',
      status: 401,
      message: 'Alpaca refused the keys while placing buy 1 AAPL (401 request is not authorized): check the Alpaca paper key id and secret',
    });
    await expect(wrong.account()).rejects.toMatchObject({ kind: 'keys', message: expect.stringContaining('while reading the') });
    expect(fake.orders).toHaveLength(0);

    fake.failures.push({ method: 'GET', path: '/v2/account', status: 403, message: 'forbidden' });
    await expect(brokerOn(fake).verify()).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'Alpaca refused reading the account (403 forbidden): are these keys for a paper account?',
    });
    for (let i = 0; i < 3; i++) fake.failures.push({ method: 'GET', path: '/v2/account', status: 503, message: 'service unavailable' });
    await expect(brokerOn(fake).verify()).rejects.toMatchObject({ kind: 'server', message: 'Alpaca failed reading the account (HTTP 503 service unavailable)' });
    fake.failures.push({ method: 'GET', path: '/v2/account', status: 503, message: 'service unavailable' });
    expect(await brokerOn(fake).verify()).toMatchObject({ status: 'ACTIVE' }); // one 503, retried

    const url = fake.url;
    await fake.close();
    const gone = new AlpacaPaperBroker({ baseUrl: url, allowLoopback: true, ...FAKE_ALPACA_KEYS, rules, retries: 1, backoffMs: 5 });
    await expect(gone.account()).rejects.toMatchObject({ kind: 'unreachable', message: expect.stringMatching(/^Alpaca's paper API is unreachable while reading the (account|positions): ECONNREFUSED/) });
    fake = await startFakeAlpacaTrading();
  });

  it('reconciles the run book with the account', async () => {
    const broker = brokerOn(fake);
    await broker.execute(step([{ symbol: 'AAPL', side: 'buy', quantity: 10 }]));
    const account = await broker.account();
    const book = { cash: 98_095, holdings: new Map([['AAPL', { quantity: 10, avgCost: 190.5 }]]) };
    expect(reconcile(book, account)).toEqual([]);
    const drifted = { cash: 98_000, holdings: new Map([['AAPL', { quantity: 8, avgCost: 190.5 }], ['MSFT', { quantity: 1, avgCost: 400 }]]) };
    expect(reconcile(drifted, account).map((d) => d.message)).toEqual([
      'cash: the run has 98000.00, Alpaca 98095.00',
      'AAPL: the run holds 8 shares, Alpaca 10',
      'MSFT: the run holds 1 shares, Alpaca 0',
    ]);
    const cost = { cash: 98_095, holdings: new Map([['AAPL', { quantity: 10, avgCost: 191 }]]) };
    expect(reconcile(cost, account)).toEqual([{ symbol: 'AAPL', field: 'avg_cost', ours: 191, alpaca: 190.5, message: 'AAPL: average cost 191 in the run, 190.5 at Alpaca' }]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RiskRules } from '@tradewire/contract';
import { type Book, equityOf } from '../domain/book.js';
import { fillOrders, stopLossOrders } from './broker.js';

const RISK: RiskRules = { max_position_pct: 100, max_orders_per_step: 100, stop_loss_pct: null, max_drawdown_pct: null, min_cash_pct: 0 };
const costs = (risk: Partial<RiskRules> = {}, commissionBps = 0, slippageBps = 0) => ({ risk: { ...RISK, ...risk }, commissionBps, slippageBps });
const book = (cash: number, holdings: [string, number, number][] = []): Book => ({
  cash,
  holdings: new Map(holdings.map(([s, quantity, avgCost]) => [s, { quantity, avgCost }])),
  peakEquity: cash,
});
const market = (open: Record<string, number>, allowed = Object.keys(open)) => ({ open: new Map(Object.entries(open)), allowed: new Set(allowed) });

describe('fillOrders', () => {
  it('fills a buy at the open plus slippage and charges commission, to the cent', () => {
    // 10 shares at 100 * (1 + 10/10000) = 100.10 -> 1001.00; commission 20 bps of 1001.00 = 2.002 -> 2.00
    const { book: after, fills } = fillOrders(book(5000), [{ symbol: 'ACME', side: 'buy', quantity: 10 }], market({ ACME: 100 }), costs({}, 20, 10));
    expect(fills[0]).toMatchObject({ status: 'filled', quantity: 10, price: 100.1, amount: 1001, commission: 2, cash_after: 3997 });
    expect(after.cash).toBe(3997);
    expect(after.holdings.get('ACME')).toEqual({ quantity: 10, avgCost: 100.1 });
  });

  it('fills a sell at the open minus slippage', () => {
    const { book: after, fills } = fillOrders(book(0, [['ACME', 10, 90]]), [{ symbol: 'ACME', side: 'sell', quantity: 4 }], market({ ACME: 100 }), costs({}, 0, 10));
    expect(fills[0]).toMatchObject({ status: 'filled', price: 99.9, amount: 399.6, cash_after: 399.6 });
    expect(after.holdings.get('ACME')).toEqual({ quantity: 6, avgCost: 90 });
  });

  it('rejects what the rules forbid, with a reason', () => {
    const m = market({ ACME: 100, BOLT: 50 }, ['ACME']);
    const { fills, book: after } = fillOrders(
      book(1000),
      [
        { symbol: 'BOLT', side: 'buy', quantity: 1 },
        { symbol: 'ACME', side: 'sell', quantity: 1 },
        { symbol: 'ACME', side: 'buy', quantity: 1.5 },
        { symbol: 'ACME', side: 'buy', quantity: 0 },
        { symbol: 'ZZZ', side: 'buy', quantity: 1 },
      ],
      m,
      costs(),
    );
    expect(fills.map((f) => f.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    // The sell is tried first, then the buys in their order.
    expect(fills[0]!.reason).toMatch(/no position/);
    expect(fills[1]!.reason).toMatch(/not an allowed symbol/);
    expect(fills[2]!.reason).toMatch(/whole number/);
    expect(after.cash).toBe(1000);
  });

  it('reduces a buy to what cash, position size and minimum cash allow', () => {
    const cashBound = fillOrders(book(1000), [{ symbol: 'ACME', side: 'buy', quantity: 50 }], market({ ACME: 100 }), costs());
    expect(cashBound.fills[0]).toMatchObject({ status: 'filled', quantity: 10, cash_after: 0 });
    expect(cashBound.fills[0]!.reason).toMatch(/reduced from 50 to 10/);

    const positionBound = fillOrders(book(10_000), [{ symbol: 'ACME', side: 'buy', quantity: 50 }], market({ ACME: 100 }), costs({ max_position_pct: 25 }));
    expect(positionBound.fills[0]).toMatchObject({ quantity: 25 });

    const minCash = fillOrders(book(10_000), [{ symbol: 'ACME', side: 'buy', quantity: 100 }], market({ ACME: 100 }), costs({ min_cash_pct: 40 }));
    expect(minCash.fills[0]).toMatchObject({ quantity: 60, cash_after: 4000 });
  });

  it('caps orders per step and blocks buys past the drawdown breaker', () => {
    const capped = fillOrders(book(10_000), Array.from({ length: 3 }, () => ({ symbol: 'ACME', side: 'buy' as const, quantity: 1 })), market({ ACME: 10 }), costs({ max_orders_per_step: 2 }));
    expect(capped.fills.map((f) => f.status)).toEqual(['filled', 'filled', 'rejected']);

    const fallen = { ...book(800), peakEquity: 1000 };
    const breaker = fillOrders(fallen, [{ symbol: 'ACME', side: 'buy', quantity: 1 }], market({ ACME: 10 }), costs({ max_drawdown_pct: 10 }));
    expect(breaker.fills[0]).toMatchObject({ status: 'rejected' });
    expect(breaker.fills[0]!.reason).toMatch(/drawdown breaker/);
  });

  it('sells holdings whose open falls below the stop-loss line', () => {
    const b = book(0, [['ACME', 10, 100], ['BOLT', 5, 100]]);
    const orders = stopLossOrders(b, market({ ACME: 89, BOLT: 95 }), { ...RISK, stop_loss_pct: 10 });
    expect(orders).toEqual([{ symbol: 'ACME', side: 'sell', quantity: 10, reason: 'stop-loss at 10% below cost' }]);
  });

  it('keeps cash >= 0, positions = sum of fills and equity = cash + holdings, for any order sequence', () => {
    const symbols = ['ACME', 'BOLT', 'CRUX', 'NOPE'];
    const order = fc.record({
      symbol: fc.constantFrom(...symbols),
      side: fc.constantFrom('buy' as const, 'sell' as const),
      quantity: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.double({ min: -1, max: 50, noNaN: true })),
    });
    const day = fc.record({
      prices: fc.tuple(...symbols.slice(0, 3).map(() => fc.double({ min: 0.5, max: 500, noNaN: true }))),
      orders: fc.array(order, { maxLength: 8 }),
    });
    fc.assert(
      fc.property(
        fc.array(day, { minLength: 1, maxLength: 15 }),
        fc.record({ commission: fc.integer({ min: 0, max: 100 }), slippage: fc.integer({ min: 0, max: 100 }), pct: fc.integer({ min: 1, max: 100 }) }),
        (days, cfg) => {
          let b = book(10_000);
          const held = new Map<string, number>();
          for (const d of days) {
            const open = Object.fromEntries(symbols.slice(0, 3).map((s, i) => [s, Math.round(d.prices[i]! * 100) / 100]));
            const m = market(open, ['ACME', 'BOLT', 'CRUX']);
            const result = fillOrders(b, d.orders, m, costs({ max_position_pct: cfg.pct, max_orders_per_step: 5 }, cfg.commission, cfg.slippage));
            b = result.book;
            for (const f of result.fills) {
              if (f.status !== 'filled') continue;
              expect(['ACME', 'BOLT', 'CRUX']).toContain(f.symbol);
              expect(Number.isInteger(f.quantity) && f.quantity > 0).toBe(true);
              held.set(f.symbol, (held.get(f.symbol) ?? 0) + (f.action === 'buy' ? f.quantity : -f.quantity));
            }
            expect(b.cash).toBeGreaterThanOrEqual(0);
            for (const [s, q] of held) expect(b.holdings.get(s)?.quantity ?? 0).toBe(q);
            const prices = m.open;
            const expected = b.cash + [...b.holdings].reduce((sum, [s, h]) => sum + h.quantity * prices.get(s)!, 0);
            expect(equityOf(b, prices)).toBeCloseTo(expected, 2);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('sells before buys', () => {
  it('fills the day’s sells first and sizes its buys on the cash after them', () => {
    // The NFLX/NVDA day: 160.04 cash, NFLX sold for 2,410.07, NVDA at 177.00 must still be bought.
    const b = book(160.04, [['NFLX', 2, 1100]]);
    const m = market({ NFLX: 1205.04, NVDA: 177 });
    const orders = [
      { symbol: 'NVDA', side: 'buy' as const, quantity: 10 },
      { symbol: 'NFLX', side: 'sell' as const, quantity: 2 },
    ];
    const { fills, orderIndex, book: after } = fillOrders(b, orders, m, costs());
    expect(fills.map((f) => [f.action, f.symbol, f.status, f.quantity])).toEqual([
      ['sell', 'NFLX', 'filled', 2],
      ['buy', 'NVDA', 'filled', 10],
    ]);
    expect(orderIndex).toEqual([1, 0]);
    expect(fills[0]!.cash_after).toBe(2570.12);
    expect(after.cash).toBe(800.12);
  });

  it('executes every sell before any buy, each side in the order given (property)', () => {
    const order = fc.record({ symbol: fc.constantFrom('ACME', 'BOLT'), side: fc.constantFrom('buy' as const, 'sell' as const), quantity: fc.integer({ min: 1, max: 30 }) });
    fc.assert(
      fc.property(fc.array(order, { maxLength: 10 }), (orders) => {
        const { fills, orderIndex } = fillOrders(book(1000, [['ACME', 20, 10], ['BOLT', 20, 10]]), orders, market({ ACME: 10, BOLT: 20 }), costs());
        const sides = fills.map((f) => f.action);
        expect(sides).toEqual([...sides].sort((a, b) => (a === b ? 0 : a === 'sell' ? -1 : 1)));
        expect([...orderIndex].sort((a, b) => a - b)).toEqual([...orders.keys()]);
        orderIndex.forEach((index, k) => expect(fills[k]!.action).toBe(orders[index]!.side));
        const sells = orderIndex.filter((i) => orders[i]!.side === 'sell');
        const buys = orderIndex.filter((i) => orders[i]!.side === 'buy');
        expect(sells).toEqual([...sells].sort((a, b) => a - b));
        expect(buys).toEqual([...buys].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });
});

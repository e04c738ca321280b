import { describe, expect, it } from 'vitest';
import type { Bar, RiskRules } from '@tradewire/contract';
import type { Book } from '../../domain/book.js';
import type { Order } from '../../domain/order.js';
import type { Observation } from '../agent.js';
import { fillOrders } from '../../engine/broker.js';
import { TradingDesk } from './trading-desk.js';
import { runTool } from './tools.js';

const RISK: RiskRules = { max_position_pct: 40, max_orders_per_step: 3, stop_loss_pct: null, max_drawdown_pct: null, min_cash_pct: 0 };
const costs = { risk: RISK, commissionBps: 10, slippageBps: 5 };
const bar = (date: string, close: number): Bar => ({ date, open: close, high: close, low: close, close, volume: 1000 });

const book: Book = { cash: 5000, holdings: new Map([['BOLT', { quantity: 20, avgCost: 45 }]]), peakEquity: 6020 };
const market = {
  open: new Map([
    ['ACME', 100],
    ['BOLT', 51],
  ]),
  allowed: new Set(['ACME', 'BOLT']),
};

const obs: Observation = {
  date: '2026-03-04',
  step: 3,
  symbols: ['ACME', 'BOLT'],
  history: new Map([
    ['ACME', [bar('2026-03-02', 98), bar('2026-03-03', 99)]],
    ['BOLT', [bar('2026-03-02', 49), bar('2026-03-03', 50)]],
  ]),
  open: new Map([
    ['ACME', 100],
    ['BOLT', 51],
  ]),
  cash: 5000,
  positions: new Map([['BOLT', 20]]),
  equity: 6020,
  preview: (orders) => fillOrders(book, orders, market, costs),
};

describe('TradingDesk', () => {
  it('reports for each order exactly the fill the session will get from the broker', () => {
    const desk = new TradingDesk(obs, costs);
    const orders: Order[] = [
      { symbol: 'ACME', side: 'buy', quantity: 100 },
      { symbol: 'BOLT', side: 'sell', quantity: 50 },
      { symbol: 'ACME', side: 'sell', quantity: 1 },
      { symbol: 'BOLT', side: 'buy', quantity: 1 },
    ];
    const told = orders.map((o) => desk.place(o));

    const real = fillOrders(book, desk.placedOrders(), market, costs);
    expect(desk.placedOrders()).toEqual(orders);
    // Each answer is the fill its order got when the session filled them all (sells first); only
    // cash_after may differ, as a sell placed later is filled before an earlier buy.
    const withoutCash = ({ cash_after: _c, ...f }: (typeof told)[number]) => f;
    expect(told.map(withoutCash)).toEqual(orders.map((_, i) => withoutCash(real.fills[real.orderIndex.indexOf(i)]!)));
    expect(told.map((f) => [f.status, f.quantity, f.reason])).toEqual([
      ['filled', 24, 'reduced from 100 to 24: limited by max position 40% of equity'],
      ['filled', 20, 'reduced from 50 to 20: only 20 held'],
      ['rejected', 1, 'no position in ACME to sell'],
      ['rejected', 1, 'at most 3 orders per step'],
    ]);
    expect(desk.portfolio()).toMatchObject({ cash: real.book.cash, positions: [{ symbol: 'ACME', quantity: 24, price: 100 }], orders_today: 4 });
  });

  it('shows only bars before today, as many as asked', () => {
    const desk = new TradingDesk(obs, costs);
    expect(runTool(desk, 'get_prices', '{"symbols":["ACME"],"lookback_days":1}')).toEqual({ result: { ACME: [bar('2026-03-03', 99)] } });
    expect(runTool(desk, 'get_prices', '{}')).toEqual({ result: Object.fromEntries(obs.history) });
    expect(runTool(desk, 'get_prices', '{"symbols":["ZZZ"]}')).toEqual({ result: { error: 'unknown symbol ZZZ; tradable: ACME, BOLT' } });
    expect(runTool(desk, 'get_prices', '{"lookback_days":61}')).toMatchObject({ result: { error: expect.stringMatching(/^invalid arguments: lookback_days: /) } });
  });
});

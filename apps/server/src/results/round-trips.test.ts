import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RoundTrips } from '@tradewire/contract';
import { roundTrips, type RunFill } from './round-trips.js';

const fill = (date: string, action: 'buy' | 'sell', symbol: string, quantity: number, price: number, commission: number, reason: string | null = null): RunFill => ({
  date,
  action,
  symbol,
  quantity,
  price,
  commission,
  status: 'filled',
  reason,
});

// Worked by hand (see the comments): two AAA lots closed by two sells, the first sell reaching
// into the second lot, and a BBB lot left open.
const FILLS: RunFill[] = [
  fill('2024-01-02', 'buy', 'AAA', 10, 100, 1.0, 'SMA 10 crossed above SMA 30'),
  fill('2024-01-03', 'buy', 'AAA', 5, 110, 0.55, 'still above'),
  { ...fill('2024-01-03', 'buy', 'CCC', 1_000, 10, 0), status: 'rejected', reason: 'not enough room to buy: limited by cash' },
  { ...fill('2024-01-03', 'buy', 'AAA', 0, 0, 0), action: 'hold', symbol: null },
  fill('2024-01-04', 'buy', 'BBB', 7, 50, 0.35, 'RSI 28 < 30'),
  fill('2024-01-05', 'sell', 'AAA', 12, 120, 1.2, 'SMA 10 crossed below SMA 30'),
  fill('2024-01-09', 'sell', 'AAA', 3, 105, 0.31, 'stop-loss at 4% below cost'),
];
const CALENDAR = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09'];

describe('roundTrips', () => {
  it('closes FIFO lots with partial exits, charging each commission pro rata to the shares', () => {
    const result = roundTrips(FILLS, { calendar: CALENDAR, lastPrices: new Map([['BBB', 55]]) });
    expect(RoundTrips.parse(result)).toEqual(result);
    expect(result.round_trips).toEqual([
      {
        // The whole first lot: 10 x (120 - 100) - its 1.00 - 10/12 of the sell's 1.20 (1.00) = 198.00 on a cost of 1001.
        symbol: 'AAA', quantity: 10, entry_date: '2024-01-02', entry_price: 100, exit_date: '2024-01-05', exit_price: 120,
        entry_commission: 1, exit_commission: 1, pnl: 198, pnl_pct: 19.7802, holding_days: 3, calendar_days: 3,
        entry_reason: 'SMA 10 crossed above SMA 30', exit_reason: 'SMA 10 crossed below SMA 30',
      },
      {
        // 2 of the second lot's 5: 2/5 of 0.55 (0.22) and the sell's remaining 0.20; 2 x 10 - 0.42 = 19.58 on 220.22.
        symbol: 'AAA', quantity: 2, entry_date: '2024-01-03', entry_price: 110, exit_date: '2024-01-05', exit_price: 120,
        entry_commission: 0.22, exit_commission: 0.2, pnl: 19.58, pnl_pct: 8.8911, holding_days: 2, calendar_days: 2,
        entry_reason: 'still above', exit_reason: 'SMA 10 crossed below SMA 30',
      },
      {
        // The last 3: the rest of 0.55 (0.33) and 0.31; 3 x -5 - 0.64 = -15.64 on 330.33.
        symbol: 'AAA', quantity: 3, entry_date: '2024-01-03', entry_price: 110, exit_date: '2024-01-09', exit_price: 105,
        entry_commission: 0.33, exit_commission: 0.31, pnl: -15.64, pnl_pct: -4.7347, holding_days: 4, calendar_days: 6,
        entry_reason: 'still above', exit_reason: 'stop-loss at 4% below cost',
      },
    ]);
    // 7 x (55 - 50) - 0.35
    expect(result.open_positions).toEqual([
      { symbol: 'BBB', quantity: 7, entry_date: '2024-01-04', entry_price: 50, entry_commission: 0.35, entry_reason: 'RSI 28 < 30', last_price: 55, unrealized_pnl: 34.65 },
    ]);
    // Realised P/L is the symbol's net cash flow: (1440 - 1.20 + 315 - 0.31) - (1000 + 1 + 550 + 0.55).
    expect(result.round_trips.reduce((t, r) => t + r.pnl, 0)).toBeCloseTo(201.94, 10);
  });

  it('counts holding days on the run calendar (a holiday is no session), weekdays without one', () => {
    const noJan8 = CALENDAR.filter((d) => d !== '2024-01-08');
    expect(roundTrips(FILLS, { calendar: noJan8 }).round_trips.map((r) => r.holding_days)).toEqual([3, 2, 3]);
    expect(roundTrips(FILLS).round_trips.map((r) => r.holding_days)).toEqual([3, 2, 4]);
  });

  it('leaves open lots unvalued without a last price, and sells beyond the lots close what is there', () => {
    const result = roundTrips([fill('2024-01-02', 'buy', 'AAA', 4, 10, 0.4), fill('2024-01-03', 'sell', 'AAA', 6, 11, 0.6)]);
    expect(result.round_trips).toMatchObject([{ quantity: 4, entry_commission: 0.4, exit_commission: 0.4, pnl: 3.2 }]);
    expect(result.open_positions).toEqual([]);
    const open = roundTrips([fill('2024-01-02', 'buy', 'AAA', 4, 10, 0.4)]).open_positions;
    expect(open).toMatchObject([{ quantity: 4, last_price: null, unrealized_pnl: null }]);
  });

  it('property: commissions split to the cent and realised P/L equals the cash flow of closed positions', () => {
    const order = fc.record({ buy: fc.boolean(), quantity: fc.integer({ min: 1, max: 50 }), price: fc.integer({ min: 100, max: 20_000 }), bps: fc.integer({ min: 0, max: 100 }) });
    fc.assert(
      fc.property(fc.array(order, { minLength: 1, maxLength: 30 }), (orders) => {
        let held = 0;
        let cash = 0;
        const fills: RunFill[] = [];
        const book = (action: 'buy' | 'sell', quantity: number, cents: number, bps: number) => {
          const price = cents / 100;
          const amount = Math.round(quantity * cents) / 100;
          const commission = Math.round((amount * bps) / 100) / 100;
          fills.push(fill('2024-01-02', action, 'AAA', quantity, price, commission));
          cash += action === 'buy' ? -amount - commission : amount - commission;
          held += action === 'buy' ? quantity : -quantity;
        };
        for (const o of orders) {
          if (o.buy) book('buy', o.quantity, o.price, o.bps);
          else if (held > 0) book('sell', Math.min(o.quantity, held), o.price, o.bps);
        }
        if (held > 0) book('sell', held, orders[0]!.price, orders[0]!.bps);
        const { round_trips, open_positions } = roundTrips(fills);
        expect(open_positions).toEqual([]);
        const charged = round_trips.reduce((t, r) => t + r.entry_commission + r.exit_commission, 0);
        expect(charged).toBeCloseTo(fills.reduce((t, f) => t + f.commission, 0), 6);
        expect(round_trips.reduce((t, r) => t + r.pnl, 0)).toBeCloseTo(cash, 6);
        expect(round_trips.reduce((t, r) => t + r.quantity, 0)).toBe(fills.filter((f) => f.action === 'sell').reduce((t, f) => t + f.quantity, 0));
      }),
    );
  });
});

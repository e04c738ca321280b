import { describe, expect, it } from 'vitest';
import type { RoundTrip } from '@tradewire/contract';
import { sortRows } from '../lib/table-sort';
import { DEFAULT_ROUND_TRIP_SORT, roundTripTotals, roundTripValue } from './round-trips';

const trip = (symbol: string, entry: string, exit: string, pnl: number, pnlPct: number, days: number, quantity = 10): RoundTrip => ({
  symbol,
  quantity,
  entry_date: entry,
  entry_price: 100,
  exit_date: exit,
  exit_price: 100 + pnl / quantity,
  entry_commission: 0,
  exit_commission: 0,
  pnl,
  pnl_pct: pnlPct,
  holding_days: days,
  calendar_days: days + 2,
  entry_reason: `buy ${symbol}`,
  exit_reason: `sell ${symbol}`,
});

// Closed in this order (as the API lists them): a win, a loss, a flat one, a bigger win.
const trips = [
  trip('ZNTH', '2026-03-03', '2026-03-27', 35.9, 1.47, 18),
  trip('QLLX', '2026-03-23', '2026-04-07', -142.77, -5.73, 11, 35),
  trip('LDGR', '2026-04-08', '2026-04-08', 0, 0, 0, 2),
  trip('QLLX', '2026-04-21', '2026-06-24', 622.93, 25.58, 46, 33),
];

describe('round-trip totals', () => {
  it('counts wins and losses (break-even is neither), sums P/L to the cent, averages % and days', () => {
    const t = roundTripTotals(trips);
    expect(t).toMatchObject({ count: 4, wins: 2, losses: 1, winRatePct: 50, pnl: 516.06, grossProfit: 658.83, grossLoss: -142.77 });
    expect(t.averagePnlPct).toBeCloseTo((1.47 - 5.73 + 0 + 25.58) / 4, 10);
    expect(t.averageHoldingDays).toBe(18.75);
  });

  it('has no rates or averages without a closed trade', () => {
    expect(roundTripTotals([])).toEqual({
      count: 0,
      wins: 0,
      losses: 0,
      winRatePct: null,
      pnl: 0,
      grossProfit: 0,
      grossLoss: 0,
      averagePnlPct: null,
      averageHoldingDays: null,
    });
  });
});

describe('sorting round trips', () => {
  const order = (key: Parameters<typeof roundTripValue>[1], direction: 'asc' | 'desc') =>
    sortRows(trips, { key, direction }, roundTripValue).map((t) => `${t.symbol}@${t.exit_date}`);

  it('starts in the order the trades closed', () => {
    expect(order(DEFAULT_ROUND_TRIP_SORT.key, DEFAULT_ROUND_TRIP_SORT.direction)).toEqual([
      'ZNTH@2026-03-27',
      'QLLX@2026-04-07',
      'LDGR@2026-04-08',
      'QLLX@2026-06-24',
    ]);
  });

  it('by P/L, biggest first, and by days held', () => {
    expect(order('pnl', 'desc')).toEqual(['QLLX@2026-06-24', 'ZNTH@2026-03-27', 'LDGR@2026-04-08', 'QLLX@2026-04-07']);
    expect(order('holding_days', 'asc')).toEqual(['LDGR@2026-04-08', 'QLLX@2026-04-07', 'ZNTH@2026-03-27', 'QLLX@2026-06-24']);
  });

  it('by symbol, A to Z, trades of one symbol staying in closing order', () => {
    expect(order('symbol', 'asc')).toEqual(['LDGR@2026-04-08', 'QLLX@2026-04-07', 'QLLX@2026-06-24', 'ZNTH@2026-03-27']);
  });
});

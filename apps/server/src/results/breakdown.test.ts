import { describe, expect, it } from 'vitest';
import { Breakdown, type Bar } from '@tradewire/contract';
import { exposureFromCurve, exposureFromFills, periodOf, periodProfits, symbolPnl } from './breakdown.js';
import { roundTrips, type RunFill } from './round-trips.js';

const fill = (date: string, action: 'buy' | 'sell', symbol: string, quantity: number, price: number, commission = 0): RunFill => ({
  date,
  action,
  symbol,
  quantity,
  price,
  commission,
  status: 'filled',
  reason: null,
});

// From 10,000, Monday 29 January to Tuesday 6 February 2024: two ISO weeks, two months.
const CURVE = [  { date: '2024-01-29', equity: 10_100 },
  { date: '2024-01-30', equity: 10_050 },
  { date: '2024-01-31', equity: 10_200 },
  { date: '2024-02-01', equity: 10_150 },
  { date: '2024-02-02', equity: 10_300 },
  { date: '2024-02-05', equity: 10_250 },
  { date: '2024-02-06', equity: 10_400 },
];

describe('periodProfits', () => {
  it('sums profit by ISO week, each week starting from the equity the one before ended on', () => {
    expect(periodProfits(CURVE, 'week', 10_000)).toEqual([
      { period: '2024-W05', first_date: '2024-01-29', last_date: '2024-02-02', start_equity: 10_000, end_equity: 10_300, profit: 300, return_pct: 3 },
      { period: '2024-W06', first_date: '2024-02-05', last_date: '2024-02-06', start_equity: 10_300, end_equity: 10_400, profit: 100, return_pct: 0.9709 },
    ]);
  });

  it('sums profit by month and by day', () => {
    expect(periodProfits(CURVE, 'month', 10_000)).toEqual([
      { period: '2024-01', first_date: '2024-01-29', last_date: '2024-01-31', start_equity: 10_000, end_equity: 10_200, profit: 200, return_pct: 2 },
      { period: '2024-02', first_date: '2024-02-01', last_date: '2024-02-06', start_equity: 10_200, end_equity: 10_400, profit: 200, return_pct: 1.9608 },
    ]);
    const days = periodProfits(CURVE, 'day', 10_000);
    expect(days.map((d) => [d.period, d.profit])).toEqual([
      ['2024-01-29', 100],
      ['2024-01-30', -50],
      ['2024-01-31', 150],
      ['2024-02-01', -50],
      ['2024-02-02', 150],
      ['2024-02-05', -50],
      ['2024-02-06', 150],
    ]);
    expect(periodProfits([], 'day', 10_000)).toEqual([]);
  });

  it('names ISO weeks across a year end by the year of their Thursday', () => {
    expect(periodOf('2021-01-01', 'week')).toBe('2020-W53');
    expect(periodOf('2024-12-30', 'week')).toBe('2025-W01');
    expect(periodOf('2026-01-04', 'week')).toBe('2026-W01');
    expect(periodOf('2026-01-05', 'week')).toBe('2026-W02');
  });
});

describe('symbolPnl', () => {
  const trips = roundTrips(
    [
      fill('2024-01-02', 'buy', 'AAA', 10, 100, 1),
      fill('2024-01-03', 'sell', 'AAA', 10, 110, 1),
      fill('2024-01-04', 'buy', 'AAA', 5, 100),
      fill('2024-01-05', 'sell', 'AAA', 5, 90),
      fill('2024-01-05', 'buy', 'BBB', 2, 50, 0.1),
      fill('2024-01-05', 'buy', 'CCC', 1, 10),
    ],
    { lastPrices: new Map([['BBB', 60]]) },
  );

  it('adds realised P/L of round trips and unrealised P/L of open lots, best first', () => {
    expect(symbolPnl(trips)).toEqual([
      // 10 x 10 - 2 = 98, then 5 x -10 = -50.
      { symbol: 'AAA', realized_pnl: 48, unrealized_pnl: 0, total_pnl: 48, round_trips: 2, wins: 1, losses: 1, win_rate_pct: 50 },
      // 2 x (60 - 50) - 0.10; CCC has no price to be valued at.
      { symbol: 'BBB', realized_pnl: 0, unrealized_pnl: 19.9, total_pnl: 19.9, round_trips: 0, wins: 0, losses: 0, win_rate_pct: null },
      { symbol: 'CCC', realized_pnl: 0, unrealized_pnl: 0, total_pnl: 0, round_trips: 0, wins: 0, losses: 0, win_rate_pct: null },
    ]);
  });

  it('values open lots at the prices given', () => {
    const rows = symbolPnl(trips, new Map([['BBB', 55], ['CCC', 7]]));
    expect(rows.map((r) => [r.symbol, r.unrealized_pnl, r.total_pnl])).toEqual([
      ['AAA', 0, 48],
      ['BBB', 9.9, 9.9],
      ['CCC', -3, -3],
    ]);
  });
});

describe('exposure', () => {
  const bar = (date: string, close: number): Bar => ({ date, open: close, high: close, low: close, close, volume: 1 });
  // 10 AAA bought at 100 on the 29th, 5 sold at 102 on 1 February; AAA does not trade on the 31st.
  const fills = [fill('2024-01-29', 'buy', 'AAA', 10, 100), fill('2024-02-01', 'sell', 'AAA', 5, 102)];
  const bars = new Map([['AAA', [bar('2024-01-26', 98), bar('2024-01-29', 101), bar('2024-01-30', 99), bar('2024-02-01', 103)]]]);
  const stored = [
    { date: '2024-01-26', equity: 10_000, cash: 10_000 },
    { date: '2024-01-29', equity: 10_010, cash: 9_000 },
    { date: '2024-01-30', equity: 9_990, cash: 9_000 },
    { date: '2024-01-31', equity: 9_990, cash: 9_000 },
    { date: '2024-02-01', equity: 10_025, cash: 9_510 },
  ];
  const expected = [
    { date: '2024-01-26', invested: 0, equity: 10_000, exposure_pct: 0 },
    { date: '2024-01-29', invested: 1010, equity: 10_010, exposure_pct: 10.0899 },
    { date: '2024-01-30', invested: 990, equity: 9_990, exposure_pct: 9.9099 },
    { date: '2024-01-31', invested: 990, equity: 9_990, exposure_pct: 9.9099 },
    { date: '2024-02-01', invested: 515, equity: 10_025, exposure_pct: 5.1372 },
  ];

  it('is what is not cash on a stored equity curve', () => {
    expect(exposureFromCurve(stored)).toEqual(expected);
  });

  it('is the same rebuilt from fills and closes when the curve has no cash', () => {
    const curve = stored.map(({ date, equity }) => ({ date, equity }));
    expect(exposureFromFills(curve, fills, bars)).toEqual(expected);
  });

  it('fits the wire shape', () => {
    const body = {
      by_symbol: symbolPnl(roundTrips(fills)),
      by_day: periodProfits(CURVE, 'day', 10_000),
      by_week: periodProfits(CURVE, 'week', 10_000),
      by_month: periodProfits(CURVE, 'month', 10_000),
      exposure: exposureFromCurve(stored),
    };
    expect(Breakdown.parse(body)).toEqual(body);
  });
});

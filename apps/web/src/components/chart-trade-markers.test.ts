import { describe, expect, it } from 'vitest';
import type { Trade } from '@tradewire/contract';
import { chartEndDate, chartSymbols, markerText, tradeMarkers } from './chart-trade-markers';

let id = 0;
const trade = (date: string, action: Trade['action'], symbol: string | null, status: Trade['status'] = 'filled', quantity = 3): Trade => ({
  id: ++id,
  model_id: 1,
  run_id: 1,
  step: id,
  date,
  action,
  symbol,
  quantity,
  price: 10,
  amount: 10 * quantity,
  commission: 0,
  cash_after: 0,
  status,
  reason: status === 'rejected' ? 'no cash' : null,
});

describe('tradeMarkers', () => {
  const trades = [
    trade('2026-01-07', 'sell', 'AAAA'),
    trade('2026-01-05', 'buy', 'AAAA'),
    trade('2026-01-06', 'buy', 'BBBB'),
    trade('2026-01-06', 'buy', 'AAAA', 'rejected'),
    trade('2026-01-06', 'hold', null),
  ];

  it('marks the filled buys and sells of one symbol in date order, without labels that pile up', () => {
    expect(tradeMarkers(trades, 'AAAA')).toEqual([
      { time: '2026-01-05', position: 'belowBar', shape: 'arrowUp', color: '#10b981', text: '', action: 'buy', fills: 1, quantity: 3 },
      { time: '2026-01-07', position: 'aboveBar', shape: 'arrowDown', color: '#ef4444', text: '', action: 'sell', fills: 1, quantity: 3 },
    ]);
  });

  it('clusters the fills of one day and side into one marker, and says what they were', () => {
    const day = [
      trade('2026-02-02', 'sell', 'CCCC', 'filled', 2),
      trade('2026-02-02', 'buy', 'CCCC', 'filled', 5),
      trade('2026-02-02', 'buy', 'CCCC', 'filled', 1),
      trade('2026-02-03', 'buy', 'CCCC', 'filled', 4),
    ];
    const markers = tradeMarkers(day, 'CCCC');
    expect(markers.map((m) => [m.time, m.action, m.fills, m.quantity])).toEqual([
      ['2026-02-02', 'buy', 2, 6],
      ['2026-02-02', 'sell', 1, 2],
      ['2026-02-03', 'buy', 1, 4],
    ]);
    expect(markerText(markers.filter((m) => m.time === '2026-02-02'))).toBe('Bought 6 (2 fills) · Sold 2');
  });

  it('leaves out fills after the day the chart ends on', () => {
    expect(tradeMarkers(trades, 'AAAA', '2026-01-06').map((m) => m.time)).toEqual(['2026-01-05']);
  });

  it('offers traded symbols first, then the other allowed ones', () => {
    expect(chartSymbols(trades, ['CCCC', 'BBBB'])).toEqual(['AAAA', 'BBBB', 'CCCC']);
  });
});

describe('chartEndDate', () => {
  const run = { status: 'completed', end_date: '2026-12-31' };
  it('ends a running run at its current day, and a finished one at its end', () => {
    expect(chartEndDate({ ...run, status: 'running' }, true, '2026-03-04')).toBe('2026-03-04');
    expect(chartEndDate(run, true, '2026-03-04')).toBe('2026-03-04');
    expect(chartEndDate({ ...run, status: 'running' }, false, null)).toBeNull();
    expect(chartEndDate(run, false, '2026-03-04')).toBe('2026-12-31');
  });
});

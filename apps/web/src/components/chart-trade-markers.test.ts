import { describe, expect, it } from 'vitest';
import type { Trade } from '@tradewire/contract';
import { chartSymbols, tradeMarkers } from './chart-trade-markers';

let id = 0;
const trade = (date: string, action: Trade['action'], symbol: string | null, status: Trade['status'] = 'filled'): Trade => ({
  id: ++id,
  model_id: 1,
  run_id: 1,
  step: id,
  date,
  action,
  symbol,
  quantity: 3,
  price: 10,
  amount: 30,
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

  it('marks the filled buys and sells of one symbol in date order', () => {
    expect(tradeMarkers(trades, 'AAAA')).toEqual([
      { time: '2026-01-05', position: 'belowBar', shape: 'arrowUp', color: '#10b981', text: 'B 3' },
      { time: '2026-01-07', position: 'aboveBar', shape: 'arrowDown', color: '#ef4444', text: 'S 3' },
    ]);
  });

  it('offers traded symbols first, then the other allowed ones', () => {
    expect(chartSymbols(trades, ['CCCC', 'BBBB'])).toEqual(['AAAA', 'BBBB', 'CCCC']);
  });
});

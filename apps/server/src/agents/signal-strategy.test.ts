import { describe, expect, it } from 'vitest';
import type { Observation } from './agent.js';
import { positionSizing } from './position-sizing.js';
import { decideOnSignals } from './signal-strategy.js';

describe('decideOnSignals', () => {
  it('sizes a day’s buys on the cash its sells bring (the NFLX/NVDA day)', () => {
    const obs: Observation = {
      date: '2025-09-16',
      step: 1,
      symbols: ['NFLX', 'NVDA'],
      history: new Map(),
      open: new Map([
        ['NFLX', 1205.04],
        ['NVDA', 177],
      ]),
      cash: 160.04,
      positions: new Map([['NFLX', 2]]),
      equity: 2570.12,
      preview: () => ({ book: { cash: 0, holdings: new Map(), peakEquity: 0 }, fills: [], orderIndex: [] }),
    };
    const signals = { NFLX: { action: 'sell' as const, why: 'SMA crossed below' }, NVDA: { action: 'buy' as const, why: 'SMA crossed above' } };
    const decision = decideOnSignals(obs, positionSizing({ targetPct: 25 }), (symbol) => signals[symbol as keyof typeof signals]);
    expect(decision.orders).toEqual([
      { symbol: 'NFLX', side: 'sell', quantity: 2, reason: 'SMA crossed below' },
      { symbol: 'NVDA', side: 'buy', quantity: 3, reason: 'SMA crossed above' },
    ]);
    expect(decision.reasoning).toBe('NFLX: SMA crossed below → sell 2\nNVDA: SMA crossed above → buy 3');
  });
});

import { describe, expect, it } from 'vitest';
import { createAgent } from './registry.js';
import { orderLog, replay } from '../test/market-replay.js';

// Closes by day (2024-01-01 is day 0) with SMA2 / SMA3 of the bars up to and including that day:
//   day:    0   1   2    3    4    5   6   7   8      9      10
//   close: 10   9   8    7    6    8  10  12  10      7       5
//   SMA2:   -  9.5 8.5  7.5  6.5   7   9  11  11     8.5     6
//   SMA3:   -   -   9    8    7    7   8  10  10.67  9.67   7.33
// SMA2 rises above SMA3 on day 6's close, so the buy fills at day 7's open (12);
// it falls below on day 9's close, so the sell fills at day 10's open (5).
const CROSSING = [10, 9, 8, 7, 6, 8, 10, 12, 10, 7, 5];

describe('sma_crossover', () => {
  it('buys the day after the fast SMA crosses above the slow one and sells the day after it crosses below', async () => {
    const agent = createAgent({ kind: 'sma_crossover', params: { fast: 2, slow: 3, position_pct: 100 } });
    const steps = await replay(agent, { ACME: CROSSING });

    expect(orderLog(steps)).toEqual(['2024-01-08 buy 833 ACME', '2024-01-11 sell 833 ACME']);
    expect(steps[7]!.decision.reasoning).toBe('ACME: SMA2 9.00 crossed above SMA3 8.00 → buy 833');
    expect(steps[10]!.decision.reasoning).toBe('ACME: SMA2 8.50 crossed below SMA3 9.67 → sell 833');
    expect(steps[8]!.decision.reasoning).toBe('ACME: SMA2 11.00 above SMA3 10.00, no crossover → hold');
  });

  it('waits for slow + 1 bars, and a trend already running when data starts is no crossover', async () => {
    const agent = createAgent({ kind: 'sma_crossover', params: { fast: 2, slow: 3, position_pct: 100 } });
    const steps = await replay(agent, { ACME: [1, 2, 3, 4, 5, 6, 7] });

    expect(orderLog(steps)).toEqual([]);
    expect(steps[3]!.decision.reasoning).toBe('ACME: 3 of 4 bars needed for SMA2/SMA3 → hold');
    expect(steps[4]!.decision.reasoning).toBe('ACME: SMA2 3.50 above SMA3 3.00, no crossover → hold');
  });

  it('acts on a crossover on the next day the symbol trades', async () => {
    const agent = createAgent({ kind: 'sma_crossover', params: { fast: 2, slow: 3, position_pct: 100 } });
    const closes = [...CROSSING.slice(0, 7), null, ...CROSSING.slice(8)];
    const steps = await replay(agent, { ACME: closes });

    expect(steps[7]!.decision.reasoning).toBe('ACME: not trading today → hold');
    expect(orderLog(steps)[0]).toBe('2024-01-09 buy 1000 ACME');
  });

  it('sizes a buy at the target share of equity after costs', async () => {
    // 25% of 10000 = 2500; one share costs 12 * 1.001 (5 bps slippage, 5 bps commission, compounded) ≈ 12.012.
    const agent = createAgent({ kind: 'sma_crossover', params: { fast: 2, slow: 3, position_pct: 25 } }, { slippageBps: 5, commissionBps: 5 });
    const steps = await replay(agent, { ACME: CROSSING });

    expect(orderLog(steps)[0]).toBe('2024-01-08 buy 208 ACME');
  });
});

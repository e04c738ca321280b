import { describe, expect, it } from 'vitest';
import { createAgent } from './registry.js';
import { orderLog, replay } from '../test/market-replay.js';

// RSI(2) with Wilder smoothing; the first averages are plain means of the first two changes:
//   day 2 (close 8):  changes -1, -1       -> avg gain 0,   avg loss 1    -> RSI 0
//   day 3 (close 7):  change -1            -> gain 0,       loss 1        -> RSI 0
//   day 4 (close 9):  change +2            -> gain 1,       loss 0.5      -> RS 2 -> RSI 66.67
//   day 5 (close 11): change +2            -> gain 1.5,     loss 0.25     -> RS 6 -> RSI 85.71
// (each step: avg = avg + (change - avg) / 2). Oversold on day 2's close -> buy at day 3's open (7);
// overbought on day 5's close -> sell at day 6's open (12).
const SWING = [10, 9, 8, 7, 9, 11, 12];

describe('rsi_mean_reversion', () => {
  it('buys when RSI falls below low and sells when it rises above high', async () => {
    const agent = createAgent({ kind: 'rsi_mean_reversion', params: { period: 2, low: 30, high: 70, position_pct: 100 } });
    const steps = await replay(agent, { ACME: SWING });

    expect(orderLog(steps)).toEqual(['2024-01-04 buy 1428 ACME', '2024-01-07 sell 1428 ACME']);
    expect(steps[2]!.decision.reasoning).toBe('ACME: 2 of 3 bars needed for RSI2 → hold');
    expect(steps[3]!.decision.reasoning).toBe('ACME: RSI2 0.00 below 30, oversold → buy 1428');
    expect(steps[4]!.decision.reasoning).toBe('ACME: RSI2 0.00 below 30, oversold, already holding 1428 → hold');
    expect(steps[5]!.decision.reasoning).toBe('ACME: RSI2 66.67 between 30 and 70 → hold');
    expect(steps[6]!.decision.reasoning).toBe('ACME: RSI2 85.71 above 70, overbought → sell 1428');
  });

  it('does not sell what it does not hold', async () => {
    const agent = createAgent({ kind: 'rsi_mean_reversion', params: { period: 2, low: 30, high: 70, position_pct: 25 } });
    const steps = await replay(agent, { ACME: [1, 2, 3, 4] });

    expect(orderLog(steps)).toEqual([]);
    expect(steps[3]!.decision.reasoning).toBe('ACME: RSI2 100.00 above 70, overbought, nothing held → hold');
  });
});

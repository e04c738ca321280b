import { describe, expect, it } from 'vitest';
import { createAgent } from './registry.js';
import { orderLog, replay, type ClosePaths } from '../test/market-replay.js';

const MARKET: ClosePaths = {
  ACME: Array.from({ length: 40 }, (_, i) => 100 + 10 * Math.sin(i / 3)),
  BETA: Array.from({ length: 40 }, (_, i) => 30 + i / 2),
};

describe('random', () => {
  it('makes the same decisions from the same seed', async () => {
    const first = await replay(createAgent({ kind: 'random', params: { seed: 7, probability: 0.5, position_pct: 25 } }), MARKET);
    const second = await replay(createAgent({ kind: 'random', params: { seed: 7, probability: 0.5, position_pct: 25 } }), MARKET);

    expect(orderLog(first).length).toBeGreaterThan(0);
    expect(second.map((s) => s.decision)).toEqual(first.map((s) => s.decision));
  });

  it('makes different decisions from another seed', async () => {
    const first = await replay(createAgent({ kind: 'random', params: { seed: 7, probability: 0.5, position_pct: 25 } }), MARKET);
    const other = await replay(createAgent({ kind: 'random', params: { seed: 8, probability: 0.5, position_pct: 25 } }), MARKET);

    expect(orderLog(other)).not.toEqual(orderLog(first));
  });

  it('never trades with probability 0', async () => {
    const steps = await replay(createAgent({ kind: 'random', params: { seed: 7, probability: 0, position_pct: 25 } }), MARKET);

    expect(orderLog(steps)).toEqual([]);
    expect(steps[0]!.decision.reasoning).toBe('ACME: no trade drawn → hold\nBETA: no trade drawn → hold');
  });
});

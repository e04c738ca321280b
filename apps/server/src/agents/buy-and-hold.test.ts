import { describe, expect, it } from 'vitest';
import { createAgent } from './registry.js';
import { orderLog, replay } from '../test/market-replay.js';

describe('buy_and_hold', () => {
  it('splits the cash equally on the first day, after costs, then only holds', async () => {
    // 10000 / 2 = 5000 each. ACME: 5000 / (100 * 1.0005) = 49.98 -> 49.
    // BETA: 5000 / (30 * 1.0005) = 166.58 -> 166 (10000 - 49 * 100.05 = 5097.55 left, enough).
    const agent = createAgent({ kind: 'buy_and_hold', params: {} }, { targetPct: 100, slippageBps: 5 });
    const steps = await replay(agent, { ACME: [100, 101, 99], BETA: [30, 29, 35] });

    expect(orderLog(steps)).toEqual(['2024-01-01 buy 49 ACME', '2024-01-01 buy 166 BETA']);
    expect(steps[2]!.decision).toEqual({ orders: [], reasoning: 'Buy and hold: holding ACME 49, BETA 166 → hold' });
  });

  it('caps each position at the target share of equity', async () => {
    const agent = createAgent({ kind: 'buy_and_hold', params: {} }, {});
    const steps = await replay(agent, { ACME: [100, 120] });

    expect(orderLog(steps)).toEqual(['2024-01-01 buy 25 ACME']);
  });

  it('buys a symbol that is not trading on the first day on its first trading day', async () => {
    // Day 1 keeps BETA's half of the cash: ACME gets 5000 / 100 = 50; day 2 BETA gets the 5000 left.
    const agent = createAgent({ kind: 'buy_and_hold', params: {} }, { targetPct: 100 });
    const steps = await replay(agent, { ACME: [100, 100, 100], BETA: [null, 30, 30] });

    expect(orderLog(steps)).toEqual(['2024-01-01 buy 50 ACME', '2024-01-02 buy 166 BETA']);
    expect(steps[0]!.decision.reasoning).toContain('BETA: not trading today, buying on its first trading day');
  });

  it('spreads its first buys over days to stay within the order limit', async () => {
    // Day 1: 9000 / 3 = 3000 each for ACME and BETA (30 shares at 100); CORP waits.
    // Day 2: CORP gets all of the 3000 left (30 shares).
    const agent = createAgent({ kind: 'buy_and_hold', params: {} }, { targetPct: 100, maxOrdersPerStep: 2 });
    const steps = await replay(agent, { ACME: [100, 100], BETA: [100, 100], CORP: [100, 100] }, { cash: 9_000 });

    expect(orderLog(steps)).toEqual(['2024-01-01 buy 30 ACME', '2024-01-01 buy 30 BETA', '2024-01-02 buy 30 CORP']);
    expect(steps[0]!.decision.reasoning).toContain('CORP: 2 orders per step already placed, buying on a later day');
  });
});

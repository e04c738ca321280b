import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuleDocument, type Bar } from '@tradewire/contract';
import { simulateMarket } from '../../market/simulated.js';
import { replayBars } from '../../test/market-replay.js';
import { positionSizing } from '../position-sizing.js';
import { createRulesAgent } from './rules-agent.js';
import { broken, pathsOf, small, validRuleDocument } from '../../test/rule-documents.js';

const market = simulateMarket(20_240_101, 2);
const SYMBOLS = market.symbols.slice(0, 3).map((s) => s.symbol);
/** 150 days of three simulated tickers, from a random start. */
const barsFrom = (start: number) => new Map(SYMBOLS.map((s): [string, readonly Bar[]] => [s, market.bars.get(s)!.slice(start, start + 150)]));

const costs = fc.record({ slippageBps: small(0, 100), commissionBps: small(0, 100) });

describe('fuzzed rule documents', () => {
  it('valid ones parse and trade the simulated market without error, within cash and holdings, the same way twice', async () => {
    let ordersSeen = 0;
    await fc.assert(
      fc.asyncProperty(validRuleDocument(SYMBOLS), costs, small(0, 300), async (input, ctx, start) => {
        const doc = RuleDocument.parse(input);
        const bars = barsFrom(start);
        const first = await replayBars(createRulesAgent(doc, positionSizing(ctx)), bars, { cash: 50_000 });
        const again = await replayBars(createRulesAgent(doc, positionSizing(ctx)), bars, { cash: 50_000 });
        expect(again.map((s) => s.decision)).toEqual(first.map((s) => s.decision));
        ordersSeen += first.reduce((n, s) => n + s.decision.orders.length, 0);

        const { costFactor, proceedsFactor } = positionSizing(ctx);
        for (const { observation: obs, decision } of first) {
          expect(decision.reasoning.split('\n')).toHaveLength(obs.symbols.length);
          const sides = decision.orders.map((o) => o.side);
          expect(sides).toEqual([...sides].sort().reverse());
          expect(new Set(decision.orders.map((o) => o.symbol)).size).toBe(decision.orders.length);
          let cash = obs.cash;
          for (const order of decision.orders) {
            const open = obs.open.get(order.symbol)!;
            expect(open).toBeDefined();
            expect(Number.isSafeInteger(order.quantity) && order.quantity > 0).toBe(true);
            if (order.side === 'sell') {
              expect(order.quantity).toBeLessThanOrEqual(obs.positions.get(order.symbol) ?? 0);
              cash += order.quantity * open * proceedsFactor;
            } else {
              expect(obs.positions.get(order.symbol) ?? 0).toBe(0);
              cash -= order.quantity * open * costFactor;
            }
          }
          expect(cash).toBeGreaterThanOrEqual(-1e-6 * Math.max(1, obs.cash));
        }
      }),
      { numRuns: 30 },
    );
    // About half of random documents trade at all; thirty that never do would mean rules never fire.
    expect(ordersSeen).toBeGreaterThan(0);
  }, 120_000);

  it('invalid ones fail validation with an issue on the path that was broken', () => {
    fc.assert(
      fc.property(
        validRuleDocument(SYMBOLS).chain((doc) => fc.tuple(fc.constant(doc), fc.constantFrom(...pathsOf(doc)), fc.constantFrom('replace' as const, 'stray_key' as const, 'too_deep' as const))),
        ([doc, path, how]) => {
          const parsed = RuleDocument.safeParse(broken(doc, path, how));
          expect(parsed.success).toBe(false);
          const onBranch = (p: PropertyKey[]) => p.length > 0 && p.every((k, i) => i >= path.length || k === path[i]);
          expect(parsed.error!.issues.some((issue) => onBranch(issue.path)), JSON.stringify(parsed.error!.issues)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { RULE_TEMPLATES, RuleDocument, rsiDipRules, smaCrossoverRules } from '@tradewire/contract';
import { simulateMarket } from '../../market/simulated.js';
import { orderLog, replayBars, type ReplayedStep } from '../../test/market-replay.js';
import type { Agent, AgentContext } from '../agent.js';
import { createAgent } from '../registry.js';
import { positionSizing } from '../position-sizing.js';
import { createRulesAgent } from './rules-agent.js';

// The app's default simulated market (MARKET_SEED's default), three years of it.
const market = simulateMarket(20_240_101, 3);
const barsOf = (symbols: string[]) => new Map(symbols.map((s) => [s, market.bars.get(s)!]));
// Eight symbols at 25 % each: cash runs short, so buys are often sized on what the day's sells free.
const EIGHT = market.symbols.slice(0, 8).map((s) => s.symbol);

const run = (agent: Agent): Promise<ReplayedStep[]> => replayBars(agent, barsOf(EIGHT), { cash: 100_000 });

/** Days whose buys cost more than the cash at the open: they spend what the day's sells bring. */
const fundedBySells = (steps: ReplayedStep[]) =>
  steps.filter(({ observation, decision }) => {
    const buys = decision.orders.filter((o) => o.side === 'buy');
    return buys.reduce((total, o) => total + o.quantity * observation.open.get(o.symbol)!, 0) > observation.cash;
  }).length;

/** Runs both agents and expects the same orders day by day; returns the built-in's steps. */
async function expectSameOrders(builtIn: Agent, fromRules: Agent): Promise<ReplayedStep[]> {
  const [expected, actual] = [await run(builtIn), await run(fromRules)];
  expect(orderLog(actual)).toEqual(orderLog(expected));
  return expected;
}

const rules = (doc: RuleDocument, ctx: AgentContext) => createRulesAgent(RuleDocument.parse(doc), positionSizing(ctx));

describe('templates equivalent to built-in agents trade alike over the simulated market', () => {
  const ctx: AgentContext = { slippageBps: 5, commissionBps: 2 };

  it.each([
    [10, 30],
    [5, 20],
  ])('SMA crossover %i/%i', async (fast, slow) => {
    const steps = await expectSameOrders(createAgent({ kind: 'sma_crossover', params: { fast, slow, position_pct: 25 } }, ctx), rules(smaCrossoverRules(fast, slow, 25), ctx));

    expect(orderLog(steps).length).toBeGreaterThan(40);
    expect(fundedBySells(steps)).toBeGreaterThan(0);
  });

  it('the golden cross template is sma_crossover 50/200 at the default 25 % position', async () => {
    const golden = RULE_TEMPLATES.find((t) => t.id === 'golden_cross')!.document;
    const steps = await expectSameOrders(createAgent({ kind: 'sma_crossover', params: { fast: 50, slow: 200, position_pct: 25 } }, ctx), rules(golden, ctx));

    expect(orderLog(steps).length).toBeGreaterThan(4);
  });

  it.each([
    [14, 30, 70],
    [5, 25, 75],
  ])('RSI mean reversion RSI(%i) %i/%i', async (period, low, high) => {
    const doc = rsiDipRules({ period, low, high, trendSma: null, takeProfitPct: null, maxHoldingDays: null, percent: 25 });
    const steps = await expectSameOrders(createAgent({ kind: 'rsi_mean_reversion', params: { period, low, high, position_pct: 25 } }, ctx), rules(doc, ctx));

    expect(orderLog(steps).length).toBeGreaterThan(20);
  });
});

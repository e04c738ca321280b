import { describe, expect, it } from 'vitest';
import { RULE_TEMPLATES, RuleDocument, rsiDipRules, smaCrossoverRules } from '@tradewire/contract';
import { simulateMarket } from '../../market/simulated.js';
import { orderLog, replayBars, type ReplayedStep } from '../../test/market-replay.js';
import { createAgent, type Agent, type AgentContext } from '../agent.js';
import { positionSizing } from '../position-sizing.js';
import { createRulesAgent } from './rules-agent.js';

// The app's default simulated market (MARKET_SEED's default), three years of it.
const market = simulateMarket(20_240_101, 3);
const barsOf = (symbols: string[]) => new Map(symbols.map((s) => [s, market.bars.get(s)!]));
const FIVE = market.symbols.slice(0, 5).map((s) => s.symbol);

/** Orders by day of each agent, with the days both agents did nothing left out. */
async function ordersOf(agent: Agent, symbols: string[]): Promise<string[]> {
  const steps: ReplayedStep[] = await replayBars(agent, barsOf(symbols), { cash: 100_000 });
  return orderLog(steps);
}

const rules = (doc: RuleDocument, ctx: AgentContext) => createRulesAgent(RuleDocument.parse(doc), positionSizing(ctx));

// Built-ins size buys on the cash before the day's sells, the rules agent on the cash after them;
// positions of 10 % across five symbols never run short of cash, so both size alike here.
describe('templates equivalent to built-in agents trade alike over the simulated market', () => {
  const ctx: AgentContext = { targetPct: 10, slippageBps: 5, commissionBps: 2 };

  it.each([
    [10, 30],
    [5, 20],
  ])('SMA crossover %i/%i', async (fast, slow) => {
    const builtIn = await ordersOf(createAgent('sma_crossover', { fast, slow }, ctx), FIVE);
    const fromRules = await ordersOf(rules(smaCrossoverRules(fast, slow, 10), ctx), FIVE);

    expect(builtIn.length).toBeGreaterThan(40);
    expect(fromRules).toEqual(builtIn);
  });

  it('the golden cross template is sma_crossover 50/200 at the default 25 % position', async () => {
    const golden = RULE_TEMPLATES.find((t) => t.id === 'golden_cross')!.document;
    const defaults: AgentContext = { slippageBps: 5 };
    const symbols = FIVE.slice(0, 3);
    const builtIn = await ordersOf(createAgent('sma_crossover', { fast: 50, slow: 200 }, defaults), symbols);
    const fromRules = await ordersOf(rules(golden, defaults), symbols);

    expect(builtIn.length).toBeGreaterThan(4);
    expect(fromRules).toEqual(builtIn);
  });

  it.each([
    [14, 30, 70],
    [5, 25, 75],
  ])('RSI mean reversion RSI(%i) %i/%i', async (period, low, high) => {
    const doc = rsiDipRules({ period, low, high, trendSma: null, takeProfitPct: null, maxHoldingDays: null, percent: 10 });
    const builtIn = await ordersOf(createAgent('rsi_mean_reversion', { period, low, high }, ctx), FIVE);
    const fromRules = await ordersOf(rules(doc, ctx), FIVE);

    expect(builtIn.length).toBeGreaterThan(20);
    expect(fromRules).toEqual(builtIn);
  });
});

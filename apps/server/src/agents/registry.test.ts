import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Agent, AgentContext, AgentParams } from './agent.js';
import { createAgent } from './registry.js';
import { replay, type ReplayedStep } from '../test/market-replay.js';

const LLM_PARAMS: AgentParams<'llm'> = {
  base_url: 'http://localhost:11434/v1',
  model: 'llama3',
  temperature: 0.2,
  max_tool_calls_per_step: 10,
  instructions: '',
};

describe('createAgent', () => {
  it('refuses an llm agent without an llm factory', () => {
    expect(() => createAgent({ kind: 'llm', params: LLM_PARAMS })).toThrow('llm agents are built by the LLM agent module: pass ctx.llm to createAgent');
  });

  it('builds an llm agent with the factory the engine passes', async () => {
    const built: AgentParams<'llm'>[] = [];
    const llm = (params: AgentParams<'llm'>): Agent => {
      built.push(params);
      return { decide: async () => ({ orders: [], reasoning: `asked ${params.model}` }) };
    };
    const agent = createAgent({ kind: 'llm', params: LLM_PARAMS }, { llm });
    const [step] = await replay(agent, { ACME: [10] });

    expect(built).toEqual([LLM_PARAMS]);
    expect(step!.decision.reasoning).toBe('asked llama3');
  });
});

const builtInSpec = fc.oneof(
  fc.constant({ kind: 'buy_and_hold' as const, params: {} }),
  fc
    .tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 8 }))
    .map(([fast, gap]) => ({ kind: 'sma_crossover' as const, params: { fast, slow: fast + gap } })),
  fc
    .tuple(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 10, max: 49 }), fc.integer({ min: 51, max: 90 }))
    .map(([period, low, high]) => ({ kind: 'rsi_mean_reversion' as const, params: { period, low, high } })),
  fc
    .tuple(fc.nat({ max: 2 ** 31 - 1 }), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([seed, probability]) => ({ kind: 'random' as const, params: { seed, probability } })),
);

const context = fc.record({
  targetPct: fc.integer({ min: 1, max: 100 }),
  slippageBps: fc.integer({ min: 0, max: 100 }),
  commissionBps: fc.integer({ min: 0, max: 100 }),
  maxOrdersPerStep: fc.integer({ min: 1, max: 5 }),
});

/** Three symbols over the same days, of which the run trades ACME and BETA; a null close is a day off. */
const pricePaths = fc.integer({ min: 1, max: 50 }).chain((days) => {
  const path = fc.array(fc.option(fc.integer({ min: 100, max: 50_000 }).map((cents) => cents / 100), { nil: null, freq: 6 }), {
    minLength: days,
    maxLength: days,
  });
  return fc.record({ ACME: path, BETA: path, CORP: path });
});

const scenario = fc.record({
  spec: builtInSpec,
  ctx: context,
  closes: pricePaths,
  cash: fc.integer({ min: 100, max: 1_000_000 }),
  warmup: fc.integer({ min: 0, max: 10 }),
});

type BuiltInSpec = typeof builtInSpec extends fc.Arbitrary<infer S> ? S : never;

/** Signal strategies size by their own position_pct, buy-and-hold by the rules' cap: both are targetPct here. */
function build(spec: BuiltInSpec, ctx: Required<Pick<AgentContext, 'targetPct'>> & AgentContext): Agent {
  const position_pct = ctx.targetPct;
  switch (spec.kind) {
    case 'buy_and_hold':
      return createAgent(spec, ctx);
    case 'sma_crossover':
      return createAgent({ kind: spec.kind, params: { ...spec.params, position_pct } }, ctx);
    case 'rsi_mean_reversion':
      return createAgent({ kind: spec.kind, params: { ...spec.params, position_pct } }, ctx);
    case 'random':
      return createAgent({ kind: spec.kind, params: { ...spec.params, position_pct } }, ctx);
  }
}

/** `a <= b` but for float rounding: prices compound to any size over a random path. */
const atMost = (a: number, b: number) => expect(a).toBeLessThanOrEqual(b + Math.abs(b) * 1e-12 + 1e-9);

/** Every rule an order must keep, checked against what the agent could see. */
function expectSaneOrders({ observation: obs, decision }: ReplayedStep, ctx: Required<Pick<AgentContext, 'targetPct' | 'slippageBps' | 'commissionBps'>>) {
  expect(decision.reasoning.length).toBeGreaterThan(0);
  const costFactor = (1 + ctx.slippageBps / 10_000) * (1 + ctx.commissionBps / 10_000);
  const proceedsFactor = (1 - ctx.slippageBps / 10_000) * (1 - ctx.commissionBps / 10_000);
  const sold = new Map<string, number>();
  let spent = 0;
  let proceeds = 0;
  for (const order of decision.orders) {
    expect(obs.symbols).toContain(order.symbol);
    expect(Number.isSafeInteger(order.quantity) && order.quantity > 0).toBe(true);
    const open = obs.open.get(order.symbol);
    expect(open).toBeDefined();
    if (order.side === 'sell') {
      sold.set(order.symbol, (sold.get(order.symbol) ?? 0) + order.quantity);
      proceeds += order.quantity * open! * proceedsFactor;
      expect(sold.get(order.symbol)).toBeLessThanOrEqual(obs.positions.get(order.symbol) ?? 0);
    } else {
      const cost = order.quantity * open! * costFactor;
      atMost(cost, (obs.equity * ctx.targetPct) / 100);
      spent += cost;
    }
  }
  // The broker fills sells first: buys may spend what the day's sales bring.
  atMost(spent, obs.cash + proceeds);
}

describe('built-in agents', () => {
  it('order only tradable symbols, in whole shares, never selling more than held or spending more than the cash', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ spec, ctx, closes, cash, warmup }) => {
        const steps = await replay(build(spec, ctx), closes, { cash, warmup, tradable: ['ACME', 'BETA'] });
        for (const step of steps) expectSaneOrders(step, ctx);
      }),
      { numRuns: 300 },
    );
  });

  it('make the same decisions from the same observations', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ spec, ctx, closes, cash, warmup }) => {
        const first = await replay(build(spec, ctx), closes, { cash, warmup });
        const second = await replay(build(spec, ctx), closes, { cash, warmup });
        expect(second.map((s) => s.decision)).toEqual(first.map((s) => s.decision));
      }),
      { numRuns: 100 },
    );
  });
});

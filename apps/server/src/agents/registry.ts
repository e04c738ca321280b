import type { AgentSpec } from '@tradewire/contract';
import type { TradingRules } from '../domain/trading-rules.js';
import type { Agent, AgentContext } from './agent.js';
import { BuyAndHold } from './buy-and-hold.js';
import { positionSizing } from './position-sizing.js';
import { RandomTrader } from './random-trader.js';
import { RsiMeanReversion } from './rsi-mean-reversion.js';
import { SmaCrossover } from './sma-crossover.js';

/** What the built-in strategies take from a model's trading rules. */
export function agentContextOf(rules: TradingRules): AgentContext {
  return {
    targetPct: rules.risk.max_position_pct,
    commissionBps: rules.commissionBps,
    slippageBps: rules.slippageBps,
    maxOrdersPerStep: rules.risk.max_orders_per_step,
  };
}

/** Builds the agent for a model's agent spec, already parsed by the contract's schema. */
export function createAgent(spec: AgentSpec, ctx: AgentContext = {}): Agent {
  // Signal strategies size each position by their own position_pct; buy-and-hold by the rules' cap.
  const sizing = (positionPct?: number) => positionSizing(positionPct === undefined ? ctx : { ...ctx, targetPct: positionPct });
  switch (spec.kind) {
    case 'buy_and_hold':
      return new BuyAndHold(sizing(), ctx.maxOrdersPerStep ?? Number.POSITIVE_INFINITY);
    case 'sma_crossover':
      return new SmaCrossover(spec.params, sizing(spec.params.position_pct));
    case 'rsi_mean_reversion':
      return new RsiMeanReversion(spec.params, sizing(spec.params.position_pct));
    case 'random':
      return new RandomTrader(spec.params, sizing(spec.params.position_pct));
    case 'llm':
      if (!ctx.llm) throw new Error('llm agents are built by the LLM agent module: pass ctx.llm to createAgent');
      return ctx.llm(spec.params);
  }
}

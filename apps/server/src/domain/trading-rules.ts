import type { RiskRules } from '@tradewire/contract';

/**
 * The rules every order of a model is filled under: its risk limits and its costs. Built once per
 * run from the model, handed to the broker, the agents' sizing and the LLM agent's prompt alike.
 */
export interface TradingRules {
  risk: RiskRules;
  commissionBps: number;
  slippageBps: number;
}

export function tradingRulesOf(model: { risk: RiskRules; commission_bps: number; slippage_bps: number }): TradingRules {
  return { risk: model.risk, commissionBps: model.commission_bps, slippageBps: model.slippage_bps };
}

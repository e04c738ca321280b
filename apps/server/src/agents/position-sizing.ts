import type { AgentContext } from './agent.js';

/** How a strategy turns a buy signal into a whole number of shares. */
export interface PositionSizing {
  /** Share of equity one new position takes (0..1]. */
  readonly targetFraction: number;
  /** Cash one share costs per unit of open price, after slippage and commission. */
  readonly costFactor: number;
  /** Cash one share sold brings per unit of open price, after slippage and commission. */
  readonly proceedsFactor: number;
}

export function positionSizing(ctx: AgentContext): PositionSizing {
  return {
    targetFraction: (ctx.targetPct ?? 25) / 100,
    costFactor: (1 + (ctx.slippageBps ?? 0) / 10_000) * (1 + (ctx.commissionBps ?? 0) / 10_000),
    proceedsFactor: (1 - (ctx.slippageBps ?? 0) / 10_000) * (1 - (ctx.commissionBps ?? 0) / 10_000),
  };
}

/** Whole shares `budget` buys at `open` once costs are paid; 0 when it buys none. */
export function affordableShares(budget: number, open: number, sizing: PositionSizing): number {
  if (!(open > 0) || !(budget > 0)) return 0;
  // Capped so a penny stock against a huge account still gives an exact whole number.
  return Math.min(Math.floor(budget / (open * sizing.costFactor)), Number.MAX_SAFE_INTEGER);
}

/** Shares for a new position: the target share of equity, never more than `cash` pays for. */
export function targetShares(equity: number, cash: number, open: number, sizing: PositionSizing): number {
  return affordableShares(Math.min(equity * sizing.targetFraction, cash), open, sizing);
}

/** Cash a buy of `quantity` shares at `open` takes, costs included. */
export function buyCost(quantity: number, open: number, sizing: PositionSizing): number {
  return quantity * open * sizing.costFactor;
}

/** Cash a sale of `quantity` shares at `open` brings, costs paid: what the day's buys may spend. */
export function saleProceeds(quantity: number, open: number, sizing: PositionSizing): number {
  return quantity * open * sizing.proceedsFactor;
}

import type { Order } from '../domain/order.js';
import type { Agent, Decision, Observation } from './agent.js';
import { affordableShares, buyCost, type PositionSizing } from './position-sizing.js';

/**
 * The benchmark: buy every symbol once with an equal share of the cash (capped at the target
 * position size), then hold whatever happens. A symbol not trading on the first day, or beyond
 * the broker's order limit, is bought on a later day with an equal share of the cash then left.
 */
export class BuyAndHold implements Agent {
  readonly #bought = new Set<string>();

  constructor(
    private readonly sizing: PositionSizing,
    private readonly maxOrdersPerStep: number,
  ) {}

  async decide(obs: Observation): Promise<Decision> {
    const pending = obs.symbols.filter((symbol) => !this.#bought.has(symbol));
    if (pending.length === 0) return { orders: [], reasoning: holdingLine(obs) };
    // Equal weight: each symbol still to buy gets the same share of today's cash.
    const share = Math.min(obs.cash / pending.length, obs.equity * this.sizing.targetFraction);
    let cash = obs.cash;
    const orders: Order[] = [];
    const lines: string[] = [];
    for (const symbol of pending) {
      const open = obs.open.get(symbol);
      if (open === undefined) {
        lines.push(`${symbol}: not trading today, buying on its first trading day`);
        continue;
      }
      if (orders.length >= this.maxOrdersPerStep) {
        lines.push(`${symbol}: ${this.maxOrdersPerStep} orders per step already placed, buying on a later day`);
        continue;
      }
      this.#bought.add(symbol);
      const quantity = affordableShares(Math.min(share, cash), open, this.sizing);
      if (quantity === 0) {
        lines.push(`${symbol}: ${open.toFixed(2)} is more than its share of cash ${share.toFixed(2)}, never buying`);
        continue;
      }
      orders.push({ symbol, side: 'buy', quantity, reason: 'buy and hold: initial buy with an equal share of cash' });
      cash -= buyCost(quantity, open, this.sizing);
      lines.push(`${symbol}: initial buy with an equal share of cash (${share.toFixed(2)}) → buy ${quantity}, then hold`);
    }
    return { orders, reasoning: lines.join('\n') };
  }
}

function holdingLine(obs: Observation): string {
  const held = obs.symbols.filter((symbol) => (obs.positions.get(symbol) ?? 0) > 0);
  if (held.length === 0) return 'Buy and hold: nothing was bought, nothing to do → hold';
  return `Buy and hold: holding ${held.map((symbol) => `${symbol} ${obs.positions.get(symbol)}`).join(', ')} → hold`;
}

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Order } from '../domain/order.js';
import type { Agent, AgentParams, Decision, Observation } from './agent.js';
import { buyCost, targetShares, type PositionSizing } from './position-sizing.js';

/**
 * The control group: each step, each symbol trades with probability `probability`, buying or
 * selling (only if held) a random whole quantity. Seeded, so a run is reproducible.
 */
export class RandomTrader implements Agent {
  readonly #rng: ReturnType<typeof xoroshiro128plus>;

  constructor(
    private readonly params: AgentParams<'random'>,
    private readonly sizing: PositionSizing,
  ) {
    this.#rng = xoroshiro128plus(params.seed);
  }

  async decide(obs: Observation): Promise<Decision> {
    const orders: Order[] = [];
    const lines: string[] = [];
    let cash = obs.cash;
    for (const symbol of obs.symbols) {
      // Three draws per symbol every step, whatever happens, so one symbol's fate never shifts another's.
      const trades = uniformFloat64(this.#rng) < this.params.probability;
      const buys = uniformFloat64(this.#rng) < 0.5;
      const size = uniformFloat64(this.#rng);
      const open = obs.open.get(symbol);
      const held = obs.positions.get(symbol) ?? 0;
      if (!trades) {
        lines.push(`${symbol}: no trade drawn → hold`);
      } else if (open === undefined) {
        lines.push(`${symbol}: trade drawn, but not trading today → hold`);
      } else if (buys) {
        const most = targetShares(obs.equity, cash, open, this.sizing);
        if (most === 0) {
          lines.push(`${symbol}: buy drawn, but the cash buys no whole share at ${open.toFixed(2)} → hold`);
        } else {
          const quantity = 1 + Math.floor(size * most);
          orders.push({ symbol, side: 'buy', quantity });
          cash -= buyCost(quantity, open, this.sizing);
          lines.push(`${symbol}: buy drawn → buy ${quantity} of at most ${most}`);
        }
      } else if (held > 0) {
        const quantity = 1 + Math.floor(size * held);
        orders.push({ symbol, side: 'sell', quantity });
        lines.push(`${symbol}: sell drawn → sell ${quantity} of ${held} held`);
      } else {
        lines.push(`${symbol}: sell drawn, nothing held → hold`);
      }
    }
    return { orders, reasoning: lines.length > 0 ? lines.join('\n') : 'No symbols to trade → hold' };
  }
}

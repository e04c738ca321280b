import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Order } from '../domain/order.js';
import type { Agent, AgentParams, Decision, Observation } from './agent.js';
import { buyCost, saleProceeds, targetShares, type PositionSizing } from './position-sizing.js';

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
    // Three draws per symbol every step, whatever happens, so one symbol's fate never shifts another's.
    const draws = obs.symbols.map((symbol) => ({
      symbol,
      trades: uniformFloat64(this.#rng) < this.params.probability,
      buys: uniformFloat64(this.#rng) < 0.5,
      size: uniformFloat64(this.#rng),
      open: obs.open.get(symbol),
      held: obs.positions.get(symbol) ?? 0,
    }));
    const sells: Order[] = [];
    const buys: Order[] = [];
    const lines = new Map<string, string>();
    // Sells first: the broker fills them before the buys, which are sized on the cash they bring.
    let cash = obs.cash;
    for (const d of draws) {
      if (!d.trades || d.open === undefined || d.buys) continue;
      if (d.held > 0) {
        const quantity = 1 + Math.floor(d.size * d.held);
        sells.push({ symbol: d.symbol, side: 'sell', quantity, reason: 'sell drawn at random' });
        cash += saleProceeds(quantity, d.open, this.sizing);
        lines.set(d.symbol, `${d.symbol}: sell drawn → sell ${quantity} of ${d.held} held`);
      } else {
        lines.set(d.symbol, `${d.symbol}: sell drawn, nothing held → hold`);
      }
    }
    for (const d of draws) {
      if (!d.trades) lines.set(d.symbol, `${d.symbol}: no trade drawn → hold`);
      else if (d.open === undefined) lines.set(d.symbol, `${d.symbol}: trade drawn, but not trading today → hold`);
      else if (d.buys) {
        const most = targetShares(obs.equity, cash, d.open, this.sizing);
        if (most === 0) {
          lines.set(d.symbol, `${d.symbol}: buy drawn, but the cash buys no whole share at ${d.open.toFixed(2)} → hold`);
        } else {
          const quantity = 1 + Math.floor(d.size * most);
          buys.push({ symbol: d.symbol, side: 'buy', quantity, reason: 'buy drawn at random' });
          cash -= buyCost(quantity, d.open, this.sizing);
          lines.set(d.symbol, `${d.symbol}: buy drawn → buy ${quantity} of at most ${most}`);
        }
      }
    }
    const orders = [...sells, ...buys];
    const reasoning = obs.symbols.map((s) => lines.get(s)!).join('\n');
    return { orders, reasoning: reasoning || 'No symbols to trade → hold' };
  }
}

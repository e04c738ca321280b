import { SMA, hasCrossedOver, hasCrossedUnder } from 'trading-signals';
import type { Bar } from '@tradewire/contract';
import type { Agent, AgentParams, Decision, Observation } from './agent.js';
import { barsAfter } from './bars-after.js';
import type { PositionSizing } from './position-sizing.js';
import { decideOnSignals, type Signal } from './signal-strategy.js';

interface Averages {
  fast: number;
  slow: number;
}

/** One symbol's moving averages, fed one close at a time. */
interface SymbolAverages {
  fast: SMA;
  slow: SMA;
  lastSeen?: string;
  bars: number;
  previous?: Averages;
  current?: Averages;
}

/**
 * Trend following: buy when the fast SMA of closes crosses above the slow one, sell when it
 * crosses below. A cross needs two readings of both averages, so slow + 1 bars of history.
 */
export class SmaCrossover implements Agent {
  readonly #symbols = new Map<string, SymbolAverages>();

  constructor(
    private readonly params: AgentParams<'sma_crossover'>,
    private readonly sizing: PositionSizing,
  ) {}

  async decide(obs: Observation): Promise<Decision> {
    return decideOnSignals(obs, this.sizing, (symbol, history) => this.#read(symbol, history));
  }

  #read(symbol: string, history: readonly Readonly<Bar>[]): Signal {
    const { fast, slow } = this.params;
    let averages = this.#symbols.get(symbol);
    if (!averages) {
      averages = { fast: new SMA(fast), slow: new SMA(slow), bars: 0 };
      this.#symbols.set(symbol, averages);
    }
    for (const bar of barsAfter(history, averages.lastSeen)) {
      const fastValue = averages.fast.add(bar.close);
      const slowValue = averages.slow.add(bar.close);
      averages.previous = averages.current;
      averages.current = fastValue === null || slowValue === null ? undefined : { fast: fastValue, slow: slowValue };
      averages.lastSeen = bar.date;
      averages.bars++;
    }
    const fastName = `SMA${fast}`;
    const slowName = `SMA${slow}`;
    const { previous, current } = averages;
    if (!previous || !current) {
      return { action: 'hold', why: `${averages.bars} of ${slow + 1} bars needed for ${fastName}/${slowName}` };
    }
    const now = `${fastName} ${current.fast.toFixed(2)}`;
    const against = `${slowName} ${current.slow.toFixed(2)}`;
    if (hasCrossedOver(previous.fast, previous.slow, current.fast, current.slow)) {
      return { action: 'buy', why: `${now} crossed above ${against}` };
    }
    if (hasCrossedUnder(previous.fast, previous.slow, current.fast, current.slow)) {
      return { action: 'sell', why: `${now} crossed below ${against}` };
    }
    const side = current.fast > current.slow ? 'above' : current.fast < current.slow ? 'below' : 'level with';
    return { action: 'hold', why: `${now} ${side} ${against}, no crossover` };
  }
}

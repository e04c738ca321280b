import { RSI } from 'trading-signals';
import type { Bar } from '@tradewire/contract';
import type { Agent, AgentParams, Decision, Observation } from './agent.js';
import { barsAfter } from './bars-after.js';
import type { PositionSizing } from './position-sizing.js';
import { decideOnSignals, type Signal } from './signal-strategy.js';

/** One symbol's RSI (Wilder smoothing), fed one close at a time. */
interface SymbolRsi {
  rsi: RSI;
  lastSeen?: string;
  bars: number;
}

/**
 * Mean reversion: buy when the RSI of closes falls below `low` (oversold), sell when it rises
 * above `high` (overbought). RSI(period) needs period + 1 bars of history.
 */
export class RsiMeanReversion implements Agent {
  readonly #symbols = new Map<string, SymbolRsi>();

  constructor(
    private readonly params: AgentParams<'rsi_mean_reversion'>,
    private readonly sizing: PositionSizing,
  ) {}

  async decide(obs: Observation): Promise<Decision> {
    return decideOnSignals(obs, this.sizing, (symbol, history) => this.#read(symbol, history));
  }

  #read(symbol: string, history: readonly Readonly<Bar>[]): Signal {
    const { period, low, high } = this.params;
    let state = this.#symbols.get(symbol);
    if (!state) {
      state = { rsi: new RSI(period), bars: 0 };
      this.#symbols.set(symbol, state);
    }
    for (const bar of barsAfter(history, state.lastSeen)) {
      state.rsi.add(bar.close);
      state.lastSeen = bar.date;
      state.bars++;
    }
    const name = `RSI${period}`;
    const rsi = state.rsi.getResult();
    if (rsi === null) return { action: 'hold', why: `${state.bars} of ${period + 1} bars needed for ${name}` };
    const reading = `${name} ${rsi.toFixed(2)}`;
    if (rsi < low) return { action: 'buy', why: `${reading} below ${low}, oversold` };
    if (rsi > high) return { action: 'sell', why: `${reading} above ${high}, overbought` };
    return { action: 'hold', why: `${reading} between ${low} and ${high}` };
  }
}

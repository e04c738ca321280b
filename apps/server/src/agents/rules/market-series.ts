import { ATR, BollingerBands, EMA, MACD, ROC, RSI, SMA } from 'trading-signals';
import { INDICATOR_KINDS, operandLabel, type Bar, type IndicatorOperand, type Operand } from '@tradewire/contract';
import { barsAfter } from '../bars-after.js';

/** A value a condition reads, or why it is not known yet. */
export type Reading = { value: number } | { missing: string };

/** Values of operands on the day being decided (`now`) and one bar earlier (`before`, for crosses). */
export interface Readings {
  now(op: Operand): Reading;
  before(op: Operand): Reading;
}

export const isIndicator = (op: Operand): op is IndicatorOperand => (INDICATOR_KINDS as readonly string[]).includes(op.kind);

/** One key per distinct indicator, whatever order its fields were written in. */
export const indicatorKey = (op: IndicatorOperand) => JSON.stringify(op, Object.keys(op).sort());

/** Complete bars an indicator needs before it has a value. */
export function barsNeeded(op: IndicatorOperand): number {
  switch (op.kind) {
    case 'rsi':
    case 'roc':
      return op.period + 1;
    case 'macd':
      return op.line === 'macd' ? op.slow : op.slow + op.signal - 1;
    default:
      return op.period;
  }
}

/** Feeds one bar to an indicator of trading-signals and returns its value, or null while it is not ready. */
type IndicatorFeed = (bar: Readonly<Bar>) => number | null;

function indicatorFeed(op: IndicatorOperand): IndicatorFeed {
  switch (op.kind) {
    case 'sma': {
      const sma = new SMA(op.period);
      return (bar) => sma.add(bar.close);
    }
    case 'ema': {
      // EMA answers from its first price; its value means something only once `period` prices are in.
      const ema = new EMA(op.period);
      return (bar) => {
        ema.add(bar.close);
        return ema.isStable ? ema.getResult() : null;
      };
    }
    case 'rsi': {
      const rsi = new RSI(op.period);
      return (bar) => rsi.add(bar.close);
    }
    case 'macd': {
      const signal = new EMA(op.signal);
      const macd = new MACD(new EMA(op.fast), new EMA(op.slow), signal);
      return (bar) => {
        const result = macd.add(bar.close);
        if (result === null) return null;
        return op.line === 'macd' ? result.macd : signal.isStable ? result[op.line] : null;
      };
    }
    case 'bollinger': {
      const bands = new BollingerBands(op.period, op.stddev);
      return (bar) => bands.add(bar.close)?.[op.band] ?? null;
    }
    case 'atr': {
      const atr = new ATR(op.period);
      return (bar) => atr.add({ high: bar.high, low: bar.low, close: bar.close });
    }
    case 'roc': {
      const roc = new ROC(op.period);
      return (bar) => {
        const change = roc.add(bar.close);
        return change === null ? null : change * 100;
      };
    }
    case 'volume_sma': {
      const sma = new SMA(op.period);
      return (bar) => sma.add(bar.volume);
    }
  }
}

/** An indicator's value after the last bar and after the bar before it. */
interface IndicatorTrack {
  readonly operand: IndicatorOperand;
  readonly feed: IndicatorFeed;
  current: number | null;
  previous: number | null;
}

const known = (value: number | null): number | null => (value !== null && Number.isFinite(value) ? value : null);

/**
 * One symbol's indicators, fed one complete bar at a time (O(1) per bar and indicator, however
 * long the run), and its last two bars. Every value is as of the last complete bar.
 */
export class MarketSeries {
  readonly #tracks = new Map<string, IndicatorTrack>();
  #lastSeen: string | undefined;
  #bars = 0;
  #last: Readonly<Bar> | undefined;
  #beforeLast: Readonly<Bar> | undefined;

  constructor(indicators: readonly IndicatorOperand[]) {
    for (const operand of indicators) {
      this.#tracks.set(indicatorKey(operand), { operand, feed: indicatorFeed(operand), current: null, previous: null });
    }
  }

  /** Feeds the bars of `history` not seen yet, oldest first, and hands each to `onBar`. */
  feed(history: readonly Readonly<Bar>[], onBar: (bar: Readonly<Bar>) => void): void {
    for (const bar of barsAfter(history, this.#lastSeen)) {
      for (const track of this.#tracks.values()) {
        track.previous = track.current;
        track.current = known(track.feed(bar));
      }
      this.#beforeLast = this.#last;
      this.#last = bar;
      this.#lastSeen = bar.date;
      this.#bars++;
      onBar(bar);
    }
  }

  /** Reads the market side of operands; `open` is today's, `position` answers the position's values. */
  readings(open: number, position: (op: Extract<Operand, { kind: 'position' }>) => Reading): Readings {
    return {
      now: (op) => {
        if (op.kind === 'constant') return { value: op.value };
        if (op.kind === 'position') return position(op);
        if (op.kind === 'price') return op.field === 'open' ? { value: open } : this.#priceOf(this.#last, op.field, 1);
        return this.#indicator(op, 'current');
      },
      before: (op) => {
        if (op.kind === 'constant') return { value: op.value };
        // The schema lets no position value cross, so none is ever read a bar earlier.
        if (op.kind === 'position') return { missing: `${operandLabel(op)} has no earlier value` };
        if (op.kind === 'price') return op.field === 'open' ? this.#priceOf(this.#last, 'open', 1) : this.#priceOf(this.#beforeLast, op.field, 2);
        return this.#indicator(op, 'previous');
      },
    };
  }

  #priceOf(bar: Readonly<Bar> | undefined, field: 'open' | 'close' | 'high' | 'low' | 'volume', needed: number): Reading {
    return bar ? { value: bar[field] } : { missing: `${field} not known yet (${this.#bars} of ${needed} bars)` };
  }

  #indicator(op: IndicatorOperand, when: 'current' | 'previous'): Reading {
    const track = this.#tracks.get(indicatorKey(op));
    if (!track) throw new Error(`${operandLabel(op)} is read but was never fed: the agent registers every indicator of its rules`);
    const value = track[when];
    if (value !== null) return { value };
    const needed = barsNeeded(op) + (when === 'previous' ? 1 : 0);
    return { missing: `${operandLabel(op)} not ready (${this.#bars} of ${needed} bars)` };
  }
}

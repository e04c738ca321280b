import { describe, expect, it } from 'vitest';
import type { Bar, IndicatorOperand, Operand } from '@tradewire/contract';
import { tradingDays } from '../../test/market-replay.js';
import { MarketSeries, barsNeeded, type Reading } from './market-series.js';

const CLOSES = [10, 11, 12, 11, 13];
const days = tradingDays(CLOSES.length);
/** Highs one above and lows one below each close; volumes 100, 200, …; opens one below the close. */
const BARS: Bar[] = CLOSES.map((close, i) => ({ date: days[i]!, open: close - 1, high: close + 1, low: close - 1, close, volume: 100 * (i + 1) }));

// Hand-computed, each after the bar in its column (bar 0 … bar 4); null while not ready:
//   SMA(3) of closes:        -, -, 11, 11.3333, 12
//   EMA(3), k = 0.5, seeded with the first close: 10, 10.5, 11.25, 11.125, 12.0625 (ready from 3 closes)
//   RSI(2), Wilder: changes +1 +1 -1 +2 -> bar 2: gain 1, loss 0 -> 100; bar 3: gain 0.5, loss 0.5 -> 50;
//                   bar 4: gain 1.25, loss 0.25 -> 83.3333
//   ROC(2) in %:             -, -, 20, 0, 8.3333
//   Bollinger(3, 2), population deviation: bar 2 mean 11, sd 0.8165 -> upper 12.6330; bar 3 mean 11.3333, sd 0.4714 -> upper 12.2761
//   ATR(2), Wilder: true ranges 2, 2, 2, 2, 3 (|13+1 - 11| = 3 on bar 4) -> bar 1: 2; bar 4: 2 + (3 - 2) / 2 = 2.5
//   volume SMA(2):           -, 150, 250, 350, 450
//   MACD(2,3,2): EMA(2) 10, 10.6667, 11.5556, 11.1852, 12.3951; EMA(3) as above; line from bar 2:
//                0.3056, 0.0602, 0.3326; signal EMA(2) of the line, ready from its 2nd value: 0.1420, 0.2690;
//                histogram -0.0818, 0.0635
const EXPECTED: [IndicatorOperand, (number | null)[]][] = [
  [{ kind: 'sma', period: 3 }, [null, null, 11, 11.3333, 12]],
  [{ kind: 'ema', period: 3 }, [null, null, 11.25, 11.125, 12.0625]],
  [{ kind: 'rsi', period: 2 }, [null, null, 100, 50, 83.3333]],
  [{ kind: 'roc', period: 2 }, [null, null, 20, 0, 8.3333]],
  [{ kind: 'bollinger', period: 3, stddev: 2, band: 'upper' }, [null, null, 12.633, 12.2761, 13.6330]],
  [{ kind: 'bollinger', period: 3, stddev: 2, band: 'middle' }, [null, null, 11, 11.3333, 12]],
  [{ kind: 'atr', period: 2 }, [null, 2, 2, 2, 2.5]],
  [{ kind: 'volume_sma', period: 2 }, [null, 150, 250, 350, 450]],
  [{ kind: 'macd', fast: 2, slow: 3, signal: 2, line: 'macd' }, [null, null, 0.3056, 0.0602, 0.3326]],
  [{ kind: 'macd', fast: 2, slow: 3, signal: 2, line: 'signal' }, [null, null, null, 0.142, 0.269]],
  [{ kind: 'macd', fast: 2, slow: 3, signal: 2, line: 'histogram' }, [null, null, null, -0.0818, 0.0635]],
];

const valueOf = (r: Reading) => ('value' in r ? r.value : null);
const noPosition = () => ({ missing: 'no position' });

describe('MarketSeries', () => {
  it('computes every indicator kind bar by bar as hand-computed, ready after exactly barsNeeded bars', () => {
    const series = new MarketSeries(EXPECTED.map(([op]) => op));
    const seen: (number | null)[][] = EXPECTED.map(() => []);
    for (let i = 0; i < BARS.length; i++) {
      series.feed(BARS.slice(0, i + 1), () => {});
      const readings = series.readings(0, noPosition);
      EXPECTED.forEach(([op], k) => seen[k]!.push(valueOf(readings.now(op))));
    }
    EXPECTED.forEach(([op, values], k) => {
      values.forEach((v, i) => (v === null ? expect(seen[k]![i], `${op.kind} bar ${i}`).toBeNull() : expect(seen[k]![i], `${op.kind} bar ${i}`).toBeCloseTo(v, 3)));
      expect(seen[k]!.findIndex((v) => v !== null) + 1, `${op.kind} ready`).toBe(barsNeeded(op));
    });
  });

  it('reads price fields from the last bar, open from today, and one bar earlier for crosses', () => {
    const series = new MarketSeries([{ kind: 'sma', period: 2 }]);
    series.feed(BARS.slice(0, 3), () => {});
    const readings = series.readings(99, noPosition);
    const price = (field: 'open' | 'close' | 'high' | 'low' | 'volume'): Operand => ({ kind: 'price', field });

    expect(['open', 'close', 'high', 'low', 'volume'].map((f) => valueOf(readings.now(price(f as 'open'))))).toEqual([99, 12, 13, 11, 300]);
    expect(['open', 'close', 'high', 'low', 'volume'].map((f) => valueOf(readings.before(price(f as 'open'))))).toEqual([11, 11, 12, 10, 200]);
    expect(valueOf(readings.now({ kind: 'sma', period: 2 }))).toBe(11.5);
    expect(valueOf(readings.before({ kind: 'sma', period: 2 }))).toBe(10.5);
  });

  it('says how many bars an indicator still waits for, one more for a cross', () => {
    const series = new MarketSeries([{ kind: 'sma', period: 3 }]);
    series.feed(BARS.slice(0, 3), () => {});
    const readings = series.readings(0, noPosition);

    expect(readings.now({ kind: 'sma', period: 3 })).toEqual({ value: 11 });
    expect(readings.before({ kind: 'sma', period: 3 })).toEqual({ missing: 'SMA(3) not ready (3 of 4 bars)' });
  });

  it('feeds each bar once, however often the same history comes back', () => {
    const series = new MarketSeries([{ kind: 'sma', period: 2 }]);
    const fed: string[] = [];
    series.feed(BARS.slice(0, 2), (bar) => fed.push(bar.date));
    series.feed(BARS.slice(0, 2), (bar) => fed.push(bar.date));
    // A trailing window that dropped its oldest bar still brings only the new one.
    series.feed(BARS.slice(1, 4), (bar) => fed.push(bar.date));

    expect(fed).toEqual(days.slice(0, 4));
    expect(valueOf(series.readings(0, noPosition).now({ kind: 'sma', period: 2 }))).toBe(11.5);
  });
});

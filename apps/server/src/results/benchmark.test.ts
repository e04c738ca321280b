import { describe, expect, it } from 'vitest';
import { Benchmark, type Bar } from '@tradewire/contract';
import { benchmarkCurve, benchmarkStats } from './benchmark.js';

const bar = (date: string, open: number, close: number): Bar => ({ date, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 1000 });
const DATES = ['2024-03-04', '2024-03-05', '2024-03-06'];
const BARS = new Map([
  ['AAA', [bar('2024-03-01', 90, 99), bar('2024-03-04', 100, 101), bar('2024-03-05', 101, 103), bar('2024-03-06', 103, 102)]],
  // BBB does not trade on the 6th: it is marked at its last close.
  ['BBB', [bar('2024-03-04', 50, 49), bar('2024-03-05', 49, 50.5)]],
  // CCC first trades on the 5th: bought then, at that open.
  ['CCC', [bar('2024-03-05', 20, 21), bar('2024-03-06', 21, 22)]],
]);
const terms = { bars: BARS, dates: DATES, initialCash: 10_000, commissionBps: 10, slippageBps: 5 };

describe('benchmarkCurve', () => {
  it('buys one symbol with all the cash at the first open plus slippage, paying commission, and holds it', () => {
    // 100 x 1.0005 = 100.05 a share, 100.15005 with commission: 99 shares for 9904.95 + 9.90, 85.15 left.
    expect(benchmarkCurve({ ...terms, symbols: ['AAA'] })).toEqual([
      { date: '2024-03-04', equity: 85.15 + 99 * 101 },
      { date: '2024-03-05', equity: 85.15 + 99 * 103 },
      { date: '2024-03-06', equity: 85.15 + 99 * 102 },
    ]);
  });

  it('splits the cash equally over the universe, buying a symbol at its first open within the run', () => {
    // 3333.33 each. AAA: 33 x 100.05 = 3301.65 + 3.30. BBB at 50.025: 66 for 3301.65 + 3.30.
    // CCC on the 5th at 20.01: 166 for 3321.66 + 3.32. Cash: 10000 - 3304.95 - 3304.95 - 3324.98 = 65.12.
    const curve = benchmarkCurve({ ...terms, symbols: ['AAA', 'BBB', 'CCC'] });
    expect(curve.map((p) => p.equity)).toEqual([
      // The 4th: CCC's share still in cash.
      10_000 - 3304.95 - 3304.95 + 33 * 101 + 66 * 49,
      65.12 + 33 * 103 + 66 * 50.5 + 166 * 21,
      65.12 + 33 * 102 + 66 * 50.5 + 166 * 22,
    ].map((x) => Math.round(x * 100) / 100));
  });
});

describe('benchmarkStats', () => {
  // Daily returns: strategy 2 %, -1 %, 3 %, 1 %; benchmark 1 %, -1 %, 2 %, 0 %, from 1000.
  const compound = (returns: number[]) => returns.map((_, i) => 1000 * returns.slice(0, i + 1).reduce((f, r) => f * (1 + r), 1));
  const dates = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
  const strategy = compound([0.02, -0.01, 0.03, 0.01]).map((equity, i) => ({ date: dates[i]!, equity }));
  const benchmark = compound([0.01, -0.01, 0.02, 0]).map((equity, i) => ({ date: dates[i]!, equity }));

  it('matches a hand computation of alpha, beta, tracking error and information ratio', () => {
    const stats = benchmarkStats(strategy, benchmark, 1000);
    // Means 0.0125 and 0.005; deviations (0.0075, -0.0225, 0.0175, -0.0025) and (0.005, -0.015, 0.015, -0.005):
    // covariance 0.00065 / 3, benchmark variance 0.0005 / 3, so beta = 1.3.
    expect(stats.beta).toBeCloseTo(1.3, 4);
    // Alpha: 0.0125 - 1.3 x 0.005 = 0.006 a day, x 252 = 151.2 %.
    expect(stats.alpha_pct).toBeCloseTo(151.2, 3);
    // Active returns 1 %, 0, 1 %, 1 %: mean 0.0075, sample sd 0.005 -> TE 0.005 x sqrt(252), IR 1.5 x sqrt(252).
    expect(stats.tracking_error_pct).toBeCloseTo(0.5 * Math.sqrt(252), 3);
    expect(stats.information_ratio).toBeCloseTo(1.5 * Math.sqrt(252), 3);
    // Strategy variance 0.000875 / 3: correlation 0.00065 / sqrt(0.000875 x 0.0005).
    expect(stats.correlation).toBeCloseTo(0.00065 / Math.sqrt(0.000875 * 0.0005), 4);
    // 1.02 x 0.99 x 1.03 x 1.01 and 1.01 x 0.99 x 1.02.
    expect(stats.strategy_return_pct).toBeCloseTo(5.0495, 3);
    expect(stats.benchmark_return_pct).toBeCloseTo(1.9898, 3);
    expect(stats.excess_return_pct).toBeCloseTo(5.0495 - 1.9898, 3);
  });

  it('has no ratios against a flat benchmark or a single day, and wants the benchmark on the run dates', () => {
    const flat = dates.map((date) => ({ date, equity: 1000 }));
    expect(benchmarkStats(strategy, flat, 1000)).toMatchObject({ beta: null, alpha_pct: null, correlation: null, benchmark_return_pct: 0 });
    expect(benchmarkStats(strategy.slice(0, 1), benchmark.slice(0, 1), 1000)).toMatchObject({ beta: null, information_ratio: null, tracking_error_pct: 0 });
    expect(() => benchmarkStats(strategy, benchmark.slice(1), 1000)).toThrow('the benchmark has no point on 2024-01-02');
  });

  it('makes the wire shape with the curve it was computed on', () => {
    const curve = benchmarkCurve({ ...terms, symbols: ['AAA'] });
    const body = { kind: 'symbol', symbols: ['AAA'], equity_curve: curve, stats: benchmarkStats(curve, curve, 10_000) };
    expect(Benchmark.parse(body).stats).toMatchObject({ beta: 1, alpha_pct: 0, excess_return_pct: 0, tracking_error_pct: 0, information_ratio: null });
  });
});

import { describe, expect, it } from 'vitest';
import { benchmarkLabel, benchmarkOptions, defaultBenchmark, pickBenchmark } from './benchmark';

describe('benchmark choice', () => {
  it('offers QQQ when the data set has it, then the universe, then each of the run’s symbols', () => {
    expect(benchmarkOptions(['AAPL', 'MSFT', 'QQQ'], ['AAPL', 'MSFT']).map((o) => o.value)).toEqual(['QQQ', 'universe', 'AAPL', 'MSFT']);
    expect(benchmarkOptions(['ZNTH', 'LDGR'], ['ZNTH', 'LDGR']).map((o) => o.value)).toEqual(['universe', 'ZNTH', 'LDGR']);
    // QQQ traded by the run itself is listed once.
    expect(benchmarkOptions(['QQQ'], ['QQQ']).map((o) => o.value)).toEqual(['QQQ', 'universe']);
    // Still loading the data set: the run's own symbols are already there.
    expect(benchmarkOptions(undefined, ['ZNTH']).map((o) => o.label)).toEqual(['Universe, equal weight (1)', 'ZNTH']);
  });

  it('defaults to QQQ when there is one, else the universe; waits for the symbols unless they failed', () => {
    expect(defaultBenchmark(['AAPL', 'QQQ'])).toBe('QQQ');
    expect(defaultBenchmark(['ZNTH'])).toBe('universe');
    expect(defaultBenchmark(undefined)).toBeNull();
    expect(defaultBenchmark(undefined, true)).toBe('universe');
  });

  it('keeps a choice from the URL only if the run can use it', () => {
    const options = benchmarkOptions(['ZNTH', 'LDGR'], ['ZNTH', 'LDGR']);
    expect(pickBenchmark('LDGR', options, 'universe')).toBe('LDGR');
    expect(pickBenchmark('QQQ', options, 'universe')).toBe('universe');
    expect(pickBenchmark(null, options, null)).toBeNull();
  });

  it('names the benchmark on the chart', () => {
    expect(benchmarkLabel('QQQ', 0)).toBe('QQQ buy-and-hold');
    expect(benchmarkLabel('universe', 3)).toBe('Equal-weighted universe (3 symbols)');
    expect(benchmarkLabel('universe', 1)).toBe('Equal-weighted universe (1 symbol)');
  });
});

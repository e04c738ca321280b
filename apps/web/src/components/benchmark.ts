/** The broad-market fund a run is compared with by default, when its data set has it. */
export const MARKET_BENCHMARK = 'QQQ';

export interface BenchmarkOption {
  /** What `?benchmark=` takes: a symbol or `universe`. */
  value: string;
  /** Short, for the select (its label says "Benchmark"; each means buying and holding it). */
  label: string;
}

/** The name of a benchmark on the chart and beside the figures. */
export function benchmarkLabel(value: string, universeSize: number): string {
  if (value === 'universe') return `Equal-weighted universe (${universeSize} ${universeSize === 1 ? 'symbol' : 'symbols'})`;
  return `${value} buy-and-hold`;
}

/**
 * What a run can be compared with: QQQ when its data set has it, the equal-weighted universe of
 * the run's symbols, then each of those symbols alone.
 */
export function benchmarkOptions(datasetSymbols: readonly string[] | undefined, runSymbols: readonly string[]): BenchmarkOption[] {
  const options: BenchmarkOption[] = [];
  if (datasetSymbols?.includes(MARKET_BENCHMARK)) options.push({ value: MARKET_BENCHMARK, label: MARKET_BENCHMARK });
  options.push({ value: 'universe', label: `Universe, equal weight (${runSymbols.length})` });
  for (const s of runSymbols) if (s !== MARKET_BENCHMARK) options.push({ value: s, label: s });
  return options;
}

/**
 * The benchmark shown first: QQQ when the data set has it ("did it beat just holding QQQ?"),
 * else the universe. Null while the data set's symbols are still loading (a failed load counts as
 * not having QQQ).
 */
export function defaultBenchmark(datasetSymbols: readonly string[] | undefined, failed = false): string | null {
  if (datasetSymbols === undefined) return failed ? 'universe' : null;
  return datasetSymbols.includes(MARKET_BENCHMARK) ? MARKET_BENCHMARK : 'universe';
}

/** A chosen benchmark (from the URL) if the run can use it, else the default. */
export function pickBenchmark(wanted: string | null, options: readonly BenchmarkOption[], fallback: string | null): string | null {
  if (wanted !== null && options.some((o) => o.value === wanted)) return wanted;
  return fallback;
}

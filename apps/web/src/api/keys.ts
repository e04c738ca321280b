/**
 * Query keys. Everything about one model sits under `['model', id]`, so a model's data can be
 * refreshed in one call; lists that span models have their own roots.
 */
export const keys = {
  me: ['me'] as const,
  models: ['models'] as const,
  model: (id: number) => ['model', id] as const,
  modelDetail: (id: number) => ['model', id, 'detail'] as const,
  positions: (id: number) => ['model', id, 'positions'] as const,
  trades: (id: number, runId?: number) => ['model', id, 'trades', runId ?? 'all'] as const,
  tradesAll: (id: number) => ['model', id, 'trades'] as const,
  logs: (id: number) => ['model', id, 'logs'] as const,
  performance: (id: number) => ['model', id, 'performance'] as const,
  runs: (id: number) => ['model', id, 'runs'] as const,
  /** A live run's schedule (next decision, provider health). */
  liveStatus: (id: number) => ['model', id, 'live-status'] as const,
  run: (id: number, runId: number) => ['model', id, 'runs', runId] as const,
  runEvents: (id: number, runId: number) => ['model', id, 'runs', runId, 'events'] as const,
  roundTrips: (id: number, runId: number) => ['model', id, 'runs', runId, 'round-trips'] as const,
  breakdown: (id: number, runId: number) => ['model', id, 'runs', runId, 'breakdown'] as const,
  benchmark: (id: number, runId: number, benchmark: string) => ['model', id, 'runs', runId, 'benchmark', benchmark] as const,
  /**
   * Outside the model's keys on purpose: indicators come from market data over the run's whole
   * range, so nothing the run does makes them stale (a status or completion refreshes the rest).
   */
  indicators: (id: number, runId: number, symbol: string) => ['indicators', id, runId, symbol] as const,
  /** Runs of any models side by side, by their ids. */
  comparison: (runIds: readonly number[]) => ['run-comparison', ...runIds] as const,
  tradingStatus: ['trading-status'] as const,
  stats: ['stats'] as const,
  marketClock: ['market-clock'] as const,
  symbols: ['symbols'] as const,
  datasets: ['datasets'] as const,
};

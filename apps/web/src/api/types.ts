import type { EquityPoint, Metrics, Portfolio, TradingStatus } from '@tradewire/contract';

/** Response shapes the contract composes from its parts but does not name; built from contract types only. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type LatestPositions = Portfolio & { run_id: number | null };

export interface Performance {
  model_id: number;
  run_id: number | null;
  metrics: Metrics | null;
  equity_curve: EquityPoint[];
}

export interface TradingStatusList {
  items: TradingStatus[];
}

/**
 * GET /api/stats. Not in the contract yet (see the report for issue 5): move it to
 * packages/contract and import it here once the server declares it.
 */
export interface Stats {
  total_equity: number;
  total_pnl: number;
  total_pnl_pct: number;
  active_runs: number;
  trades_today: number;
}

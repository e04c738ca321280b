import type { Portfolio } from '@tradewire/contract';
import type { Stats } from '../api/types';

export interface ModelFigures {
  running: boolean;
  portfolio: Portfolio | null;
}

/**
 * Totals over the models' current portfolios, as the server computes them for GET /api/stats
 * (equity over models that have a portfolio; P/L against what that equity started from), so
 * the grid moves with the stream and always agrees with the cards. Trades today only the
 * server counts. Without the models' figures yet, the server's stand.
 */
export function liveStats(stats: Stats, models: ModelFigures[] | null): Stats {
  if (!models) return stats;
  let equity = 0;
  let invested = 0;
  let running = 0;
  for (const m of models) {
    if (m.running) running++;
    if (!m.portfolio) continue;
    equity += m.portfolio.equity;
    invested += m.portfolio.equity / (1 + m.portfolio.return_pct / 100);
  }
  return {
    total_equity: equity,
    total_pnl: equity - invested,
    total_pnl_pct: invested > 0 ? (equity / invested - 1) * 100 : 0,
    active_runs: running,
    trades_today: stats.trades_today,
  };
}

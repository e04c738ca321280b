// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Portfolio } from '@tradewire/contract';
import { EMPTY_LIVE } from '../stream/live-state';
import { freshestPortfolio } from './freshest-portfolio';
import { liveStats } from './live-stats';

const p = (equity: number, return_pct = 0, date = '2026-01-05'): Portfolio => ({ date, cash: 0, equity, positions: [], return_pct, trade_count: 0 });

describe('liveStats', () => {
  const server = { total_equity: 21_000, total_pnl: 1_000, total_pnl_pct: 5, active_runs: 1, trades_today: 12 };

  it('totals the current portfolios the way the server does', () => {
    const s = liveStats(server, [
      { running: true, portfolio: p(11_000, 10) },
      { running: false, portfolio: p(9_500, -5) },
      { running: false, portfolio: null },
    ]);
    expect(s.total_equity).toBe(20_500);
    expect(s.total_pnl).toBeCloseTo(500);
    expect(s.total_pnl_pct).toBeCloseTo(2.5);
    expect(s.active_runs).toBe(1);
    expect(s.trades_today).toBe(12);
  });

  it('is the server’s figures until the models’ are known', () => {
    expect(liveStats(server, null)).toBe(server);
  });
});

describe('freshestPortfolio', () => {
  const live = (runId: number, portfolio: Portfolio) => ({ ...EMPTY_LIVE, runId, portfolio });

  it('takes the later trading day of the same run, the stream on a tie', () => {
    expect(freshestPortfolio(live(3, p(100, 0, '2026-01-05')), { ...p(200, 0, '2026-01-07'), run_id: 3 })!.equity).toBe(200);
    expect(freshestPortfolio(live(3, p(100, 0, '2026-01-08')), { ...p(200, 0, '2026-01-07'), run_id: 3 })!.equity).toBe(100);
    expect(freshestPortfolio(live(3, p(100, 0, '2026-01-07')), { ...p(200, 0, '2026-01-07'), run_id: 3 })!.equity).toBe(100);
  });

  it('takes the newer run, and whichever exists', () => {
    expect(freshestPortfolio(live(4, p(100, 0, '2025-01-01')), { ...p(200, 0, '2026-12-31'), run_id: 3 })!.equity).toBe(100);
    expect(freshestPortfolio(undefined, { ...p(200), run_id: null })!.equity).toBe(200);
    expect(freshestPortfolio(live(1, p(100)), undefined)!.equity).toBe(100);
    expect(freshestPortfolio(undefined, undefined)).toBeNull();
  });
});

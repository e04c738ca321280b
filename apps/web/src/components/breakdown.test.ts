import { describe, expect, it } from 'vitest';
import type { PeriodProfit, SymbolPnl } from '@tradewire/contract';
import { sortRows } from '../lib/table-sort';
import { DEFAULT_SYMBOL_SORT, periodLabel, periodTick, profitBars, summarisePeriods, symbolValue } from './breakdown';

const period = (name: string, first: string, last: string, profit: number): PeriodProfit => ({
  period: name,
  first_date: first,
  last_date: last,
  start_equity: 10_000,
  end_equity: 10_000 + profit,
  profit,
  return_pct: profit / 100,
});

const months = [period('2026-03', '2026-03-02', '2026-03-31', 120.5), period('2026-04', '2026-04-01', '2026-04-30', -80), period('2026-05', '2026-05-01', '2026-05-29', 0)];

describe('profit by period', () => {
  it('splits gains and losses into two bar series on the same x, a flat period counting as a gain of 0', () => {
    expect(profitBars(months)).toEqual([
      [0, 1, 2],
      [120.5, null, 0],
      [null, -80, null],
    ]);
  });

  it('names days, weeks and months for the table and the axis', () => {
    const week = period('2026-W10', '2026-03-02', '2026-03-06', 1);
    expect(periodLabel(months[0]!, 'month')).toBe('Mar 2026');
    expect(periodLabel(week, 'week')).toBe('Week of Mar 2, 2026');
    expect(periodLabel(period('2026-03-02', '2026-03-02', '2026-03-02', 1), 'day')).toBe('Mar 2, 2026');
    expect(periodTick(week, 'week')).toBe('Mar 2');
    expect(periodTick(months[1]!, 'month')).toBe('Apr 2026');
  });

  it('summarises for the text alternative: gaining and losing periods, best, worst, total', () => {
    const s = summarisePeriods(months);
    expect(s).toMatchObject({ periods: 3, winning: 1, losing: 1, total: 40.5 });
    expect(s.best?.period).toBe('2026-03');
    expect(s.worst?.period).toBe('2026-04');
    expect(summarisePeriods([])).toMatchObject({ periods: 0, best: null, worst: null, total: 0 });
  });
});

describe('P/L by symbol', () => {
  const sym = (symbol: string, total: number, winRate: number | null): SymbolPnl => ({
    symbol,
    realized_pnl: total,
    unrealized_pnl: 0,
    total_pnl: total,
    round_trips: winRate === null ? 0 : 4,
    wins: 0,
    losses: 0,
    win_rate_pct: winRate,
  });
  const rows = [sym('ZNTH', -320.23, 42.9), sym('QLLX', 226.87, 16.7), sym('LDGR', 226.41, null)];

  it('puts the biggest earner first, and a symbol without closed trades last by win rate', () => {
    expect(sortRows(rows, DEFAULT_SYMBOL_SORT, symbolValue).map((r) => r.symbol)).toEqual(['QLLX', 'LDGR', 'ZNTH']);
    expect(sortRows(rows, { key: 'win_rate_pct', direction: 'desc' }, symbolValue).map((r) => r.symbol)).toEqual(['ZNTH', 'QLLX', 'LDGR']);
    expect(sortRows(rows, { key: 'win_rate_pct', direction: 'asc' }, symbolValue).map((r) => r.symbol)).toEqual(['QLLX', 'ZNTH', 'LDGR']);
  });
});

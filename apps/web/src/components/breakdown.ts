import type { PeriodProfit, ProfitPeriod, SymbolPnl } from '@tradewire/contract';
import { fmt } from '../lib/format';
import type { SortDirection, SortState, SortValue } from '../lib/table-sort';

/** How a period is named in tables and on the chart's axis: a day, the week it starts, or a month. */
export function periodLabel(p: PeriodProfit, period: ProfitPeriod): string {
  switch (period) {
    case 'day':
      return fmt.date(p.first_date);
    case 'week':
      return `Week of ${fmt.date(p.first_date)}`;
    case 'month':
      return fmt.month(p.period);
  }
}

/** A short label for the chart's x axis. */
export function periodTick(p: PeriodProfit, period: ProfitPeriod): string {
  return period === 'month' ? fmt.month(p.period) : fmt.shortDate(p.first_date);
}

/**
 * The bar chart's columns: x (the period's index), gains (null where the period lost) and losses
 * (null where it gained), so each sign gets its own colour. A flat period is a gain of 0.
 */
export function profitBars(periods: readonly PeriodProfit[]): [number[], (number | null)[], (number | null)[]] {
  return [periods.map((_, i) => i), periods.map((p) => (p.profit >= 0 ? p.profit : null)), periods.map((p) => (p.profit < 0 ? p.profit : null))];
}

export interface PeriodSummary {
  periods: number;
  winning: number;
  losing: number;
  best: PeriodProfit | null;
  worst: PeriodProfit | null;
  total: number;
}

/** What the chart's text alternative says: how many periods gained and lost, the best and the worst. */
export function summarisePeriods(periods: readonly PeriodProfit[]): PeriodSummary {
  let best: PeriodProfit | null = null;
  let worst: PeriodProfit | null = null;
  let winning = 0;
  let losing = 0;
  let total = 0;
  for (const p of periods) {
    if (p.profit > 0) winning++;
    else if (p.profit < 0) losing++;
    if (!best || p.profit > best.profit) best = p;
    if (!worst || p.profit < worst.profit) worst = p;
    total += p.profit;
  }
  return { periods: periods.length, winning, losing, best, worst, total: Math.round(total * 100) / 100 };
}

export type SymbolKey = 'symbol' | 'realized_pnl' | 'unrealized_pnl' | 'total_pnl' | 'round_trips' | 'win_rate_pct';

export const SYMBOL_SORTS: readonly { key: SymbolKey; label: string; first: SortDirection }[] = [
  { key: 'total_pnl', label: 'Total P/L', first: 'desc' },
  { key: 'realized_pnl', label: 'Realised', first: 'desc' },
  { key: 'unrealized_pnl', label: 'Unrealised', first: 'desc' },
  { key: 'round_trips', label: 'Closed trades', first: 'desc' },
  { key: 'win_rate_pct', label: 'Win rate', first: 'desc' },
  { key: 'symbol', label: 'Symbol', first: 'asc' },
];

/** Biggest earner first: where the money came from. */
export const DEFAULT_SYMBOL_SORT: SortState<SymbolKey> = { key: 'total_pnl', direction: 'desc' };

export const symbolValue = (s: SymbolPnl, key: SymbolKey): SortValue => s[key];

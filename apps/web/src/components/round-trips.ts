import type { RoundTrip } from '@tradewire/contract';
import type { SortDirection, SortState, SortValue } from '../lib/table-sort';

export type RoundTripKey = 'symbol' | 'entry_date' | 'exit_date' | 'quantity' | 'pnl' | 'pnl_pct' | 'holding_days';

/** The sortable columns, with the direction a first click sorts in. */
export const ROUND_TRIP_SORTS: readonly { key: RoundTripKey; label: string; first: SortDirection }[] = [
  { key: 'exit_date', label: 'Exit date', first: 'asc' },
  { key: 'entry_date', label: 'Entry date', first: 'asc' },
  { key: 'symbol', label: 'Symbol', first: 'asc' },
  { key: 'quantity', label: 'Quantity', first: 'desc' },
  { key: 'pnl', label: 'P/L', first: 'desc' },
  { key: 'pnl_pct', label: 'P/L %', first: 'desc' },
  { key: 'holding_days', label: 'Days held', first: 'desc' },
];

/** In the order the trades closed, as the API lists them. */
export const DEFAULT_ROUND_TRIP_SORT: SortState<RoundTripKey> = { key: 'exit_date', direction: 'asc' };

export const roundTripValue = (t: RoundTrip, key: RoundTripKey): SortValue => t[key];

export interface RoundTripTotals {
  count: number;
  wins: number;
  losses: number;
  /** Wins over closed trades, in %; null without a closed trade (as the run's metrics count it). */
  winRatePct: number | null;
  /** Sum of the trades' P/L, after commissions. */
  pnl: number;
  grossProfit: number;
  grossLoss: number;
  /** Mean P/L % of a trade; null without one. */
  averagePnlPct: number | null;
  /** Mean trading days held; null without a trade. */
  averageHoldingDays: number | null;
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** The figures under the closed-trades table. A trade that broke even is neither a win nor a loss. */
export function roundTripTotals(trips: readonly RoundTrip[]): RoundTripTotals {
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let pct = 0;
  let days = 0;
  for (const t of trips) {
    if (t.pnl > 0) {
      wins++;
      grossProfit += t.pnl;
    } else if (t.pnl < 0) {
      losses++;
      grossLoss += t.pnl;
    }
    pct += t.pnl_pct;
    days += t.holding_days;
  }
  const count = trips.length;
  return {
    count,
    wins,
    losses,
    winRatePct: count === 0 ? null : (wins / count) * 100,
    pnl: cents(grossProfit + grossLoss),
    grossProfit: cents(grossProfit),
    grossLoss: cents(grossLoss),
    averagePnlPct: count === 0 ? null : pct / count,
    averageHoldingDays: count === 0 ? null : days / count,
  };
}

import type { Bar, EquityPoint, ExposurePoint, PeriodProfit, ProfitPeriod, RoundTrips, SymbolPnl } from '@tradewire/contract';
import { toCents } from '../domain/money.js';
import type { RunFill } from './round-trips.js';
import { round4 } from './statistics.js';

/**
 * P/L per symbol: realised from its round trips, unrealised from its open lots, valued at
 * `lastPrices` when given, else at the lots' own last price (nothing without either). Best first.
 */
export function symbolPnl(trips: RoundTrips, lastPrices?: ReadonlyMap<string, number>): SymbolPnl[] {
  const bySymbol = new Map<string, SymbolPnl>();
  const entry = (symbol: string) => {
    let row = bySymbol.get(symbol);
    if (!row) {
      row = { symbol, realized_pnl: 0, unrealized_pnl: 0, total_pnl: 0, round_trips: 0, wins: 0, losses: 0, win_rate_pct: null };
      bySymbol.set(symbol, row);
    }
    return row;
  };
  for (const t of trips.round_trips) {
    const row = entry(t.symbol);
    row.realized_pnl = toCents(row.realized_pnl + t.pnl);
    row.round_trips++;
    if (t.pnl > 0) row.wins++;
    if (t.pnl < 0) row.losses++;
  }
  for (const lot of trips.open_positions) {
    const last = lastPrices?.get(lot.symbol) ?? lot.last_price;
    const unrealized = last === null ? 0 : lot.quantity * (last - lot.entry_price) - lot.entry_commission;
    const row = entry(lot.symbol);
    row.unrealized_pnl = toCents(row.unrealized_pnl + unrealized);
  }
  const rows = [...bySymbol.values()].map((r) => ({
    ...r,
    total_pnl: toCents(r.realized_pnl + r.unrealized_pnl),
    win_rate_pct: r.round_trips > 0 ? round4((r.wins / r.round_trips) * 100) : null,
  }));
  return rows.sort((a, b) => b.total_pnl - a.total_pnl || (a.symbol < b.symbol ? -1 : 1));
}

/** `2026-01-02` -> `2026-01-02` (day), `2026-W01` (ISO week, Monday first), `2026-01` (month). */
export function periodOf(date: string, period: ProfitPeriod): string {
  if (period === 'day') return date.slice(0, 10);
  if (period === 'month') return date.slice(0, 7);
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  // The ISO week belongs to the year of its Thursday.
  d.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
  const week = Math.ceil(((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Profit per day, ISO week or month from the equity at each trading day's close (the stored
 * curve, oldest first); the first period starts from `openingEquity` (the run's initial cash).
 */
export function periodProfits(
  equityCurve: readonly Pick<EquityPoint, 'date' | 'equity'>[],
  period: ProfitPeriod,
  openingEquity: number,
): PeriodProfit[] {
  const rows: PeriodProfit[] = [];
  let start = openingEquity;
  for (const p of equityCurve) {
    const key = periodOf(p.date, period);
    const current = rows.at(-1);
    if (current?.period === key) {
      current.last_date = p.date;
      current.end_equity = p.equity;
      continue;
    }
    if (current) start = current.end_equity;
    rows.push({ period: key, first_date: p.date, last_date: p.date, start_equity: start, end_equity: p.equity, profit: 0, return_pct: 0 });
  }
  return rows.map((r) => ({
    ...r,
    profit: toCents(r.end_equity - r.start_equity),
    return_pct: r.start_equity > 0 ? round4((r.end_equity / r.start_equity - 1) * 100) : 0,
  }));
}

const exposurePoint = (date: string, invested: number, equity: number): ExposurePoint => ({
  date,
  invested: toCents(invested),
  equity,
  exposure_pct: equity > 0 ? round4((invested / equity) * 100) : 0,
});

/** Exposure at each point of a stored equity curve: what is not cash is invested. */
export function exposureFromCurve(equityCurve: readonly EquityPoint[]): ExposurePoint[] {
  return equityCurve.map((p) => exposurePoint(p.date, p.equity - p.cash, p.equity));
}

/**
 * Exposure at each point of an equity curve without cash, rebuilt from the fills (in execution
 * order) and each symbol's daily bars: the shares held after a day's fills at that day's close
 * (the last close before it when the symbol did not trade that day), as the engine marks equity.
 */
export function exposureFromFills(
  equityCurve: readonly Pick<EquityPoint, 'date' | 'equity'>[],
  fills: readonly RunFill[],
  bars: ReadonlyMap<string, readonly Bar[]>,
): ExposurePoint[] {
  const held = new Map<string, number>();
  const cursor = new Map<string, number>();
  const lastClose = new Map<string, number>();
  let next = 0;
  return equityCurve.map((p) => {
    for (; next < fills.length && fills[next]!.date <= p.date; next++) {
      const f = fills[next]!;
      if (f.status !== 'filled' || f.symbol === null || (f.action !== 'buy' && f.action !== 'sell')) continue;
      held.set(f.symbol, (held.get(f.symbol) ?? 0) + (f.action === 'buy' ? f.quantity : -f.quantity));
    }
    let invested = 0;
    for (const [symbol, quantity] of held) {
      const series = bars.get(symbol) ?? [];
      let c = cursor.get(symbol) ?? 0;
      while (c < series.length && series[c]!.date <= p.date) lastClose.set(symbol, series[c++]!.close);
      cursor.set(symbol, c);
      invested += quantity * (lastClose.get(symbol) ?? 0);
    }
    return exposurePoint(p.date, invested, p.equity);
  });
}

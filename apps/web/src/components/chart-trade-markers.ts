import type { Trade } from '@tradewire/contract';

/** The filled buys (or sells) of one symbol on one day: one marker on that day's candle. */
export interface TradeMarker {
  time: string;
  position: 'belowBar' | 'aboveBar';
  shape: 'arrowUp' | 'arrowDown';
  color: string;
  /** Empty: labels of neighbouring days would pile up; the hover readout and the data table say what happened. */
  text: '';
  action: 'buy' | 'sell';
  /** How many fills the marker stands for, and their total quantity. */
  fills: number;
  quantity: number;
}

/**
 * One buy arrow under the candle and one sell arrow over it per day, for the filled trades of one
 * symbol up to `asOf` (inclusive; null: all), by date.
 */
export function tradeMarkers(trades: readonly Trade[], symbol: string, asOf: string | null = null): TradeMarker[] {
  const byDay = new Map<string, TradeMarker>();
  for (const t of trades) {
    if (t.status !== 'filled' || t.symbol !== symbol || (t.action !== 'buy' && t.action !== 'sell')) continue;
    if (asOf !== null && t.date > asOf) continue;
    const key = `${t.date} ${t.action}`;
    const m = byDay.get(key);
    if (m) {
      m.fills++;
      m.quantity += t.quantity;
    } else {
      byDay.set(
        key,
        t.action === 'buy'
          ? { time: t.date, position: 'belowBar', shape: 'arrowUp', color: '#10b981', text: '', action: 'buy', fills: 1, quantity: t.quantity }
          : { time: t.date, position: 'aboveBar', shape: 'arrowDown', color: '#ef4444', text: '', action: 'sell', fills: 1, quantity: t.quantity },
      );
    }
  }
  return [...byDay.values()].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.action === 'buy' ? -1 : 1));
}

/** What a day's markers say in words: `Bought 5 (2 fills) · Sold 3`. */
export function markerText(markers: readonly TradeMarker[]): string {
  return markers
    .map((m) => `${m.action === 'buy' ? 'Bought' : 'Sold'} ${m.quantity}${m.fills > 1 ? ` (${m.fills} fills)` : ''}`)
    .join(' · ');
}

/** The symbols a run traded (most trades first), then the model's other allowed symbols. */
export function chartSymbols(trades: readonly Trade[], allowed: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const t of trades) if (t.status === 'filled' && t.symbol) counts.set(t.symbol, (counts.get(t.symbol) ?? 0) + 1);
  const traded = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([s]) => s);
  return [...traded, ...allowed.filter((s) => !counts.has(s))];
}

/**
 * The last trading day a chart of a run may show: the session's current day while it runs (no
 * candles from its future), the run's end once it is over. Null while running with no day known yet.
 */
export function chartEndDate(run: { status: string; end_date: string }, running: boolean, currentDay: string | null): string | null {
  return running || run.status === 'running' ? currentDay : run.end_date;
}

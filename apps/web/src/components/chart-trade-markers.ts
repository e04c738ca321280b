import type { Trade } from '@tradewire/contract';

export interface TradeMarker {
  time: string;
  position: 'belowBar' | 'aboveBar';
  shape: 'arrowUp' | 'arrowDown';
  color: string;
  text: string;
}

/** Buy arrows under the bar and sell arrows over it, for the filled trades of one symbol, by date. */
export function tradeMarkers(trades: readonly Trade[], symbol: string): TradeMarker[] {
  return trades
    .filter((t) => t.status === 'filled' && t.symbol === symbol && (t.action === 'buy' || t.action === 'sell'))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id))
    .map((t) =>
      t.action === 'buy'
        ? { time: t.date, position: 'belowBar', shape: 'arrowUp', color: '#10b981', text: `B ${t.quantity}` }
        : { time: t.date, position: 'aboveBar', shape: 'arrowDown', color: '#ef4444', text: `S ${t.quantity}` },
    );
}

/** The symbols a run traded (most trades first), then the model's other allowed symbols. */
export function chartSymbols(trades: readonly Trade[], allowed: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const t of trades) if (t.status === 'filled' && t.symbol) counts.set(t.symbol, (counts.get(t.symbol) ?? 0) + 1);
  const traded = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([s]) => s);
  return [...traded, ...allowed.filter((s) => !counts.has(s))];
}

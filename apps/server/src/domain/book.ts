import { toCents } from './money.js';

export interface Holding {
  quantity: number;
  avgCost: number;
}

/** Cash and holdings of one run; the broker returns a new one, never edits in place. */
export interface Book {
  cash: number;
  holdings: ReadonlyMap<string, Holding>;
  /** Highest equity seen so far, for the drawdown breaker. */
  peakEquity: number;
}

/** One holding as a run records it: marked at the last price known. */
export interface Position {
  symbol: string;
  quantity: number;
  avg_cost: number;
  last_price: number;
}

/** Equity with holdings valued at the given prices (falling back to cost when a price is missing). */
export function equityOf(book: Pick<Book, 'cash' | 'holdings'>, prices: ReadonlyMap<string, number>): number {
  let value = book.cash;
  for (const [symbol, h] of book.holdings) value += h.quantity * (prices.get(symbol) ?? h.avgCost);
  return toCents(value);
}

/** The book's holdings as recorded positions, by symbol, marked at `prices` (cost when unknown). */
export function positionsOf(book: Pick<Book, 'holdings'>, prices: ReadonlyMap<string, number>): Position[] {
  return [...book.holdings]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([symbol, h]) => ({ symbol, quantity: h.quantity, avg_cost: h.avgCost, last_price: prices.get(symbol) ?? h.avgCost }));
}

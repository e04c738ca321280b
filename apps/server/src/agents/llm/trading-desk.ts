import type { Bar } from '@tradewire/contract';
import { type Book, equityOf } from '../../domain/book.js';
import type { Fill, Order } from '../../domain/order.js';
import type { TradingRules } from '../../domain/trading-rules.js';
import type { Observation } from '../agent.js';

/**
 * What the model can see and do on one trading day. Each order is previewed after today's earlier
 * ones through the session's own broker rules, so a tool result says exactly how the order will
 * fill (or why it is rejected) before the session executes the same orders, in the same order.
 */
export class TradingDesk {
  private readonly orders: Order[] = [];
  private book: Book;

  constructor(
    private readonly obs: Observation,
    private readonly rules: TradingRules,
  ) {
    this.book = obs.preview([]).book;
  }

  get symbols(): readonly string[] {
    return this.obs.symbols;
  }

  /** Every order placed today, filled or rejected: the session replays them all. */
  placedOrders(): Order[] {
    return [...this.orders];
  }

  /** Complete bars strictly before today, newest last: the observation never holds later ones. */
  prices(symbols: readonly string[], lookbackDays: number): Record<string, Bar[]> | { error: string } {
    const unknown = symbols.filter((s) => !this.obs.symbols.includes(s));
    if (unknown.length > 0) return { error: `unknown symbol ${unknown.join(', ')}; tradable: ${this.obs.symbols.join(', ')}` };
    return Object.fromEntries(symbols.map((s) => [s, (this.obs.history.get(s) ?? []).slice(-lookbackDays)]));
  }

  /** Cash and holdings as they stand after today's orders so far, valued at today's opens. */
  portfolio() {
    const prices = new Map([...this.obs.symbols].map((s) => [s, this.obs.open.get(s) ?? lastKnownPrice(this.obs, s)]));
    return {
      date: this.obs.date,
      cash: this.book.cash,
      equity: equityOf(this.book, prices),
      positions: [...this.book.holdings].map(([symbol, h]) => ({ symbol, quantity: h.quantity, price: prices.get(symbol) ?? null })),
      orders_today: this.orders.length,
      max_orders_per_step: this.rules.risk.max_orders_per_step,
    };
  }

  /**
   * Previews the order with today's earlier ones and reports its fill. Sells fill before buys,
   * so a sell placed now also frees cash for the buys placed before it.
   */
  place(order: Order): Fill {
    const result = this.obs.preview([...this.orders, order]);
    this.orders.push(order);
    this.book = result.book;
    return result.fills[result.orderIndex.indexOf(this.orders.length - 1)]!;
  }
}

function lastKnownPrice(obs: Observation, symbol: string): number {
  return obs.history.get(symbol)?.at(-1)?.close ?? obs.open.get(symbol) ?? 0;
}

import type { Trade } from '@tradewire/contract';

/** A market order for whole shares (quantity > 0), filled at the step's open. */
export interface Order {
  symbol: string;
  side: 'buy' | 'sell';
  quantity: number;
  /** Why the agent places it, in a line: becomes the fill's reason (with any note the broker adds). */
  reason?: string;
}

/**
 * What the broker made of one order: the contract's trade without the fields a run adds when it
 * records it (ids, step, date). A fill always names a symbol and is a buy or a sell.
 */
export type Fill = Omit<Trade, 'id' | 'model_id' | 'run_id' | 'step' | 'date' | 'action' | 'symbol'> & {
  action: Order['side'];
  symbol: string;
};

/**
 * The orders of a step that must end flat: a sell of every holding, whatever the agent asked
 * (its buys are dropped, since nothing may be held past the close).
 */
export function flattenOrders(holdings: ReadonlyMap<string, { quantity: number }>): Order[] {
  return [...holdings].map(([symbol, h]) => ({ symbol, side: 'sell' as const, quantity: h.quantity, reason: 'flat at the close: every position is closed on the day’s last bar' }));
}

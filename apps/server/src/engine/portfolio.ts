import type { Portfolio, Position } from '@tradewire/contract';
import type { PositionRecord } from '../storage/records.js';
import { toCents } from '../domain/money.js';

/** The wire view of holdings marked at their last price. */
export function positionsView(positions: readonly PositionRecord[]): Position[] {
  return positions.map((p) => ({
    symbol: p.symbol,
    quantity: p.quantity,
    avg_cost: p.avg_cost,
    last_price: p.last_price,
    market_value: toCents(p.quantity * p.last_price),
    unrealized_pnl: toCents(p.quantity * (p.last_price - p.avg_cost)),
  }));
}

export function portfolioView(a: {
  date: string | null;
  cash: number;
  positions: readonly PositionRecord[];
  initialCash: number;
  tradeCount: number;
}): Portfolio {
  const positions = positionsView(a.positions);
  const equity = toCents(a.cash + positions.reduce((sum, p) => sum + p.market_value, 0));
  return {
    date: a.date,
    cash: a.cash,
    equity,
    positions,
    return_pct: Math.round((equity / a.initialCash - 1) * 1e6) / 1e4,
    trade_count: a.tradeCount,
  };
}

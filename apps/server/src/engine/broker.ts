import type { RiskRules } from '@tradewire/contract';
import { type Book, equityOf } from '../domain/book.js';
import { toCents, toPrice } from '../domain/money.js';
import type { Fill, Order } from '../domain/order.js';
import type { TradingRules } from '../domain/trading-rules.js';

/** What orders of one step can fill against. */
export interface StepMarket {
  /** Day t's open per symbol: the only price an order can fill at. */
  open: ReadonlyMap<string, number>;
  allowed: ReadonlySet<string>;
}

/** Sell orders for holdings whose open is below the stop-loss line. */
export function stopLossOrders(book: Book, market: StepMarket, risk: RiskRules): Order[] {
  if (risk.stop_loss_pct === null) return [];
  const orders: Order[] = [];
  for (const [symbol, h] of book.holdings) {
    const open = market.open.get(symbol);
    if (open !== undefined && open <= h.avgCost * (1 - risk.stop_loss_pct / 100)) {
      orders.push({ symbol, side: 'sell', quantity: h.quantity, reason: `stop-loss at ${risk.stop_loss_pct}% below cost` });
    }
  }
  return orders;
}

/** The fills of a step and the book after them. */
export interface StepFills {
  book: Book;
  /** In execution order: every sell, then every buy, each side in the order given. */
  fills: Fill[];
  /** For each fill, the index of its order in the orders given. */
  orderIndex: number[];
}

/**
 * Fills market orders at day t's open with slippage and commission, applying every rule of
 * DESIGN.md: whole shares, no negative cash, no selling more than held, allowed symbols only,
 * and the model's risk rules. Sells fill first, so the day's buys are sized on the cash after
 * them. A rule that only limits size reduces the quantity and says so.
 */
export function fillOrders(book: Book, orders: readonly Order[], market: StepMarket, rules: TradingRules): StepFills {
  const { risk } = rules;
  const holdings = new Map(book.holdings);
  let cash = book.cash;
  const equity = equityOf(book, market.open);
  const peakEquity = Math.max(book.peakEquity, equity);
  const fills: Fill[] = [];
  const orderIndex: number[] = [];
  const sequence = [...orders.keys()].sort((a, b) => Number(orders[a]!.side === 'buy') - Number(orders[b]!.side === 'buy') || a - b);

  const reject = (o: Order, reason: string, price = 0) =>
    fills.push({ action: o.side, symbol: o.symbol, quantity: o.quantity, price, amount: 0, commission: 0, cash_after: cash, status: 'rejected', reason });

  sequence.forEach((index, i) => {
    const o = orders[index]!;
    orderIndex.push(index);
    fillOne(o, i);
  });
  return { book: { cash, holdings, peakEquity }, fills, orderIndex };

  function fillOne(o: Order, i: number) {
    const open = market.open.get(o.symbol);
    if (!market.allowed.has(o.symbol)) return reject(o, `${o.symbol} is not an allowed symbol for this model`);
    if (open === undefined) return reject(o, `no price for ${o.symbol} on this day`);
    if (!Number.isSafeInteger(o.quantity) || o.quantity <= 0) return reject(o, 'quantity must be a whole number of shares above 0', open);
    if (i >= risk.max_orders_per_step) return reject(o, `at most ${risk.max_orders_per_step} orders per step`, open);

    const held = holdings.get(o.symbol);
    if (o.side === 'sell') {
      if (!held) return reject(o, `no position in ${o.symbol} to sell`, open);
      const quantity = Math.min(o.quantity, held.quantity);
      const price = toPrice(open * (1 - rules.slippageBps / 10_000));
      const amount = toCents(quantity * price);
      const commission = toCents((amount * rules.commissionBps) / 10_000);
      cash = toCents(cash + amount - commission);
      if (quantity === held.quantity) holdings.delete(o.symbol);
      else holdings.set(o.symbol, { quantity: held.quantity - quantity, avgCost: held.avgCost });
      const reason = because(o, quantity < o.quantity ? `reduced from ${o.quantity} to ${quantity}: only ${held.quantity} held` : null);
      return fills.push({ action: 'sell', symbol: o.symbol, quantity, price, amount, commission, cash_after: cash, status: 'filled', reason });
    }

    if (risk.max_drawdown_pct !== null && equity < peakEquity * (1 - risk.max_drawdown_pct / 100)) {
      return reject(o, `drawdown breaker: equity is more than ${risk.max_drawdown_pct}% below its peak`, open);
    }
    const price = toPrice(open * (1 + rules.slippageBps / 10_000));
    const unitCost = price * (1 + rules.commissionBps / 10_000);
    const spendable = cash - (equity * risk.min_cash_pct) / 100;
    const limits: [number, string][] = [
      [Math.floor(spendable / unitCost), risk.min_cash_pct > 0 ? `cash (keeping ${risk.min_cash_pct}% in cash)` : 'cash'],
      [Math.floor(((equity * risk.max_position_pct) / 100 - (held?.quantity ?? 0) * open) / price), `max position ${risk.max_position_pct}% of equity`],
    ];
    let quantity = o.quantity;
    let binding: string | null = null;
    for (const [max, why] of limits) {
      if (max < quantity) [quantity, binding] = [max, why];
    }
    // Rounding each amount to cents could overshoot cash by a fraction of a cent.
    const costOf = (q: number) => {
      const amount = toCents(q * price);
      return { amount, commission: toCents((amount * rules.commissionBps) / 10_000) };
    };
    while (quantity > 0 && costOf(quantity).amount + costOf(quantity).commission > cash) quantity--;
    if (quantity <= 0) return reject(o, `not enough room to buy: limited by ${binding ?? 'cash'}`, price);
    const { amount, commission } = costOf(quantity);
    cash = toCents(cash - amount - commission);
    const newQty = (held?.quantity ?? 0) + quantity;
    const avgCost = toPrice(((held?.quantity ?? 0) * (held?.avgCost ?? 0) + quantity * price) / newQty);
    holdings.set(o.symbol, { quantity: newQty, avgCost });
    const reason = because(o, quantity < o.quantity ? `reduced from ${o.quantity} to ${quantity}: limited by ${binding ?? 'cash'}` : null);
    fills.push({ action: 'buy', symbol: o.symbol, quantity, price, amount, commission, cash_after: cash, status: 'filled', reason });
  }
}

/** A fill's reason: the agent's, then what the broker changed. */
function because(o: Order, note: string | null): string | null {
  return [o.reason, note].filter((part) => part).join('; ') || null;
}

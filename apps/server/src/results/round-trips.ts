import type { OpenLot, RoundTrip, RoundTrips } from '@tradewire/contract';
import { toCents } from '../domain/money.js';
import type { TradeRecord } from '../storage/records.js';
import { calendarDaysBetween, round4, sessionsBetween } from './statistics.js';

/** A stored trade as the round trips read it; rejected orders and holds are skipped. */
export type RunFill = Pick<TradeRecord, 'date' | 'action' | 'symbol' | 'quantity' | 'price' | 'commission' | 'status' | 'reason'>;

interface Lot {
  symbol: string;
  date: string;
  price: number;
  reason: string | null;
  /** Shares left, and the part of the buy's commission not yet charged to a round trip. */
  quantity: number;
  commission: number;
}

/**
 * Closed trades of a run by FIFO lots: each sell closes the oldest shares of its symbol first, a
 * sell that reaches into several lots gives one round trip per lot, and a lot a sell only partly
 * closes stays open with the rest. Commissions are charged pro rata to the shares, so the parts of
 * one commission always add up to it to the cent. `fills` are in execution order (as stored);
 * `calendar` is the run's trading days (its equity curve's dates) for `holding_days`, weekdays
 * when omitted; `lastPrices` values the open lots. Long only, as the broker: a sell beyond the
 * shares held (which the broker never fills) closes what is there.
 */
export function roundTrips(
  fills: readonly RunFill[],
  opts: { calendar?: readonly string[]; lastPrices?: ReadonlyMap<string, number> } = {},
): RoundTrips {
  const lots = new Map<string, Lot[]>();
  const closed: RoundTrip[] = [];
  for (const f of fills) {
    if (f.status !== 'filled' || f.symbol === null || f.quantity <= 0) continue;
    const queue = lots.get(f.symbol) ?? [];
    lots.set(f.symbol, queue);
    if (f.action === 'buy') {
      queue.push({ symbol: f.symbol, date: f.date, price: f.price, reason: f.reason, quantity: f.quantity, commission: f.commission });
      continue;
    }
    if (f.action !== 'sell') continue;
    let toClose = f.quantity;
    let exitCommission = f.commission;
    while (toClose > 0 && queue.length > 0) {
      const lot = queue[0]!;
      const quantity = Math.min(toClose, lot.quantity);
      const entryPart = share(lot.commission, quantity, lot.quantity);
      const exitPart = share(exitCommission, quantity, toClose);
      const cost = quantity * lot.price + entryPart;
      const pnl = toCents(quantity * (f.price - lot.price) - entryPart - exitPart);
      closed.push({
        symbol: f.symbol,
        quantity,
        entry_date: lot.date,
        entry_price: lot.price,
        exit_date: f.date,
        exit_price: f.price,
        entry_commission: entryPart,
        exit_commission: exitPart,
        pnl,
        pnl_pct: cost > 0 ? round4((pnl / cost) * 100) : 0,
        holding_days: sessionsBetween(lot.date, f.date, opts.calendar),
        calendar_days: calendarDaysBetween(lot.date, f.date),
        entry_reason: lot.reason,
        exit_reason: f.reason,
      });
      lot.quantity -= quantity;
      lot.commission = toCents(lot.commission - entryPart);
      toClose -= quantity;
      exitCommission = toCents(exitCommission - exitPart);
      if (lot.quantity === 0) queue.shift();
    }
  }
  const held = [...lots.values()].flat().sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const open: OpenLot[] = held.map((lot) => {
    const last = opts.lastPrices?.get(lot.symbol);
    return {
      symbol: lot.symbol,
      quantity: lot.quantity,
      entry_date: lot.date,
      entry_price: lot.price,
      entry_commission: lot.commission,
      entry_reason: lot.reason,
      last_price: last ?? null,
      unrealized_pnl: last === undefined ? null : toCents(lot.quantity * (last - lot.price) - lot.commission),
    };
  });
  return { round_trips: closed, open_positions: open };
}

/** The part of `amount` (cents) that `part` of `whole` shares bear; the last part takes the rest. */
function share(amount: number, part: number, whole: number): number {
  return part >= whole ? amount : toCents((amount * part) / whole);
}

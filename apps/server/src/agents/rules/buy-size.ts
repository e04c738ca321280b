import type { BuySize } from '@tradewire/contract';
import type { Reading } from './market-series.js';
import { affordableShares, type PositionSizing } from '../position-sizing.js';

export interface Purse {
  equity: number;
  /** Cash left for buys after the day's sells and earlier buys. */
  cash: number;
  /** Today's open: what a buy fills at, before slippage and commission. */
  open: number;
}

/** Shares to buy (0: none, `note` says why) and, for a risk-based size, the stop it implies. */
export interface BuyQuantity {
  quantity: number;
  /** How the size came about, when it is more than the rule says; '' when it is not. */
  note: string;
  riskStop: { price: number; why: string } | null;
}

const none = (note: string): BuyQuantity => ({ quantity: 0, note, riskStop: null });
const noShare = (open: number, why: string) => none(`${why} buys no whole share at ${open.toFixed(2)}`);

/**
 * Whole shares for a buy of `size`, never more than the cash pays for once costs are added.
 * `atr` is ATR(size.atr_period) as of the last complete bar, for a risk-based size.
 */
export function buyQuantity(size: BuySize, purse: Purse, atr: Reading | undefined, sizing: PositionSizing): BuyQuantity {
  const { equity, cash, open } = purse;
  const affordable = affordableShares(cash, open, sizing);
  switch (size.kind) {
    case 'percent_of_equity': {
      const quantity = affordableShares(Math.min(equity * (size.percent / 100), cash), open, sizing);
      return quantity > 0 ? { quantity, note: '', riskStop: null } : noShare(open, `${size.percent}% of equity capped by cash`);
    }
    case 'cash': {
      const quantity = affordableShares(Math.min(size.amount, cash), open, sizing);
      return quantity > 0 ? { quantity, note: '', riskStop: null } : noShare(open, 'the cash');
    }
    case 'shares': {
      const quantity = Math.min(size.quantity, affordable);
      return quantity > 0 ? { quantity, note: quantity < size.quantity ? `cash for ${quantity} of ${size.quantity}` : '', riskStop: null } : noShare(open, 'the cash');
    }
    case 'risk_atr': {
      const atrName = `ATR(${size.atr_period})`;
      if (!atr || 'missing' in atr) return none(atr?.missing ?? `${atrName} not known`);
      if (!(atr.value > 0)) return none(`${atrName} is 0, so there is no risk per share to size on`);
      const riskPerShare = size.atr_multiple * atr.value;
      const byRisk = Math.floor((equity * size.risk_pct) / 100 / riskPerShare);
      const quantity = Math.min(byRisk, affordable);
      const sizingNote = `risk ${size.risk_pct}% of equity over ${size.atr_multiple} × ${atrName} ${atr.value.toFixed(2)}`;
      if (quantity <= 0) return noShare(open, byRisk <= 0 ? sizingNote : 'the cash');
      const why = `entry ${open.toFixed(2)} − ${size.atr_multiple} × ${atrName} ${atr.value.toFixed(2)}`;
      return { quantity, note: quantity < byRisk ? `${sizingNote}, capped by cash` : sizingNote, riskStop: { price: open - riskPerShare, why } };
    }
  }
}

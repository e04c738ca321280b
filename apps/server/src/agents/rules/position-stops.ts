import type { Bar, Operand, PositionStops } from '@tradewire/contract';
import type { Reading } from './market-series.js';

/**
 * What the agent remembers of a position it holds. The entry price is the open of the day it
 * bought: the price it decided on (the fill adds slippage). A position the agent did not open,
 * or no longer remembers, is taken over at the open of the first day it sees it.
 */
export interface HeldPosition {
  readonly entryDate: string;
  readonly entryPrice: number;
  /** Highest high of the complete bars since entry, at least the entry price: what trailing stops trail. */
  highestHigh: number;
  /** Complete bars since the entry day, that one included: 0 on the day of the buy. */
  heldDays: number;
  /** The stop a risk-based buy set: entry price − multiple × ATR at entry. */
  readonly riskStop: { price: number; why: string } | null;
}

export function openPosition(entryDate: string, entryPrice: number, riskStop: HeldPosition['riskStop']): HeldPosition {
  return { entryDate, entryPrice, highestHigh: entryPrice, heldDays: 0, riskStop };
}

/** Counts a complete bar into the position once it belongs to the holding period. */
export function holdThrough(position: HeldPosition, bar: Readonly<Bar>): void {
  if (bar.date < position.entryDate) return;
  position.heldDays++;
  position.highestHigh = Math.max(position.highestHigh, bar.high);
}

/** A position value on the day being decided, `open` being today's open. */
export function positionValue(position: HeldPosition, field: Extract<Operand, { kind: 'position' }>['field'], open: number): number {
  switch (field) {
    case 'held_days':
      return position.heldDays;
    case 'unrealised_pl_pct':
      return (open / position.entryPrice - 1) * 100;
    case 'entry_price':
      return position.entryPrice;
  }
}

const price = (n: number) => n.toFixed(2);

/**
 * The first stop that today's open reaches, as the reason to sell the whole position, or null.
 * Order: stop-loss, the risk-based buy's stop, trailing stop, ATR trailing stop, take-profit,
 * time stop. `trailingAtr` is ATR(stops.trailing_atr.period) as of the last complete bar.
 */
export function stopReached(position: HeldPosition, stops: PositionStops, open: number, trailingAtr: Reading | undefined): string | null {
  const { entryPrice: entry, highestHigh: high } = position;
  if (stops.stop_loss_pct !== null) {
    const level = entry * (1 - stops.stop_loss_pct / 100);
    if (open <= level) return `Stop-loss: open ${price(open)} ≤ ${price(level)} (entry ${price(entry)} − ${stops.stop_loss_pct}%)`;
  }
  if (position.riskStop && open <= position.riskStop.price) {
    return `Risk stop: open ${price(open)} ≤ ${price(position.riskStop.price)} (${position.riskStop.why})`;
  }
  if (stops.trailing_stop_pct !== null) {
    const level = high * (1 - stops.trailing_stop_pct / 100);
    if (open <= level) return `Trailing stop: open ${price(open)} ≤ ${price(level)} (high ${price(high)} − ${stops.trailing_stop_pct}%)`;
  }
  if (stops.trailing_atr !== null && trailingAtr && 'value' in trailingAtr) {
    const { multiple, period } = stops.trailing_atr;
    const level = high - multiple * trailingAtr.value;
    if (open <= level) {
      return `ATR trailing stop: open ${price(open)} ≤ ${price(level)} (high ${price(high)} − ${multiple} × ATR(${period}) ${price(trailingAtr.value)})`;
    }
  }
  if (stops.take_profit_pct !== null) {
    const level = entry * (1 + stops.take_profit_pct / 100);
    if (open >= level) return `Take-profit: open ${price(open)} ≥ ${price(level)} (entry ${price(entry)} + ${stops.take_profit_pct}%)`;
  }
  if (stops.max_holding_days !== null && position.heldDays >= stops.max_holding_days) {
    return `Time stop: held ${position.heldDays} of ${stops.max_holding_days} days`;
  }
  return null;
}

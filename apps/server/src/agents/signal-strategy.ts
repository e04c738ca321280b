import type { Bar } from '@tradewire/contract';
import type { Order } from '../domain/order.js';
import type { Decision, Observation } from './agent.js';
import { buyCost, saleProceeds, targetShares, type PositionSizing } from './position-sizing.js';

/** A strategy's reading of one symbol: be long (`buy`), be flat (`sell`) or leave it (`hold`), and why. */
export interface Signal {
  action: 'buy' | 'sell' | 'hold';
  why: string;
}

/** Reads one symbol's bars (all strictly before today) on a day the symbol trades. */
export type SignalReader = (symbol: string, history: readonly Readonly<Bar>[]) => Signal;

/**
 * Turns per-symbol signals into orders: a buy signal opens a position sized by `sizing` when none
 * is held, a sell signal closes the whole position. A symbol is read only on days it trades, so a
 * signal is never spent on a day it could not be acted on.
 */
export function decideOnSignals(obs: Observation, sizing: PositionSizing, read: SignalReader): Decision {
  if (obs.symbols.length === 0) return { orders: [], reasoning: 'No symbols to trade → hold' };
  const readings = obs.symbols.map((symbol) => {
    const open = obs.open.get(symbol);
    const held = obs.positions.get(symbol) ?? 0;
    return { symbol, open, held, signal: open === undefined ? null : read(symbol, obs.history.get(symbol) ?? []) };
  });
  // The broker fills the day's sells first: buys are sized on the cash they bring.
  let cash = obs.cash;
  for (const r of readings) if (r.signal?.action === 'sell' && r.held > 0) cash += saleProceeds(r.held, r.open!, sizing);

  const sells: Order[] = [];
  const buys: Order[] = [];
  const lines: string[] = [];
  for (const { symbol, open, held, signal } of readings) {
    if (open === undefined || signal === null) {
      lines.push(`${symbol}: not trading today → hold`);
      continue;
    }
    const { action, why } = signal;
    if (action === 'buy' && held > 0) {
      lines.push(`${symbol}: ${why}, already holding ${held} → hold`);
    } else if (action === 'buy') {
      const quantity = targetShares(obs.equity, cash, open, sizing);
      if (quantity === 0) {
        lines.push(`${symbol}: ${why}, but the cash buys no whole share at ${open.toFixed(2)} → hold`);
      } else {
        buys.push({ symbol, side: 'buy', quantity, reason: why });
        cash -= buyCost(quantity, open, sizing);
        lines.push(`${symbol}: ${why} → buy ${quantity}`);
      }
    } else if (action === 'sell' && held > 0) {
      sells.push({ symbol, side: 'sell', quantity: held, reason: why });
      lines.push(`${symbol}: ${why} → sell ${held}`);
    } else if (action === 'sell') {
      lines.push(`${symbol}: ${why}, nothing held → hold`);
    } else {
      lines.push(`${symbol}: ${why} → hold`);
    }
  }
  return { orders: [...sells, ...buys], reasoning: lines.join('\n') };
}

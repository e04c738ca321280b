import { leavesOf, operandsOf, type BuySize, type IndicatorOperand, type RuleDocument, type RuleSet } from '@tradewire/contract';
import type { Order } from '../../domain/order.js';
import type { Agent, Decision, Observation } from '../agent.js';
import { buyCost, saleProceeds, type PositionSizing } from '../position-sizing.js';
import { buyQuantity } from './buy-size.js';
import { evaluateCondition } from './evaluate.js';
import { MarketSeries, indicatorKey, isIndicator, type Readings } from './market-series.js';
import { holdThrough, openPosition, positionValue, stopReached, type HeldPosition } from './position-stops.js';

/**
 * The `rules` agent: trades a rule document, deterministically, under the no-look-ahead rule of
 * every agent (see Observation).
 *
 * When values are read on day t: indicators and the price fields close/high/low/volume as of the
 * last complete bar (t-1); `open` is t's open; position values at t's open. "Crosses above" means
 * left ≤ right one bar earlier (indicators as of t-2, close of t-2, open of t-1) and left > right
 * now; "crosses below" mirrors it.
 *
 * Each day, per symbol, in this order: a held position is checked against its stops (at today's
 * open), then against the exit rules; a flat symbol against the entry rules (a symbol sold today is
 * not bought again today). The first rule that fires decides. All sells are ordered before all
 * buys, and buys are sized on the cash the sells free, in symbol order.
 */
class RulesAgent implements Agent {
  readonly #symbols = new Map<string, { series: MarketSeries; position: HeldPosition | null }>();
  readonly #listedIn = new Map<string, number>();
  readonly #catchAll: number | undefined;
  readonly #indicators: IndicatorOperand[][];

  constructor(
    private readonly doc: RuleDocument,
    private readonly sizing: PositionSizing,
  ) {
    doc.rule_sets.forEach((set, i) => set.symbols.forEach((symbol) => this.#listedIn.set(symbol, i)));
    const catchAll = doc.rule_sets.findIndex((set) => set.symbols.length === 0);
    this.#catchAll = catchAll >= 0 ? catchAll : undefined;
    this.#indicators = doc.rule_sets.map(indicatorsOf);
  }

  async decide(obs: Observation): Promise<Decision> {
    if (obs.symbols.length === 0) return { orders: [], reasoning: 'No symbols to trade → hold' };
    const lines = new Map<string, string>();
    const sells: Order[] = [];
    const pendingBuys: { symbol: string; open: number; readings: Readings; buy: BuySize; fired: string }[] = [];
    let cash = obs.cash;

    for (const symbol of obs.symbols) {
      const setIndex = this.#listedIn.get(symbol) ?? this.#catchAll;
      if (setIndex === undefined) {
        lines.set(symbol, `${symbol}: in no rule set → hold`);
        continue;
      }
      const set = this.doc.rule_sets[setIndex]!;
      const state = this.#state(symbol, setIndex);
      state.series.feed(obs.history.get(symbol) ?? [], (bar) => {
        if (state.position) holdThrough(state.position, bar);
      });
      const open = obs.open.get(symbol);
      if (open === undefined) {
        lines.set(symbol, `${symbol}: not trading today → hold`);
        continue;
      }
      const held = obs.positions.get(symbol) ?? 0;
      if (held <= 0) state.position = null;
      else state.position ??= openPosition(obs.date, open, null);
      const position = state.position;
      const readings = state.series.readings(open, (op) =>
        position ? { value: positionValue(position, op.field, open) } : { missing: `${op.field} needs a position` },
      );
      const ruleName = (kind: 'Entry' | 'Exit', i: number) =>
        this.doc.rule_sets.length > 1 ? `Set ${setIndex + 1} ${kind.toLowerCase()} rule ${i + 1}` : `${kind} rule ${i + 1}`;

      if (position) {
        const { sell, line } = exitDecision({ symbol, held, open, position, set, readings, ruleName });
        lines.set(symbol, line);
        if (sell) {
          sells.push(sell);
          cash += saleProceeds(sell.quantity, open, this.sizing);
        }
        continue;
      }
      const verdicts = set.entries.map((rule) => evaluateCondition(rule.when, readings));
      const firing = verdicts.findIndex((v) => v.truth === true);
      if (firing < 0) {
        lines.set(symbol, `${symbol}: ${verdicts.map((v, i) => `${ruleName('Entry', i).toLowerCase()}: ${v.text}`).join('; ')} → hold`);
        continue;
      }
      pendingBuys.push({ symbol, open, readings, buy: set.entries[firing]!.buy, fired: `${ruleName('Entry', firing)}: ${verdicts[firing]!.text}` });
    }

    const buys: Order[] = [];
    for (const { symbol, open, readings, buy, fired } of pendingBuys) {
      const atr = buy.kind === 'risk_atr' ? readings.now({ kind: 'atr', period: buy.atr_period }) : undefined;
      const size = buyQuantity(buy, { equity: obs.equity, cash, open }, atr, this.sizing);
      if (size.quantity === 0) {
        lines.set(symbol, `${symbol}: ${fired}, but ${size.note} → hold`);
        continue;
      }
      buys.push({ symbol, side: 'buy', quantity: size.quantity, reason: `${fired}${size.note ? ` (${size.note})` : ''}` });
      cash -= buyCost(size.quantity, open, this.sizing);
      this.#symbols.get(symbol)!.position = openPosition(obs.date, open, size.riskStop);
      lines.set(symbol, `${symbol}: ${fired} → buy ${size.quantity}${size.note ? ` (${size.note})` : ''}`);
    }
    // Sells first, so a broker filling in order funds the buys with their proceeds.
    return { orders: [...sells, ...buys], reasoning: obs.symbols.map((s) => lines.get(s)).join('\n') };
  }

  #state(symbol: string, setIndex: number) {
    let state = this.#symbols.get(symbol);
    if (!state) {
      state = { series: new MarketSeries(this.#indicators[setIndex]!), position: null };
      this.#symbols.set(symbol, state);
    }
    return state;
  }
}

const signed = (n: number) => `${n >= 0 ? '+' : ''}${n.toFixed(2)}`;

interface HeldSymbol {
  symbol: string;
  held: number;
  open: number;
  position: HeldPosition;
  set: RuleSet;
  readings: Readings;
  ruleName: (kind: 'Entry' | 'Exit', i: number) => string;
}

/** A held position's day: its stops first, then its exit rules; the first that fires sells. */
function exitDecision({ symbol, held, open, position, set, readings, ruleName }: HeldSymbol): { sell: Order | null; line: string } {
  const trailingAtr = set.stops.trailing_atr ? readings.now({ kind: 'atr', period: set.stops.trailing_atr.period }) : undefined;
  const stop = stopReached(position, set.stops, open, trailingAtr);
  if (stop) return { sell: { symbol, side: 'sell', quantity: held, reason: stop }, line: `${symbol}: ${stop} → sell ${held}` };

  const verdicts = set.exits.map((rule) => evaluateCondition(rule.when, readings));
  const firing = verdicts.findIndex((v) => v.truth === true);
  if (firing < 0) {
    const days = `${position.heldDays} ${position.heldDays === 1 ? 'day' : 'days'}`;
    const holding = `holding ${held} (entry ${position.entryPrice.toFixed(2)}, ${days}, P/L ${signed(positionValue(position, 'unrealised_pl_pct', open))}%)`;
    const why = set.exits.length === 0 ? 'no stop reached' : verdicts.map((v, i) => `${ruleName('Exit', i).toLowerCase()}: ${v.text}`).join('; ');
    return { sell: null, line: `${symbol}: ${holding}; ${why} → hold` };
  }
  const { sell } = set.exits[firing]!;
  const quantity = sell.kind === 'all' ? held : Math.floor((held * sell.percent) / 100);
  const fired = `${ruleName('Exit', firing)}: ${verdicts[firing]!.text}`;
  if (quantity === 0) return { sell: null, line: `${symbol}: ${fired}, but ${sell.kind === 'part' ? sell.percent : 100}% of ${held} is no whole share → hold` };
  return { sell: { symbol, side: 'sell', quantity, reason: fired }, line: `${symbol}: ${fired} → sell ${quantity}${quantity < held ? ` of ${held}` : ''}` };
}

/** Every indicator a rule set reads: in its conditions, its risk-based sizes and its ATR trailing stop. */
function indicatorsOf(set: RuleSet): IndicatorOperand[] {
  const found = new Map<string, IndicatorOperand>();
  const add = (op: IndicatorOperand) => found.set(indicatorKey(op), op);
  for (const rule of [...set.entries, ...set.exits]) {
    for (const { leaf } of leavesOf(rule.when)) {
      for (const [, operand] of operandsOf(leaf)) if (isIndicator(operand)) add(operand);
    }
  }
  for (const { buy } of set.entries) if (buy.kind === 'risk_atr') add({ kind: 'atr', period: buy.atr_period });
  if (set.stops.trailing_atr) add({ kind: 'atr', period: set.stops.trailing_atr.period });
  return [...found.values()];
}

/** Builds the agent for a parsed rule document; `sizing` supplies the model's costs for buys. */
export function createRulesAgent(doc: RuleDocument, sizing: PositionSizing): Agent {
  return new RulesAgent(doc, sizing);
}

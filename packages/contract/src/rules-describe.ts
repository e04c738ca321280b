import type { BuySize, Condition, Operand, PositionStops, RuleDocument, RuleSet, SellSize } from './rules.js';

// One formatter for every call: building one per number is slow, and decisions quote numbers daily.
const plainFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

/** A number as people write it: thousands separated, at most four decimals, no trailing zeros. */
export const plainNumber = (n: number) => plainFormat.format(n);

/** The short name of an operand, as decisions quote it: `SMA(200)`, `close`, `30`. */
export function operandLabel(op: Operand): string {
  switch (op.kind) {
    case 'sma':
      return `SMA(${op.period})`;
    case 'ema':
      return `EMA(${op.period})`;
    case 'rsi':
      return `RSI(${op.period})`;
    case 'macd':
      return `${op.line === 'macd' ? 'MACD' : `MACD ${op.line}`}(${op.fast},${op.slow},${op.signal})`;
    case 'bollinger':
      return `Bollinger ${op.band}(${op.period},${plainNumber(op.stddev)})`;
    case 'atr':
      return `ATR(${op.period})`;
    case 'roc':
      return `ROC(${op.period}) %`;
    case 'volume_sma':
      return `volume SMA(${op.period})`;
    case 'price':
      return op.field;
    case 'constant':
      return plainNumber(op.value);
    case 'position':
      return { held_days: 'held days', unrealised_pl_pct: 'P/L %', entry_price: 'entry price' }[op.field];
  }
}

/** An operand in a sentence: says which bar a price belongs to. */
function operandPhrase(op: Operand): string {
  if (op.kind === 'price') return op.field === 'open' ? "today's open" : `the last ${op.field}`;
  if (op.kind === 'position') {
    return { held_days: 'the number of days held', unrealised_pl_pct: 'the unrealised P/L %', entry_price: 'the entry price' }[op.field];
  }
  return operandLabel(op);
}

const VERBS = { above: 'is above', below: 'is below', crosses_above: 'crosses above', crosses_below: 'crosses below' } as const;

/** A condition as one clause: `RSI(14) is below 30 and the last close is above SMA(200)`. */
export function describeCondition(condition: Condition): string {
  const clause = (c: Condition, nested: boolean): string => {
    switch (c.kind) {
      case 'compare':
        return `${operandPhrase(c.left)} ${VERBS[c.op]} ${operandPhrase(c.right)}`;
      case 'between':
        return `${operandPhrase(c.value)} is between ${operandPhrase(c.low)} and ${operandPhrase(c.high)}`;
      case 'all':
      case 'any': {
        if (c.conditions.length === 1) return clause(c.conditions[0]!, nested);
        const text = c.conditions.map((child) => clause(child, true)).join(c.kind === 'all' ? ' and ' : ' or ');
        return nested ? `(${text})` : text;
      }
    }
  };
  return clause(condition, false);
}

export function describeBuy(size: BuySize): string {
  switch (size.kind) {
    case 'percent_of_equity':
      return `buy ${plainNumber(size.percent)}% of equity`;
    case 'cash':
      return `buy for ${plainNumber(size.amount)} in cash`;
    case 'shares':
      return `buy ${plainNumber(size.quantity)} ${size.quantity === 1 ? 'share' : 'shares'}`;
    case 'risk_atr':
      return (
        `buy as many shares as risk ${plainNumber(size.risk_pct)}% of equity with a stop ` +
        `${plainNumber(size.atr_multiple)} × ATR(${size.atr_period}) below the entry price`
      );
  }
}

export function describeSell(size: SellSize): string {
  return size.kind === 'all' ? 'sell the whole position' : `sell ${plainNumber(size.percent)}% of the position`;
}

/** One sentence per stop that is set. */
export function describeStops(stops: PositionStops): string[] {
  const sell = 'sell the whole position';
  const lines: string[] = [];
  if (stops.stop_loss_pct !== null) {
    lines.push(`Stop-loss: ${sell} when today's open is ${plainNumber(stops.stop_loss_pct)}% or more below the entry price.`);
  }
  if (stops.trailing_stop_pct !== null) {
    lines.push(`Trailing stop: ${sell} when today's open is ${plainNumber(stops.trailing_stop_pct)}% or more below the highest high since entry.`);
  }
  if (stops.trailing_atr !== null) {
    const { multiple, period } = stops.trailing_atr;
    lines.push(`ATR trailing stop: ${sell} when today's open is ${plainNumber(multiple)} × ATR(${period}) or more below the highest high since entry.`);
  }
  if (stops.take_profit_pct !== null) {
    lines.push(`Take-profit: ${sell} when today's open is ${plainNumber(stops.take_profit_pct)}% or more above the entry price.`);
  }
  if (stops.max_holding_days !== null) {
    const days = stops.max_holding_days;
    lines.push(`Time stop: ${sell} after ${days} ${days === 1 ? 'day' : 'days'} held.`);
  }
  return lines;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface RuleSetDescription {
  /** Which symbols the set trades. */
  title: string;
  /** Its entry rules, exit rules and stops, one sentence each. */
  sentences: string[];
}

function symbolsTitle(set: RuleSet, index: number, doc: RuleDocument): string {
  const prefix = doc.rule_sets.length > 1 ? `Rule set ${index + 1}: ` : '';
  if (set.symbols.length > 0) return `${prefix}${set.symbols.join(', ')}`;
  const others = doc.rule_sets.some((s) => s.symbols.length > 0);
  return `${prefix}${others ? 'every other symbol of the model' : 'every symbol of the model'}`;
}

/** A rule document in plain language, one block per rule set. */
export function describeRuleDocument(doc: RuleDocument): RuleSetDescription[] {
  return doc.rule_sets.map((set, i) => ({
    title: capitalise(symbolsTitle(set, i, doc)),
    sentences: [
      ...set.entries.map((rule, j) => `Entry rule ${j + 1}: ${describeBuy(rule.buy)} when ${describeCondition(rule.when)}.`),
      ...set.exits.map((rule, j) => `Exit rule ${j + 1}: ${describeSell(rule.sell)} when ${describeCondition(rule.when)}.`),
      ...describeStops(set.stops),
    ],
  }));
}

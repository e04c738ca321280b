import { NO_STOPS, RULES_VERSION, type BuySize, type Condition, type Operand, type PositionStops, type RuleDocument } from './rules.js';

const sma = (period: number): Operand => ({ kind: 'sma', period });
const ema = (period: number): Operand => ({ kind: 'ema', period });
const rsi = (period: number): Operand => ({ kind: 'rsi', period });
const close: Operand = { kind: 'price', field: 'close' };
const constant = (value: number): Operand => ({ kind: 'constant', value });
const percentOfEquity = (percent: number): BuySize => ({ kind: 'percent_of_equity', percent });

/** One rule set for every symbol of the model: a single entry rule, at most one exit rule, and stops. */
function singleRule(entry: Condition, buy: BuySize, exit: Condition | null, stops: Partial<PositionStops> = {}): RuleDocument {
  return {
    version: RULES_VERSION,
    rule_sets: [
      {
        symbols: [],
        entries: [{ when: entry, buy }],
        exits: exit ? [{ when: exit, sell: { kind: 'all' } }] : [],
        stops: { ...NO_STOPS, ...stops },
      },
    ],
  };
}

/** Trend following as the built-in `sma_crossover` trades it: in on the fast SMA crossing above the slow one, out on the cross back. */
export function smaCrossoverRules(fast: number, slow: number, percent = 25): RuleDocument {
  return singleRule(
    { kind: 'compare', left: sma(fast), op: 'crosses_above', right: sma(slow) },
    percentOfEquity(percent),
    { kind: 'compare', left: sma(fast), op: 'crosses_below', right: sma(slow) },
  );
}

export interface RsiDipOptions {
  period: number;
  /** Buy while RSI is below this. */
  low: number;
  /** Sell while RSI is above this. */
  high: number;
  /** Buy only while the last close is above SMA(trend); null for no trend filter. */
  trendSma: number | null;
  takeProfitPct: number | null;
  maxHoldingDays: number | null;
  percent: number;
}

/** Mean reversion: buy oversold, sell overbought. Without trend filter and stops it trades as the built-in `rsi_mean_reversion`. */
export function rsiDipRules(o: RsiDipOptions): RuleDocument {
  const oversold: Condition = { kind: 'compare', left: rsi(o.period), op: 'below', right: constant(o.low) };
  return singleRule(
    o.trendSma === null
      ? oversold
      : { kind: 'all', conditions: [oversold, { kind: 'compare', left: close, op: 'above', right: sma(o.trendSma) }] },
    percentOfEquity(o.percent),
    { kind: 'compare', left: rsi(o.period), op: 'above', right: constant(o.high) },
    { take_profit_pct: o.takeProfitPct, max_holding_days: o.maxHoldingDays },
  );
}

export interface RuleTemplate {
  id: 'golden_cross' | 'rsi_dip' | 'bollinger_breakout' | 'atr_trailing_stop';
  name: string;
  summary: string;
  document: RuleDocument;
}

const bollinger = (band: 'upper' | 'middle' | 'lower'): Operand => ({ kind: 'bollinger', period: 20, stddev: 2, band });

/** Starting points for the strategy builder; each is a complete, valid rule document. */
export const RULE_TEMPLATES: readonly RuleTemplate[] = [
  {
    id: 'golden_cross',
    name: 'Golden cross',
    summary: 'Buy when SMA(50) crosses above SMA(200), sell when it crosses back below.',
    document: smaCrossoverRules(50, 200),
  },
  {
    id: 'rsi_dip',
    name: 'RSI dip with trend filter',
    summary: 'Buy an oversold RSI(14) in an uptrend; sell when overbought, at +8 % or after 10 days.',
    document: rsiDipRules({ period: 14, low: 30, high: 70, trendSma: 200, takeProfitPct: 8, maxHoldingDays: 10, percent: 25 }),
  },
  {
    id: 'bollinger_breakout',
    name: 'Bollinger breakout',
    summary: 'Buy when the close breaks above the upper band, sell when it falls back below the middle.',
    document: singleRule(
      { kind: 'compare', left: close, op: 'crosses_above', right: bollinger('upper') },
      percentOfEquity(25),
      { kind: 'compare', left: close, op: 'crosses_below', right: bollinger('middle') },
    ),
  },
  {
    id: 'atr_trailing_stop',
    name: 'ATR trailing stop',
    summary: 'Buy on EMA(20) crossing above EMA(50), sized to lose 1 % of equity at a 2 × ATR(14) stop; trail a stop 3 × ATR(14) below the highest high.',
    document: singleRule(
      { kind: 'compare', left: ema(20), op: 'crosses_above', right: ema(50) },
      { kind: 'risk_atr', risk_pct: 1, atr_period: 14, atr_multiple: 2 },
      null,
      { trailing_atr: { period: 14, multiple: 3 } },
    ),
  },
];

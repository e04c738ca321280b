import { z } from 'zod';
import { Symbol } from './symbol.js';

/**
 * A rule document: the params of a `rules` agent, and the file a strategy is shared as.
 *
 * When values are read: on trading day t the agent knows the complete bars before t and t's open.
 * Every indicator and the price fields `close`, `high`, `low` and `volume` are read as of the last
 * complete bar (day t-1); `open` is day t's open; position values are as of day t's open. "Crosses
 * above" holds when left ≤ right one bar earlier and left > right now ("crosses below" mirrors it).
 */
export const RULES_VERSION = 1;

/** Bounds that keep a document cheap to validate and to run, whatever a client sends. */
export const RULE_LIMITS = {
  /** Groups inside groups: a rule's condition may be a group holding groups, four levels in all. */
  maxDepth: 4,
  maxConditionsPerGroup: 10,
  /** Comparisons (leaves) in the whole document. */
  maxConditions: 100,
  maxRulesPerSet: 10,
  maxRuleSets: 10,
  maxSymbolsPerSet: 500,
  maxPeriod: 500,
} as const;

const numberError = (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : 'must be a number');
const int = (min: number, max: number) =>
  z.number({ error: numberError }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const num = (min: number, max: number) =>
  z.number({ error: numberError }).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const period = (min = 1) => int(min, RULE_LIMITS.maxPeriod);

const oneOf = (what: string, values: readonly string[]) => `${what} must be one of ${values.join(', ')}`;

export const MACD_LINES = ['macd', 'signal', 'histogram'] as const;
export const BOLLINGER_BANDS = ['upper', 'middle', 'lower'] as const;
/** `open` is today's; the others are the last complete bar's. */
export const PRICE_FIELDS = ['open', 'close', 'high', 'low', 'volume'] as const;
export const POSITION_FIELDS = ['held_days', 'unrealised_pl_pct', 'entry_price'] as const;

const Sma = z.strictObject({ kind: z.literal('sma'), period: period() });
const Ema = z.strictObject({ kind: z.literal('ema'), period: period() });
const Rsi = z.strictObject({ kind: z.literal('rsi'), period: period(2) });
const Macd = z
  .strictObject({
    kind: z.literal('macd'),
    fast: period(),
    slow: period(2),
    signal: period(),
    line: z.enum(MACD_LINES, { error: oneOf('line', MACD_LINES) }),
  })
  .refine((m) => m.fast < m.slow, { message: 'fast must be less than slow', path: ['fast'] });
const Bollinger = z.strictObject({
  kind: z.literal('bollinger'),
  period: period(2),
  stddev: num(0.1, 10),
  band: z.enum(BOLLINGER_BANDS, { error: oneOf('band', BOLLINGER_BANDS) }),
});
const Atr = z.strictObject({ kind: z.literal('atr'), period: period() });
/** Rate of change over `period` bars, in %. */
const Roc = z.strictObject({ kind: z.literal('roc'), period: period() });
/** Simple average of volume over `period` bars. */
const VolumeSma = z.strictObject({ kind: z.literal('volume_sma'), period: period() });
const Price = z.strictObject({ kind: z.literal('price'), field: z.enum(PRICE_FIELDS, { error: oneOf('field', PRICE_FIELDS) }) });
const Constant = z.strictObject({ kind: z.literal('constant'), value: num(-1e9, 1e9) });
/** Only in exit rules: entries are read while no position is held. */
const Position = z.strictObject({
  kind: z.literal('position'),
  field: z.enum(POSITION_FIELDS, { error: oneOf('field', POSITION_FIELDS) }),
});

const OPERANDS = [Sma, Ema, Rsi, Macd, Bollinger, Atr, Roc, VolumeSma, Price, Constant, Position] as const;
export const OPERAND_KINDS = OPERANDS.map((o) => o.shape.kind.value);
export const INDICATOR_KINDS = ['sma', 'ema', 'rsi', 'macd', 'bollinger', 'atr', 'roc', 'volume_sma'] as const;

/** One side of a comparison: an indicator, a price field, a constant or a value of the position. */
export const Operand = z.discriminatedUnion('kind', [...OPERANDS], { error: oneOf('kind', OPERAND_KINDS) });
export type Operand = z.infer<typeof Operand>;
export type IndicatorOperand = Extract<Operand, { kind: (typeof INDICATOR_KINDS)[number] }>;

export const COMPARISON_OPS = ['above', 'below', 'crosses_above', 'crosses_below'] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

export const Comparison = z
  .strictObject({
    kind: z.literal('compare'),
    left: Operand,
    op: z.enum(COMPARISON_OPS, { error: oneOf('op', COMPARISON_OPS) }),
    right: Operand,
  })
  .superRefine((c, ctx) => {
    if (c.left.kind === 'constant' && c.right.kind === 'constant') {
      ctx.addIssue({ code: 'custom', path: ['right'], message: 'compares two constants: one side must be a market or position value' });
    }
    if (c.op === 'crosses_above' || c.op === 'crosses_below') {
      for (const side of ['left', 'right'] as const) {
        if (c[side].kind === 'position') {
          ctx.addIssue({ code: 'custom', path: [side], message: 'a position value cannot cross: crosses compare market values over two bars' });
        }
      }
    }
  });
export type Comparison = z.infer<typeof Comparison>;

/** low ≤ value ≤ high. */
export const Between = z
  .strictObject({ kind: z.literal('between'), value: Operand, low: Operand, high: Operand })
  .superRefine((b, ctx) => {
    if (b.value.kind === 'constant') ctx.addIssue({ code: 'custom', path: ['value'], message: 'must be a market or position value, not a constant' });
    if (b.low.kind === 'constant' && b.high.kind === 'constant' && b.low.value > b.high.value) {
      ctx.addIssue({ code: 'custom', path: ['high'], message: 'must be at least low' });
    }
  });
export type Between = z.infer<typeof Between>;

export const GROUP_KINDS = ['all', 'any'] as const;

const Leaf = z.discriminatedUnion('kind', [Comparison, Between], {
  error: `kind must be compare or between: groups nest at most ${RULE_LIMITS.maxDepth} deep`,
});
/** `all` holds when every condition holds (AND), `any` when one does (OR). */
const groupOf = <T extends z.ZodType>(inner: T) =>
  z.strictObject({
    kind: z.enum(GROUP_KINDS),
    conditions: z
      .array(inner)
      .min(1, 'must hold at least one condition')
      .max(RULE_LIMITS.maxConditionsPerGroup, `must hold at most ${RULE_LIMITS.maxConditionsPerGroup} conditions`),
  });
const withGroups = <T extends z.ZodType>(inner: T) =>
  z.discriminatedUnion('kind', [Comparison, Between, groupOf(inner)], { error: 'kind must be one of compare, between, all, any' });
// Built level by level (not recursively) so a hostile, deeply nested body stops at the bound.
const Depth1 = withGroups(Leaf);
const Depth2 = withGroups(Depth1);
const Depth3 = withGroups(Depth2);
export const Condition = withGroups(Depth3);
export type Condition = z.infer<typeof Condition>;

/** Every comparison of a condition with its path below the condition, in reading order. */
export function leavesOf(condition: Condition): { leaf: Comparison | Between; path: (string | number)[] }[] {
  const found: { leaf: Comparison | Between; path: (string | number)[] }[] = [];
  const walk = (c: Condition, path: (string | number)[]) => {
    if (c.kind === 'compare' || c.kind === 'between') found.push({ leaf: c, path });
    else c.conditions.forEach((child, i) => walk(child, [...path, 'conditions', i]));
  };
  walk(condition, []);
  return found;
}

/** The operands of a comparison with their keys, in reading order. */
export function operandsOf(leaf: Comparison | Between): [string, Operand][] {
  return leaf.kind === 'compare'
    ? [['left', leaf.left], ['right', leaf.right]]
    : [['value', leaf.value], ['low', leaf.low], ['high', leaf.high]];
}

export const BuySize = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('percent_of_equity'), percent: num(0.01, 100) }),
    z.strictObject({ kind: z.literal('cash'), amount: num(0.01, 1e12) }),
    z.strictObject({ kind: z.literal('shares'), quantity: int(1, 1e9) }),
    /** Shares so that a fall of `atr_multiple` × ATR costs `risk_pct` % of equity; that fall is also the position's stop. */
    z.strictObject({ kind: z.literal('risk_atr'), risk_pct: num(0.01, 100), atr_period: period(), atr_multiple: num(0.1, 50) }),
  ],
  { error: 'kind must be one of percent_of_equity, cash, shares, risk_atr' },
);
export type BuySize = z.infer<typeof BuySize>;

export const SellSize = z.discriminatedUnion(
  'kind',
  [z.strictObject({ kind: z.literal('all') }), z.strictObject({ kind: z.literal('part'), percent: num(0.01, 100) })],
  { error: 'kind must be all or part' },
);
export type SellSize = z.infer<typeof SellSize>;

/** Entry rules are read only while no position is held in the symbol. */
export const EntryRule = z
  .strictObject({ when: Condition, buy: BuySize })
  .superRefine((rule, ctx) => {
    for (const { leaf, path } of leavesOf(rule.when)) {
      for (const [key, operand] of operandsOf(leaf)) {
        if (operand.kind === 'position') {
          ctx.addIssue({ code: 'custom', path: ['when', ...path, key], message: 'position values exist only in exit rules: an entry is read while nothing is held' });
        }
      }
    }
  });
export type EntryRule = z.infer<typeof EntryRule>;

/** Exit rules are read only while a position is held. */
export const ExitRule = z.strictObject({ when: Condition, sell: SellSize.default({ kind: 'all' }) });
export type ExitRule = z.infer<typeof ExitRule>;

/** Checked at each day's open before the exit rules; whichever fires first sells the whole position. */
export const PositionStops = z.strictObject({
  /** Open at or below entry price × (1 - pct/100). */
  stop_loss_pct: num(0.1, 100).nullable().default(null),
  /** Open at or above entry price × (1 + pct/100). */
  take_profit_pct: num(0.1, 1000).nullable().default(null),
  /** Open at or below the highest high since entry × (1 - pct/100). */
  trailing_stop_pct: num(0.1, 100).nullable().default(null),
  /** Open at or below the highest high since entry - multiple × ATR(period). */
  trailing_atr: z.strictObject({ period: period(), multiple: num(0.1, 50) }).nullable().default(null),
  /** Complete bars since the entry day, that one included. */
  max_holding_days: int(1, 1000).nullable().default(null),
});
export type PositionStops = z.infer<typeof PositionStops>;

export const NO_STOPS: PositionStops = {
  stop_loss_pct: null,
  take_profit_pct: null,
  trailing_stop_pct: null,
  trailing_atr: null,
  max_holding_days: null,
};

export const RuleSet = z.strictObject({
  /** The symbols these rules trade; empty means every symbol of the model not listed by another set. */
  symbols: z.array(Symbol).max(RULE_LIMITS.maxSymbolsPerSet, `must list at most ${RULE_LIMITS.maxSymbolsPerSet} symbols`).default([]),
  entries: z
    .array(EntryRule)
    .min(1, 'must hold at least one entry rule')
    .max(RULE_LIMITS.maxRulesPerSet, `must hold at most ${RULE_LIMITS.maxRulesPerSet} rules`),
  exits: z.array(ExitRule).max(RULE_LIMITS.maxRulesPerSet, `must hold at most ${RULE_LIMITS.maxRulesPerSet} rules`).default([]),
  stops: PositionStops.default(NO_STOPS),
});
export type RuleSet = z.infer<typeof RuleSet>;

export const RuleDocument = z
  .strictObject({
    version: z.literal(RULES_VERSION, { error: `must be ${RULES_VERSION}` }),
    rule_sets: z
      .array(RuleSet)
      .min(1, 'must hold at least one rule set')
      .max(RULE_LIMITS.maxRuleSets, `must hold at most ${RULE_LIMITS.maxRuleSets} rule sets`),
  })
  .superRefine((doc, ctx) => {
    const owner = new Map<string, number>();
    let catchAll: number | undefined;
    let comparisons = 0;
    doc.rule_sets.forEach((set, i) => {
      if (set.symbols.length === 0) {
        if (catchAll !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['rule_sets', i, 'symbols'], message: `rule set ${catchAll + 1} already covers every other symbol: list symbols here` });
        }
        catchAll ??= i;
      }
      set.symbols.forEach((symbol, j) => {
        const first = owner.get(symbol);
        if (first !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['rule_sets', i, 'symbols', j], message: `${symbol} is already in rule set ${first + 1}` });
        } else owner.set(symbol, i);
      });
      for (const rule of [...set.entries, ...set.exits]) comparisons += leavesOf(rule.when).length;
    });
    if (comparisons > RULE_LIMITS.maxConditions) {
      ctx.addIssue({ code: 'custom', path: ['rule_sets'], message: `must hold at most ${RULE_LIMITS.maxConditions} comparisons in all (has ${comparisons})` });
    }
  });
export type RuleDocument = z.infer<typeof RuleDocument>;

import {
  EntryRule,
  ExitRule,
  NO_STOPS,
  PositionStops,
  RULE_LIMITS,
  RULES_VERSION,
  RuleDocument,
  describeBuy,
  describeCondition,
  describeSell,
  describeStops,
  type Between,
  type BuySize,
  type Comparison,
  type ComparisonOp,
  type Condition,
  type Operand,
  type RuleSet,
  type SellSize,
} from '@tradewire/contract';
import type { z } from 'zod';

/**
 * The strategy builder's state: a rule document being edited, and the pure functions that change
 * it. The draft has the document's shape, with two differences: every rule's condition is a group
 * (a lone comparison is shown as a group of one, so conditions can be added next to it), and a
 * number field may hold `undefined` (emptied) or NaN (not a number) while the user types; the
 * contract's schema reports both at the field.
 */
export type Draft = RuleDocument;
export type Path = readonly (string | number)[];
export type Leaf = Comparison | Between;
export type Group = Extract<Condition, { kind: 'all' | 'any' }>;

export const keyOf = (path: Path) => path.join('.');

// ---------------------------------------------------------------------------------------------
// Paths into plain JSON, changed without mutation.

export function getAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** A copy of `root` with `value` at `path`; the objects along the path are copied, the rest shared. */
export function setAt<T>(root: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [key, ...rest] = path;
  const node = root as unknown;
  if (Array.isArray(node)) {
    const copy = [...node];
    copy[key as number] = setAt(copy[key as number], rest, value);
    return copy as T;
  }
  const obj = (node ?? {}) as Record<string, unknown>;
  return { ...obj, [key!]: setAt(obj[key as string], rest, value) } as T;
}

function splitIndex(path: Path): { list: Path; index: number } {
  const index = path.at(-1);
  if (typeof index !== 'number') throw new Error(`not a list item: ${keyOf(path)}`);
  return { list: path.slice(0, -1), index };
}

/** Removes the list item at `path`. */
export function removeAt<T>(root: T, path: Path): T {
  const { list, index } = splitIndex(path);
  const items = getAt(root, list) as unknown[];
  return setAt(root, list, items.filter((_, i) => i !== index));
}

/** Appends `item` to the list at `listPath`. */
export function appendAt<T>(root: T, listPath: Path, item: unknown): T {
  return setAt(root, listPath, [...((getAt(root, listPath) as unknown[] | undefined) ?? []), item]);
}

/** Moves the list item at `path` one place up (-1) or down (+1); null at either end. Returns its new path. */
export function moveAt<T>(root: T, path: Path, delta: -1 | 1): { doc: T; path: Path } | null {
  const { list, index } = splitIndex(path);
  const items = [...(getAt(root, list) as unknown[])];
  const to = index + delta;
  if (to < 0 || to >= items.length) return null;
  [items[index], items[to]] = [items[to], items[index]];
  return { doc: setAt(root, list, items), path: [...list, to] };
}

// ---------------------------------------------------------------------------------------------
// What the dropdowns offer, and what a new piece starts as.

export type OperandKind = Operand['kind'];

/** The operand kinds in the order the dropdown lists them; `position` only in exit rules. */
export const OPERAND_CHOICES: readonly { kind: OperandKind; label: string; exitOnly?: true }[] = [
  { kind: 'price', label: 'Price' },
  { kind: 'constant', label: 'Number' },
  { kind: 'sma', label: 'SMA' },
  { kind: 'ema', label: 'EMA' },
  { kind: 'rsi', label: 'RSI' },
  { kind: 'macd', label: 'MACD' },
  { kind: 'bollinger', label: 'Bollinger' },
  { kind: 'atr', label: 'ATR' },
  { kind: 'roc', label: 'Rate of change' },
  { kind: 'volume_sma', label: 'Avg volume' },
  { kind: 'position', label: 'Position', exitOnly: true },
];

export const PRICE_LABELS = { open: "today's open", close: 'last close', high: 'last high', low: 'last low', volume: 'last volume' } as const;
export const POSITION_LABELS = { held_days: 'days held', unrealised_pl_pct: 'unrealised P/L %', entry_price: 'entry price' } as const;
export const MACD_LINE_LABELS = { macd: 'MACD line', signal: 'signal line', histogram: 'histogram' } as const;
export const BAND_LABELS = { upper: 'upper band', middle: 'middle band', lower: 'lower band' } as const;

export function defaultOperand(kind: OperandKind): Operand {
  switch (kind) {
    case 'sma':
      return { kind, period: 50 };
    case 'ema':
      return { kind, period: 20 };
    case 'rsi':
      return { kind, period: 14 };
    case 'macd':
      return { kind, fast: 12, slow: 26, signal: 9, line: 'macd' };
    case 'bollinger':
      return { kind, period: 20, stddev: 2, band: 'upper' };
    case 'atr':
      return { kind, period: 14 };
    case 'roc':
      return { kind, period: 10 };
    case 'volume_sma':
      return { kind, period: 20 };
    case 'price':
      return { kind, field: 'close' };
    case 'constant':
      return { kind, value: 0 };
    case 'position':
      return { kind, field: 'unrealised_pl_pct' };
  }
}

/** The number fields each operand kind has, in the order they are shown, with their labels. */
export const OPERAND_NUMBERS: Record<OperandKind, readonly { key: string; label: string }[]> = {
  sma: [{ key: 'period', label: 'days' }],
  ema: [{ key: 'period', label: 'days' }],
  rsi: [{ key: 'period', label: 'days' }],
  macd: [
    { key: 'fast', label: 'fast' },
    { key: 'slow', label: 'slow' },
    { key: 'signal', label: 'signal' },
  ],
  bollinger: [
    { key: 'period', label: 'days' },
    { key: 'stddev', label: 'std dev' },
  ],
  atr: [{ key: 'period', label: 'days' }],
  roc: [{ key: 'period', label: 'days' }],
  volume_sma: [{ key: 'period', label: 'days' }],
  price: [],
  constant: [{ key: 'value', label: 'value' }],
  position: [],
};

export type OperatorChoice = ComparisonOp | 'between';
export const OPERATOR_CHOICES: readonly { value: OperatorChoice; label: string }[] = [
  { value: 'above', label: 'is above' },
  { value: 'below', label: 'is below' },
  { value: 'crosses_above', label: 'crosses above' },
  { value: 'crosses_below', label: 'crosses below' },
  { value: 'between', label: 'is between' },
];

export const operatorOf = (leaf: Leaf): OperatorChoice => (leaf.kind === 'between' ? 'between' : leaf.op);

/** The comparison with another operator: a between keeps its value and low side, and back. */
export function withOperator(leaf: Leaf, op: OperatorChoice): Leaf {
  if (op === 'between') {
    if (leaf.kind === 'between') return leaf;
    return { kind: 'between', value: leaf.left, low: leaf.right, high: defaultOperand('constant') };
  }
  if (leaf.kind === 'between') return { kind: 'compare', left: leaf.value, op, right: leaf.low };
  return { ...leaf, op };
}

/** What a new condition says: RSI(14) is below 30 (exits: above 70). */
export function newComparison(exit = false): Comparison {
  return { kind: 'compare', left: { kind: 'rsi', period: 14 }, op: exit ? 'above' : 'below', right: { kind: 'constant', value: exit ? 70 : 30 } };
}

export const newGroup = (kind: 'all' | 'any', exit = false): Group => ({ kind, conditions: [newComparison(exit)] });

export type BuyKind = BuySize['kind'];
export const BUY_CHOICES: readonly { kind: BuyKind; label: string }[] = [
  { kind: 'percent_of_equity', label: '% of equity' },
  { kind: 'cash', label: 'fixed cash' },
  { kind: 'shares', label: 'shares' },
  { kind: 'risk_atr', label: 'risk on ATR' },
];

export function defaultBuy(kind: BuyKind): BuySize {
  switch (kind) {
    case 'percent_of_equity':
      return { kind, percent: 25 };
    case 'cash':
      return { kind, amount: 1_000 };
    case 'shares':
      return { kind, quantity: 10 };
    case 'risk_atr':
      return { kind, risk_pct: 1, atr_period: 14, atr_multiple: 2 };
  }
}

/** The number fields of each buy size, with their labels. */
export const BUY_NUMBERS: Record<BuyKind, readonly { key: string; label: string }[]> = {
  percent_of_equity: [{ key: 'percent', label: '% of equity' }],
  cash: [{ key: 'amount', label: 'cash ($)' }],
  shares: [{ key: 'quantity', label: 'shares' }],
  risk_atr: [
    { key: 'risk_pct', label: 'risk % of equity' },
    { key: 'atr_period', label: 'ATR days' },
    { key: 'atr_multiple', label: '× ATR stop' },
  ],
};

export const defaultSell = (kind: SellSize['kind']): SellSize => (kind === 'all' ? { kind } : { kind, percent: 50 });

export const newEntryRule = () => ({ when: newGroup('all'), buy: defaultBuy('percent_of_equity') }) satisfies z.input<typeof EntryRule>;
export const newExitRule = () => ({ when: newGroup('all', true), sell: defaultSell('all') }) satisfies z.input<typeof ExitRule>;

export function newRuleSet(symbols: string[] = []): RuleSet {
  return { symbols, entries: [newEntryRule()], exits: [], stops: { ...NO_STOPS } };
}

export const blankDocument = (): Draft => ({ version: RULES_VERSION, rule_sets: [newRuleSet()] });

export type StopKey = keyof PositionStops;
/** Each stop's checkbox label and the value it takes when switched on. */
export const STOP_CHOICES: readonly { key: StopKey; label: string; on: PositionStops[StopKey] }[] = [
  { key: 'stop_loss_pct', label: 'Stop-loss', on: 5 },
  { key: 'take_profit_pct', label: 'Take-profit', on: 8 },
  { key: 'trailing_stop_pct', label: 'Trailing stop', on: 10 },
  { key: 'trailing_atr', label: 'ATR trailing stop', on: { period: 14, multiple: 3 } },
  { key: 'max_holding_days', label: 'Sell after a number of days', on: 10 },
];

// ---------------------------------------------------------------------------------------------
// Documents in and out of the builder.

const asGroup = (c: Condition): Condition => (c.kind === 'all' || c.kind === 'any' ? c : { kind: 'all', conditions: [c] });

/** A rule document as the builder edits it: every rule's condition a group. */
export function toDraft(doc: RuleDocument): Draft {
  return {
    ...doc,
    rule_sets: doc.rule_sets.map((set) => ({
      ...set,
      entries: set.entries.map((rule) => ({ ...rule, when: asGroup(rule.when) })),
      exits: set.exits.map((rule) => ({ ...rule, when: asGroup(rule.when) })),
    })),
  };
}

const unwrap = (c: Condition): Condition => ((c.kind === 'all' || c.kind === 'any') && c.conditions.length === 1 ? c.conditions[0]! : c);

/** The document a checked draft stands for: a rule's group of one condition is that condition. */
export function fromDraft(doc: RuleDocument): RuleDocument {
  return {
    ...doc,
    rule_sets: doc.rule_sets.map((set) => ({
      ...set,
      entries: set.entries.map((rule) => ({ ...rule, when: unwrap(rule.when) })),
      exits: set.exits.map((rule) => ({ ...rule, when: unwrap(rule.when) })),
    })),
  };
}

/** How deep the group at `path` sits (a rule's own group is 1); groups nest at most RULE_LIMITS.maxDepth deep. */
export function groupDepth(path: Path): number {
  return 1 + path.filter((k) => k === 'conditions').length;
}

export const canNestGroup = (groupPath: Path) => groupDepth(groupPath) < RULE_LIMITS.maxDepth;

/** Whether the path lies in an exit rule (position values allowed). */
export const inExit = (path: Path) => path.includes('exits');

// ---------------------------------------------------------------------------------------------
// Validation, by the contract's schema, placed at the fields.

export type FieldErrors = Record<string, string>;

/**
 * Each issue at the deepest part of the draft that exists on its path (what the page shows an error
 * beside); the first issue of a place wins.
 */
export function placeIssues(draft: unknown, issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const path = issue.path.map((k) => (typeof k === 'number' ? k : String(k)));
    let depth = path.length;
    while (depth > 0 && getAt(draft, path.slice(0, depth)) === undefined && !numberSlot(draft, path.slice(0, depth))) depth--;
    out[keyOf(path.slice(0, depth))] ??= issue.message;
  }
  return out;
}

/** A number field the user emptied: its key is still on its object, with the value undefined. */
function numberSlot(draft: unknown, path: Path): boolean {
  const parent = getAt(draft, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && (path.at(-1) as string) in parent;
}

export interface DraftCheck {
  /** The document to save, backtest or export; null while anything is invalid. */
  document: RuleDocument | null;
  errors: FieldErrors;
}

export function checkDraft(draft: Draft): DraftCheck {
  const parsed = RuleDocument.safeParse(draft);
  if (parsed.success) return { document: fromDraft(parsed.data), errors: {} };
  return { document: null, errors: placeIssues(draft, parsed.error.issues) };
}

// ---------------------------------------------------------------------------------------------
// The plain-language preview, rule by rule, so one unfinished rule leaves the others readable.

export interface PreviewSet {
  title: string;
  lines: { text: string; complete: boolean }[];
}

const UNFINISHED = 'not complete yet: fix the marked fields.';

export function previewDraft(draft: Draft): PreviewSet[] {
  const many = draft.rule_sets.length > 1;
  const someListed = draft.rule_sets.some((s) => s.symbols.length > 0);
  return draft.rule_sets.map((set, i) => {
    const who =
      set.symbols.length > 0 ? set.symbols.join(', ') : someListed ? 'Every other symbol of the model' : 'Every symbol of the model';
    const lines: PreviewSet['lines'] = [];
    set.entries.forEach((rule, j) => {
      const parsed = EntryRule.safeParse(rule);
      lines.push(
        parsed.success
          ? { text: `Entry rule ${j + 1}: ${describeBuy(parsed.data.buy)} when ${describeCondition(parsed.data.when)}.`, complete: true }
          : { text: `Entry rule ${j + 1}: ${UNFINISHED}`, complete: false },
      );
    });
    set.exits.forEach((rule, j) => {
      const parsed = ExitRule.safeParse(rule);
      lines.push(
        parsed.success
          ? { text: `Exit rule ${j + 1}: ${describeSell(parsed.data.sell)} when ${describeCondition(parsed.data.when)}.`, complete: true }
          : { text: `Exit rule ${j + 1}: ${UNFINISHED}`, complete: false },
      );
    });
    const stops = PositionStops.safeParse(set.stops);
    if (stops.success) lines.push(...describeStops(stops.data).map((text) => ({ text, complete: true })));
    else lines.push({ text: `Stops: ${UNFINISHED}`, complete: false });
    if (set.entries.length === 0) lines.push({ text: 'No entry rule yet: add one so the strategy buys.', complete: false });
    return { title: many ? `Rule set ${i + 1}: ${who}` : who, lines };
  });
}

// ---------------------------------------------------------------------------------------------
// Number fields: what the user typed, as the draft holds it.

/** Text from a number field: empty is undefined (the schema says "is required"), anything else Number() of it (NaN: "must be a number"). */
export function numberFromText(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

/** The text a number field shows for a draft value. */
export const textOfNumber = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : '');

/** Where a piece sits, as people say it: `Entry rule 1, condition 2` (`Rule set 2, …` when there are several). */
export function pathLabel(path: Path, manySets: boolean): string {
  const parts: string[] = [];
  const names: Record<string, string> = { entries: 'Entry rule', exits: 'Exit rule', conditions: 'condition' };
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const next = path[i + 1];
    if (typeof next !== 'number') continue;
    if (key === 'rule_sets') {
      if (manySets) parts.push(`Rule set ${next + 1}`);
    } else if (typeof key === 'string' && names[key]) parts.push(`${names[key]} ${next + 1}`);
    i++;
  }
  return parts.join(', ');
}

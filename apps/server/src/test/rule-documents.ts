import fc from 'fast-check';
import { RULE_LIMITS, leavesOf } from '@tradewire/contract';

// Random rule documents for property tests: valid ones as a client writes them, and ways to break one.

export const small = (min: number, max: number) => fc.integer({ min, max });
export const real = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const marketOperand = fc.oneof(
  fc.record({ kind: fc.constantFrom('sma', 'ema', 'atr', 'roc', 'volume_sma'), period: fc.oneof({ weight: 9, arbitrary: small(1, 30) }, { weight: 1, arbitrary: small(31, 500) }) }),
  fc.record({ kind: fc.constant('rsi'), period: small(2, 30) }),
  small(1, 12).chain((fast) =>
    fc.record({ kind: fc.constant('macd'), fast: fc.constant(fast), slow: small(fast + 1, 30), signal: small(1, 12), line: fc.constantFrom('macd', 'signal', 'histogram') }),
  ),
  fc.record({ kind: fc.constant('bollinger'), period: small(2, 30), stddev: real(0.1, 10), band: fc.constantFrom('upper', 'middle', 'lower') }),
  fc.record({ kind: fc.constant('price'), field: fc.constantFrom('open', 'close', 'high', 'low', 'volume') }),
  fc.record({ kind: fc.constant('constant'), value: real(-10, 250) }),
);
const positionOperand = fc.record({ kind: fc.constant('position'), field: fc.constantFrom('held_days', 'unrealised_pl_pct', 'entry_price') });

type Json = Record<string, unknown>;

/** A comparison the schema accepts: never two constants, and no position value crossing. */
function leaf(withPosition: boolean): fc.Arbitrary<Json> {
  const operand = withPosition ? fc.oneof({ weight: 3, arbitrary: marketOperand }, { weight: 1, arbitrary: positionOperand }) : marketOperand;
  const close = { kind: 'price', field: 'close' };
  const compare = fc
    .record({ left: operand, op: fc.constantFrom('above', 'below', 'crosses_above', 'crosses_below'), right: operand })
    .map(({ left, op, right }) => {
      const crossing = op.startsWith('crosses') && (left.kind === 'position' || right.kind === 'position');
      return { kind: 'compare', left, op: crossing ? 'above' : op, right: left.kind === 'constant' && right.kind === 'constant' ? close : right };
    });
  const between = fc.record({ value: operand, low: operand, high: operand }).map(({ value, low, high }) => {
    const swap = low.kind === 'constant' && high.kind === 'constant' && (low as { value: number }).value > (high as { value: number }).value;
    return { kind: 'between', value: value.kind === 'constant' ? close : value, low: swap ? high : low, high: swap ? low : high };
  });
  return fc.oneof({ weight: 3, arbitrary: compare }, { weight: 1, arbitrary: between });
}

function condition(groupsLeft: number, withPosition: boolean): fc.Arbitrary<Json> {
  if (groupsLeft === 0) return leaf(withPosition);
  const group = fc.record({
    kind: fc.constantFrom('all', 'any'),
    conditions: fc.array(condition(groupsLeft - 1, withPosition), { minLength: 1, maxLength: 3 }),
  });
  return fc.oneof({ weight: 3, arbitrary: leaf(withPosition) }, { weight: 2, arbitrary: group });
}

const buy = fc.oneof(
  fc.record({ kind: fc.constant('percent_of_equity'), percent: real(0.01, 100) }),
  fc.record({ kind: fc.constant('cash'), amount: real(0.01, 1e6) }),
  fc.record({ kind: fc.constant('shares'), quantity: small(1, 10_000) }),
  fc.record({ kind: fc.constant('risk_atr'), risk_pct: real(0.01, 10), atr_period: small(1, 30), atr_multiple: real(0.1, 50) }),
);
const sell = fc.oneof(fc.constant({ kind: 'all' }), fc.record({ kind: fc.constant('part'), percent: real(0.01, 100) }));
const stops = fc.record(
  {
    stop_loss_pct: fc.option(real(0.1, 100), { nil: null }),
    take_profit_pct: fc.option(real(0.1, 1000), { nil: null }),
    trailing_stop_pct: fc.option(real(0.1, 100), { nil: null }),
    trailing_atr: fc.option(fc.record({ period: small(1, 30), multiple: real(0.1, 50) }), { nil: null }),
    max_holding_days: fc.option(small(1, 1000), { nil: null }),
  },
  { requiredKeys: [] },
);
const ruleSet = (symbols: fc.Arbitrary<string[]>) =>
  fc.record(
    {
      symbols,
      entries: fc.array(fc.record({ when: condition(RULE_LIMITS.maxDepth, false), buy }), { minLength: 1, maxLength: 3 }),
      exits: fc.array(fc.record({ when: condition(RULE_LIMITS.maxDepth, true), sell }, { requiredKeys: ['when'] }), { maxLength: 3 }),
      stops,
    },
    { requiredKeys: ['symbols', 'entries'] },
  );

/** Valid rule documents as a client writes them: one catch-all set, maybe after one that lists some of `symbols`. */
export const validRuleDocument = (symbols: string[]) =>
  fc
    .oneof(
      ruleSet(fc.constant([])).map((set) => [set]),
      fc.tuple(ruleSet(fc.subarray(symbols, { minLength: 1 })), ruleSet(fc.constant([]))),
    )
    .map((rule_sets) => ({ version: 1, rule_sets }))
    .filter((doc) => {
      const comparisons = doc.rule_sets.flatMap((set) => [...set.entries, ...(set.exits ?? [])]);
      return comparisons.reduce((n, rule) => n + leavesOf(rule.when as never).length, 0) <= RULE_LIMITS.maxConditions;
    });

/** Every path to a value inside a document, the root left out. */
export const pathsOf = (value: unknown, path: (string | number)[] = []): (string | number)[][] => {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...path, key], ...pathsOf(child, [...path, key])]);
};
const at = (doc: unknown, path: (string | number)[]) => path.reduce<any>((node, key) => node[key], doc);

/** Breaks the value at `path`: a number far out of every bound, a stray key, or a value of no allowed shape. */
export function broken(doc: unknown, path: (string | number)[], how: 'replace' | 'stray_key' | 'too_deep'): unknown {
  const copy = structuredClone(doc);
  const parent = at(copy, path.slice(0, -1));
  const key = path.at(-1)!;
  const value = parent[key];
  if (how === 'stray_key' && value !== null && typeof value === 'object' && !Array.isArray(value)) value.note = 'stray';
  else if (how === 'too_deep' && key === 'when') {
    let deep = value;
    for (let i = 0; i < RULE_LIMITS.maxDepth + 1; i++) deep = { kind: 'all', conditions: [deep] };
    parent[key] = deep;
  } else parent[key] = typeof value === 'number' ? 1e13 : 'bogus!';
  return copy;
}


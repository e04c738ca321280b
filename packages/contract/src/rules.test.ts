import { describe, expect, it } from 'vitest';
import { ModelCreate, RULE_LIMITS, RULE_TEMPLATES, RuleDocument, leavesOf, type Condition } from './index.js';

const rsiBelow30: Condition = { kind: 'compare', left: { kind: 'rsi', period: 14 }, op: 'below', right: { kind: 'constant', value: 30 } };

/** A minimal document as a client sends it: defaults left out. */
const minimal = () => ({
  version: 1,
  rule_sets: [{ entries: [{ when: rsiBelow30 as unknown, buy: { kind: 'percent_of_equity', percent: 25 } }] as unknown[] }] as Record<string, unknown>[],
});

/** The first issue's path and message, or null when the document is valid. */
function firstIssue(doc: unknown): { path: (string | number)[]; message: string } | null {
  const parsed = RuleDocument.safeParse(doc);
  if (parsed.success) return null;
  const [issue] = parsed.error.issues;
  return { path: issue!.path as (string | number)[], message: issue!.message };
}

/** `depth` groups around a comparison. */
function nested(depth: number): unknown {
  let condition: unknown = rsiBelow30;
  for (let i = 0; i < depth; i++) condition = { kind: i % 2 ? 'any' : 'all', conditions: [condition] };
  return condition;
}

describe('RuleDocument', () => {
  it('fills the defaults of a minimal document: every symbol, no exits, no stops, sell all', () => {
    const doc = minimal();
    doc.rule_sets[0]!.exits = [{ when: { kind: 'compare', left: { kind: 'rsi', period: 14 }, op: 'above', right: { kind: 'constant', value: 70 } } }];

    expect(RuleDocument.parse(doc).rule_sets[0]).toEqual({
      symbols: [],
      entries: [{ when: rsiBelow30, buy: { kind: 'percent_of_equity', percent: 25 } }],
      exits: [{ when: { kind: 'compare', left: { kind: 'rsi', period: 14 }, op: 'above', right: { kind: 'constant', value: 70 } }, sell: { kind: 'all' } }],
      stops: { stop_loss_pct: null, take_profit_pct: null, trailing_stop_pct: null, trailing_atr: null, max_holding_days: null },
    });
  });

  it('upper-cases listed symbols', () => {
    const doc = minimal();
    doc.rule_sets[0]!.symbols = [' acme ', 'bolt'];
    expect(RuleDocument.parse(doc).rule_sets[0]!.symbols).toEqual(['ACME', 'BOLT']);
  });

  it.each([
    ['an unknown version', (d: ReturnType<typeof minimal>) => Object.assign(d, { version: 2 }), ['version'], 'must be 1'],
    ['an unknown field', (d: ReturnType<typeof minimal>) => Object.assign(d, { author: 'me' }), [], 'Unrecognized key: "author"'],
    [
      'a period above the bound',
      (d: ReturnType<typeof minimal>) => (d.rule_sets[0]!.entries = [{ when: { ...rsiBelow30, left: { kind: 'sma', period: 501 } }, buy: { kind: 'shares', quantity: 1 } }]),
      ['rule_sets', 0, 'entries', 0, 'when', 'left', 'period'],
      'must be at most 500',
    ],
    [
      'an RSI of one bar',
      (d: ReturnType<typeof minimal>) => (d.rule_sets[0]!.entries = [{ when: { ...rsiBelow30, left: { kind: 'rsi', period: 1 } }, buy: { kind: 'shares', quantity: 1 } }]),
      ['rule_sets', 0, 'entries', 0, 'when', 'left', 'period'],
      'must be at least 2',
    ],
    [
      'an unknown indicator',
      (d: ReturnType<typeof minimal>) => (d.rule_sets[0]!.entries = [{ when: { ...rsiBelow30, left: { kind: 'vwap', period: 3 } }, buy: { kind: 'shares', quantity: 1 } }]),
      ['rule_sets', 0, 'entries', 0, 'when', 'left', 'kind'],
      'kind must be one of sma, ema, rsi, macd, bollinger, atr, roc, volume_sma, price, constant, position',
    ],
    [
      'a MACD whose fast average is not faster',
      (d: ReturnType<typeof minimal>) =>
        (d.rule_sets[0]!.entries = [
          { when: { ...rsiBelow30, left: { kind: 'macd', fast: 26, slow: 12, signal: 9, line: 'histogram' } }, buy: { kind: 'shares', quantity: 1 } },
        ]),
      ['rule_sets', 0, 'entries', 0, 'when', 'left', 'fast'],
      'fast must be less than slow',
    ],
    [
      'an unknown comparison',
      (d: ReturnType<typeof minimal>) => (d.rule_sets[0]!.entries = [{ when: { ...rsiBelow30, op: 'equals' }, buy: { kind: 'shares', quantity: 1 } }]),
      ['rule_sets', 0, 'entries', 0, 'when', 'op'],
      'op must be one of above, below, crosses_above, crosses_below',
    ],
    [
      'two constants compared',
      (d: ReturnType<typeof minimal>) =>
        (d.rule_sets[0]!.entries = [{ when: { ...rsiBelow30, left: { kind: 'constant', value: 1 } }, buy: { kind: 'shares', quantity: 1 } }]),
      ['rule_sets', 0, 'entries', 0, 'when', 'right'],
      'compares two constants: one side must be a market or position value',
    ],
    [
      'a between whose bounds are the wrong way round',
      (d: ReturnType<typeof minimal>) =>
        (d.rule_sets[0]!.entries = [
          {
            when: { kind: 'between', value: { kind: 'rsi', period: 14 }, low: { kind: 'constant', value: 60 }, high: { kind: 'constant', value: 40 } },
            buy: { kind: 'shares', quantity: 1 },
          },
        ]),
      ['rule_sets', 0, 'entries', 0, 'when', 'high'],
      'must be at least low',
    ],
    [
      'a position value in an entry rule',
      (d: ReturnType<typeof minimal>) =>
        (d.rule_sets[0]!.entries = [
          {
            when: { kind: 'all', conditions: [rsiBelow30, { ...rsiBelow30, left: { kind: 'position', field: 'held_days' } }] },
            buy: { kind: 'shares', quantity: 1 },
          },
        ]),
      ['rule_sets', 0, 'entries', 0, 'when', 'conditions', 1, 'left'],
      'position values exist only in exit rules: an entry is read while nothing is held',
    ],
    [
      'a position value that crosses',
      (d: ReturnType<typeof minimal>) =>
        (d.rule_sets[0]!.exits = [{ when: { kind: 'compare', left: { kind: 'position', field: 'unrealised_pl_pct' }, op: 'crosses_above', right: { kind: 'constant', value: 5 } } }]),
      ['rule_sets', 0, 'exits', 0, 'when', 'left'],
      'a position value cannot cross: crosses compare market values over two bars',
    ],
    [
      'an empty group',
      (d: ReturnType<typeof minimal>) => (d.rule_sets[0]!.entries = [{ when: { kind: 'any', conditions: [] }, buy: { kind: 'shares', quantity: 1 } }]),
      ['rule_sets', 0, 'entries', 0, 'when', 'conditions'],
      'must hold at least one condition',
    ],
    [
      'groups five deep',
      (d: ReturnType<typeof minimal>) => (d.rule_sets[0]!.entries = [{ when: nested(5), buy: { kind: 'shares', quantity: 1 } }]),
      ['rule_sets', 0, 'entries', 0, 'when', 'conditions', 0, 'conditions', 0, 'conditions', 0, 'conditions', 0, 'kind'],
      'kind must be compare or between: groups nest at most 4 deep',
    ],
    [
      'a risk-based buy without an ATR multiple',
      (d: ReturnType<typeof minimal>) => (d.rule_sets[0]!.entries = [{ when: rsiBelow30, buy: { kind: 'risk_atr', risk_pct: 1, atr_period: 14 } }]),
      ['rule_sets', 0, 'entries', 0, 'buy', 'atr_multiple'],
      'is required',
    ],
    [
      'a sell of more than the position',
      (d: ReturnType<typeof minimal>) => (d.rule_sets[0]!.exits = [{ when: rsiBelow30, sell: { kind: 'part', percent: 150 } }]),
      ['rule_sets', 0, 'exits', 0, 'sell', 'percent'],
      'must be at most 100',
    ],
    [
      'a stop-loss of zero',
      (d: ReturnType<typeof minimal>) => (d.rule_sets[0]!.stops = { stop_loss_pct: 0 }),
      ['rule_sets', 0, 'stops', 'stop_loss_pct'],
      'must be at least 0.1',
    ],
    [
      'a rule set without entries',
      (d: ReturnType<typeof minimal>) => (d.rule_sets[0]!.entries = []),
      ['rule_sets', 0, 'entries'],
      'must hold at least one entry rule',
    ],
    [
      'a symbol in two rule sets',
      (d: ReturnType<typeof minimal>) => {
        d.rule_sets[0]!.symbols = ['ACME', 'BOLT'];
        d.rule_sets.push({ ...d.rule_sets[0]!, symbols: ['CORE', 'bolt'] });
      },
      ['rule_sets', 1, 'symbols', 1],
      'BOLT is already in rule set 1',
    ],
    [
      'two rule sets for every symbol',
      (d: ReturnType<typeof minimal>) => d.rule_sets.push({ ...d.rule_sets[0]! }),
      ['rule_sets', 1, 'symbols'],
      'rule set 1 already covers every other symbol: list symbols here',
    ],
  ])('refuses %s, naming the path', (_name, change, path, message) => {
    const doc = minimal();
    change(doc);
    expect(firstIssue(doc)).toEqual({ path, message });
  });

  it('nests groups four deep but not five', () => {
    const doc = minimal();
    doc.rule_sets[0]!.entries = [{ when: nested(4), buy: { kind: 'shares', quantity: 1 } }];
    expect(firstIssue(doc)).toBeNull();
  });

  it('bounds the comparisons in a whole document', () => {
    const group = (n: number) => ({ kind: 'all', conditions: Array.from({ length: n }, () => rsiBelow30) });
    const rules = (n: number) => Array.from({ length: n }, () => ({ when: group(RULE_LIMITS.maxConditionsPerGroup), buy: { kind: 'shares', quantity: 1 } }));
    const doc = minimal();
    doc.rule_sets[0]!.entries = rules(10);
    expect(firstIssue(doc)).toBeNull();

    doc.rule_sets[0]!.exits = [{ when: rsiBelow30 }];
    expect(firstIssue(doc)).toEqual({ path: ['rule_sets'], message: 'must hold at most 100 comparisons in all (has 101)' });
  });

  it('lists the comparisons of a condition with their paths', () => {
    const other: Condition = { ...rsiBelow30, op: 'above' };
    const condition: Condition = { kind: 'any', conditions: [rsiBelow30, { kind: 'all', conditions: [other] }] };
    expect(leavesOf(condition)).toEqual([
      { leaf: rsiBelow30, path: ['conditions', 0] },
      { leaf: other, path: ['conditions', 1, 'conditions', 0] },
    ]);
  });
});

describe('a model of agent kind rules', () => {
  it('carries a rule document as its params, and names the full path of a bad one', () => {
    const document = RULE_TEMPLATES.find((t) => t.id === 'rsi_dip')!.document;
    expect(ModelCreate.parse({ name: 'Dip buyer', agent: { kind: 'rules', params: document } }).agent).toEqual({ kind: 'rules', params: document });

    const bad = ModelCreate.safeParse({ name: 'Dip buyer', agent: { kind: 'rules', params: { ...document, version: 2 } } });
    expect(bad.error?.issues.map((i) => i.path)).toEqual([['agent', 'params', 'version']]);
    expect(ModelCreate.safeParse({ name: 'No rules', agent: { kind: 'rules' } }).error?.issues.map((i) => [i.path, i.message])).toEqual([[['agent', 'params'], 'is required']]);
  });
});

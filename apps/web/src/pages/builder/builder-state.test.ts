// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { RULE_TEMPLATES, RuleDocument } from '@tradewire/contract';
import { backtestBody, modelBody, newSettings } from './builder-settings';
import {
  appendAt,
  blankDocument,
  canNestGroup,
  checkDraft,
  defaultOperand,
  fromDraft,
  getAt,
  moveAt,
  newComparison,
  newGroup,
  numberFromText,
  pathLabel,
  placeIssues,
  previewDraft,
  removeAt,
  setAt,
  toDraft,
  withOperator,
  type Draft,
  type Leaf,
} from './builder-state';

const when = ['rule_sets', 0, 'entries', 0, 'when'] as const;
const cond = (i: number) => [...when, 'conditions', i] as const;

describe('paths into the draft', () => {
  it('set, append, remove and move without touching the original', () => {
    const doc = blankDocument();
    const frozen = structuredClone(doc);
    const two = appendAt(doc, [...when, 'conditions'], { ...newComparison(), right: defaultOperand('sma') });
    const changed = setAt(two, [...cond(0), 'right', 'value'], 25);

    expect(doc).toEqual(frozen);
    expect(getAt(changed, [...cond(0), 'right'])).toEqual({ kind: 'constant', value: 25 });
    expect(getAt(changed, [...cond(1), 'right'])).toEqual({ kind: 'sma', period: 50 });
    // Parts off the changed path are shared, not copied.
    expect(getAt(changed, ['rule_sets', 0, 'stops'])).toBe(getAt(doc, ['rule_sets', 0, 'stops']));

    const moved = moveAt(changed, cond(1), -1)!;
    expect(moved.path).toEqual(cond(0));
    expect((getAt(moved.doc, [...when, 'conditions']) as Leaf[]).map((c) => (c as { right: { kind: string } }).right.kind)).toEqual(['sma', 'constant']);
    expect(moveAt(changed, cond(1), 1)).toBeNull();
    expect(moveAt(changed, cond(0), -1)).toBeNull();

    const removed = removeAt(moved.doc, cond(0));
    expect(getAt(removed, [...when, 'conditions'])).toEqual([{ ...newComparison(), right: { kind: 'constant', value: 25 } }]);
  });
});

describe('documents in and out of the builder', () => {
  it.each(RULE_TEMPLATES.map((t) => [t.id, t.document] as const))('the %s template comes back out unchanged', (_id, document) => {
    const draft = toDraft(document);
    // In the builder every rule's condition is a group, so conditions can be added beside it.
    for (const rule of draft.rule_sets[0]!.entries) expect(['all', 'any']).toContain(rule.when.kind);
    expect(checkDraft(draft)).toEqual({ document: RuleDocument.parse(document), errors: {} });
    expect(fromDraft(draft)).toEqual(document);
  });

  it('builds "RSI(14) < 30 and close above SMA(200), out at +8 % or after 10 days" from the pieces the dropdowns offer', () => {
    let draft: Draft = blankDocument();
    draft = appendAt(draft, [...when, 'conditions'], newComparison());
    draft = setAt(draft, [...cond(1), 'left'], defaultOperand('price'));
    draft = setAt(draft, cond(1), withOperator(getAt(draft, cond(1)) as Leaf, 'above'));
    draft = setAt(draft, [...cond(1), 'right'], defaultOperand('sma'));
    draft = setAt(draft, [...cond(1), 'right', 'period'], numberFromText('200'));
    draft = setAt(draft, ['rule_sets', 0, 'stops', 'take_profit_pct'], 8);
    draft = setAt(draft, ['rule_sets', 0, 'stops', 'max_holding_days'], 10);

    const dip = RULE_TEMPLATES.find((t) => t.id === 'rsi_dip')!.document;
    expect(checkDraft(draft).document).toEqual({ ...dip, rule_sets: [{ ...dip.rule_sets[0]!, exits: [] }] });
    expect(previewDraft(draft)).toEqual([
      {
        title: 'Every symbol of the model',
        lines: [
          { text: 'Entry rule 1: buy 25% of equity when RSI(14) is below 30 and the last close is above SMA(200).', complete: true },
          { text: "Take-profit: sell the whole position when today's open is 8% or more above the entry price.", complete: true },
          { text: 'Time stop: sell the whole position after 10 days held.', complete: true },
        ],
      },
    ]);
  });

  it('turns a comparison into a between and back, keeping its sides', () => {
    const rsiBelow = newComparison();
    const between = withOperator(rsiBelow, 'between');
    expect(between).toEqual({ kind: 'between', value: rsiBelow.left, low: rsiBelow.right, high: { kind: 'constant', value: 0 } });
    expect(withOperator(between, 'crosses_above')).toEqual({ ...rsiBelow, op: 'crosses_above' });
    expect(withOperator(between, 'between')).toBe(between);
  });
});

describe('validation by the contract, placed at the field', () => {
  it('says at the number field whether it is empty, not a number or out of bounds', () => {
    const draft = setAt(setAt(blankDocument(), [...cond(0), 'left', 'period'], numberFromText('')), [...cond(0), 'right', 'value'], numberFromText('lots'));
    const withBuy = setAt(draft, ['rule_sets', 0, 'entries', 0, 'buy', 'percent'], 250);
    expect(checkDraft(withBuy)).toEqual({
      document: null,
      errors: {
        'rule_sets.0.entries.0.when.conditions.0.left.period': 'is required',
        'rule_sets.0.entries.0.when.conditions.0.right.value': 'must be a number',
        'rule_sets.0.entries.0.buy.percent': 'must be at most 100',
      },
    });
  });

  it('puts rules about a whole comparison, group or set where the page shows them', () => {
    let draft = blankDocument();
    // Two constants compared; a position value in an entry; an emptied group in an added rule.
    draft = setAt(draft, [...cond(0), 'left'], defaultOperand('constant'));
    draft = appendAt(draft, [...when, 'conditions'], { ...newComparison(), left: defaultOperand('position') });
    draft = appendAt(draft, ['rule_sets', 0, 'exits'], { when: { kind: 'any', conditions: [] }, sell: { kind: 'all' } });
    // A second set for every other symbol, while the first already is one.
    draft = appendAt(draft, ['rule_sets'], blankDocument().rule_sets[0]);

    expect(checkDraft(draft).errors).toEqual({
      'rule_sets.0.entries.0.when.conditions.0.right': 'compares two constants: one side must be a market or position value',
      'rule_sets.0.entries.0.when.conditions.1.left': 'position values exist only in exit rules: an entry is read while nothing is held',
      'rule_sets.0.exits.0.when.conditions': 'must hold at least one condition',
      'rule_sets.1.symbols': 'rule set 1 already covers every other symbol: list symbols here',
    });
    // Unfinished rules say so in the preview; the rest still reads.
    expect(previewDraft(draft)[0]!.lines).toEqual([
      { text: 'Entry rule 1: not complete yet: fix the marked fields.', complete: false },
      { text: 'Exit rule 1: not complete yet: fix the marked fields.', complete: false },
    ]);
    expect(previewDraft(draft)[1]).toEqual({ title: 'Rule set 2: Every symbol of the model', lines: [{ text: 'Entry rule 1: buy 25% of equity when RSI(14) is below 30.', complete: true }] });
  });

  it('places an issue at the deepest part of its path that the draft has', () => {
    const draft = blankDocument();
    expect(placeIssues(draft, [{ path: ['rule_sets', 0, 'entries', 0, 'buy', 'nope', 'deeper'], message: 'x' }])).toEqual({ 'rule_sets.0.entries.0.buy': 'x' });
    expect(placeIssues(draft, [{ path: [], message: 'y' }])).toEqual({ '': 'y' });
  });

  it('nests groups at most four deep and names every place as people say it', () => {
    expect(canNestGroup(when)).toBe(true);
    const third = [...when, 'conditions', 0, 'conditions', 1, 'conditions', 0] as const;
    expect(canNestGroup(third)).toBe(false);
    expect(canNestGroup(third.slice(0, -2))).toBe(true);
    expect(pathLabel([...third, 'left'], false)).toBe('Entry rule 1, condition 1, condition 2, condition 1');
    expect(pathLabel(['rule_sets', 1, 'exits', 2, 'when', 'conditions', 0], true)).toBe('Rule set 2, Exit rule 3, condition 1');
    expect(newGroup('any', true)).toEqual({ kind: 'any', conditions: [{ kind: 'compare', left: { kind: 'rsi', period: 14 }, op: 'above', right: { kind: 'constant', value: 70 } }] });
  });
});

describe('model settings around the rules', () => {
  const doc = RULE_TEMPLATES[0]!.document;

  it('backtest with blank dates left to the server, and with the settings as a model has them', () => {
    const r = backtestBody({ ...newSettings(), allowed_symbols: ['ZNTH'] }, doc, { start_date: '', end_date: '2026-01-30' });
    expect(r).toMatchObject({ ok: true, body: { agent: { kind: 'rules', params: doc }, allowed_symbols: ['ZNTH'], end_date: '2026-01-30', initial_cash: 10_000, benchmark: 'universe' } });
    expect(r.ok && 'start_date' in r.body).toBe(false);
    expect(r.ok && 'name' in r.body).toBe(false);
  });

  it('name each settings problem by its field, and need a name only to save', () => {
    const settings = { ...newSettings(), initial_cash: 'lots', risk: { ...newSettings().risk, max_position_pct: '150' } };
    expect(backtestBody(settings, doc, { start_date: '', end_date: '' })).toEqual({
      ok: false,
      errors: { initial_cash: 'must be a number', 'risk.max_position_pct': 'must be at most 100' },
    });
    expect(backtestBody(newSettings(), doc, { start_date: '2026-02-01', end_date: '2026-01-01' })).toEqual({ ok: false, errors: { end_date: 'must not be before start_date' } });
    expect(modelBody(newSettings(), doc)).toEqual({ ok: false, errors: { name: 'must not be empty' } });
    expect(modelBody(newSettings('Golden'), doc)).toMatchObject({ ok: true, body: { name: 'Golden', agent: { kind: 'rules', params: doc } } });
    // Rules that are not valid yet are the rule editor's to show, not a settings field.
    expect(modelBody(newSettings('Golden'), null)).toEqual({ ok: false, errors: {} });
  });
});

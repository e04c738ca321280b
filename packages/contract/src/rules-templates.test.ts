import { describe, expect, it } from 'vitest';
import { RULE_TEMPLATES, RuleDocument, rsiDipRules, smaCrossoverRules } from './index.js';

describe('rule templates', () => {
  it('offers the four templates of the builder', () => {
    expect(RULE_TEMPLATES.map((t) => t.id)).toEqual(['golden_cross', 'rsi_dip', 'bollinger_breakout', 'atr_trailing_stop']);
  });

  it.each(RULE_TEMPLATES.map((t) => [t.id, t.document] as const))('%s is a valid document that parses to itself', (_id, document) => {
    expect(RuleDocument.parse(document)).toEqual(document);
  });

  it('gives the RSI dip its trend filter only when asked', () => {
    const plain = rsiDipRules({ period: 14, low: 30, high: 70, trendSma: null, takeProfitPct: null, maxHoldingDays: null, percent: 25 });
    expect(plain.rule_sets[0]!.entries[0]!.when).toEqual({
      kind: 'compare',
      left: { kind: 'rsi', period: 14 },
      op: 'below',
      right: { kind: 'constant', value: 30 },
    });
    expect(RuleDocument.parse(smaCrossoverRules(10, 30, 10))).toEqual(smaCrossoverRules(10, 30, 10));
  });
});

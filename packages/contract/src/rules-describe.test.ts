import { describe, expect, it } from 'vitest';
import { RULE_TEMPLATES, RuleDocument, describeCondition, describeRuleDocument, operandLabel, type Condition, type RuleTemplate } from './index.js';

const template = (id: RuleTemplate['id']) => RULE_TEMPLATES.find((t) => t.id === id)!.document;

describe('describeRuleDocument', () => {
  it('tells the RSI dip template as a new user would say it', () => {
    expect(describeRuleDocument(template('rsi_dip'))).toEqual([
      {
        title: 'Every symbol of the model',
        sentences: [
          'Entry rule 1: buy 25% of equity when RSI(14) is below 30 and the last close is above SMA(200).',
          'Exit rule 1: sell the whole position when RSI(14) is above 70.',
          "Take-profit: sell the whole position when today's open is 8% or more above the entry price.",
          'Time stop: sell the whole position after 10 days held.',
        ],
      },
    ]);
  });

  it('tells risk-based sizing and an ATR trailing stop', () => {
    expect(describeRuleDocument(template('atr_trailing_stop'))[0]!.sentences).toEqual([
      'Entry rule 1: buy as many shares as risk 1% of equity with a stop 2 × ATR(14) below the entry price when EMA(20) crosses above EMA(50).',
      "ATR trailing stop: sell the whole position when today's open is 3 × ATR(14) or more below the highest high since entry.",
    ]);
  });

  it('names each rule set by its symbols, the catch-all one as every other symbol', () => {
    const doc = RuleDocument.parse({
      version: 1,
      rule_sets: [
        {
          symbols: ['ACME', 'BOLT'],
          entries: [{ when: { kind: 'compare', left: { kind: 'price', field: 'open' }, op: 'below', right: { kind: 'price', field: 'low' } }, buy: { kind: 'shares', quantity: 1 } }],
          exits: [{ when: { kind: 'compare', left: { kind: 'position', field: 'held_days' }, op: 'above', right: { kind: 'constant', value: 3 } }, sell: { kind: 'part', percent: 50 } }],
          stops: { stop_loss_pct: 5, trailing_stop_pct: 12.5, max_holding_days: 1 },
        },
        { entries: [{ when: { kind: 'compare', left: { kind: 'price', field: 'close' }, op: 'above', right: { kind: 'constant', value: 1500 } }, buy: { kind: 'cash', amount: 2500 } }] },
      ],
    });
    expect(describeRuleDocument(doc)).toEqual([
      {
        title: 'Rule set 1: ACME, BOLT',
        sentences: [
          "Entry rule 1: buy 1 share when today's open is below the last low.",
          'Exit rule 1: sell 50% of the position when the number of days held is above 3.',
          "Stop-loss: sell the whole position when today's open is 5% or more below the entry price.",
          "Trailing stop: sell the whole position when today's open is 12.5% or more below the highest high since entry.",
          'Time stop: sell the whole position after 1 day held.',
        ],
      },
      { title: 'Rule set 2: every other symbol of the model', sentences: ['Entry rule 1: buy for 2,500 in cash when the last close is above 1,500.'] },
    ]);
  });
});

describe('describeCondition', () => {
  it('brackets nested groups and reads a one-condition group as its condition', () => {
    const macd: Condition = {
      kind: 'compare',
      left: { kind: 'macd', fast: 12, slow: 26, signal: 9, line: 'macd' },
      op: 'crosses_above',
      right: { kind: 'macd', fast: 12, slow: 26, signal: 9, line: 'signal' },
    };
    const rsiBand: Condition = { kind: 'between', value: { kind: 'rsi', period: 14 }, low: { kind: 'constant', value: 40 }, high: { kind: 'constant', value: 60 } };
    const volume: Condition = { kind: 'compare', left: { kind: 'price', field: 'volume' }, op: 'above', right: { kind: 'volume_sma', period: 20 } };
    const condition: Condition = { kind: 'all', conditions: [{ kind: 'any', conditions: [macd, rsiBand] }, { kind: 'all', conditions: [volume] }] };

    expect(describeCondition(condition)).toBe(
      '(MACD(12,26,9) crosses above MACD signal(12,26,9) or RSI(14) is between 40 and 60) and the last volume is above volume SMA(20)',
    );
  });

  it('labels every operand kind', () => {
    expect(
      [
        { kind: 'bollinger', period: 20, stddev: 2.5, band: 'lower' },
        { kind: 'roc', period: 10 },
        { kind: 'atr', period: 14 },
        { kind: 'macd', fast: 12, slow: 26, signal: 9, line: 'histogram' },
        { kind: 'position', field: 'unrealised_pl_pct' },
        { kind: 'constant', value: -0.125 },
      ].map((op) => operandLabel(op as Parameters<typeof operandLabel>[0])),
    ).toEqual(['Bollinger lower(20,2.5)', 'ROC(10) %', 'ATR(14)', 'MACD histogram(12,26,9)', 'P/L %', '-0.125']);
  });
});

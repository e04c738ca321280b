import { describe, expect, it } from 'vitest';
import type { Condition, Operand } from '@tradewire/contract';
import { evaluateCondition } from './evaluate.js';
import type { Readings } from './market-series.js';

/** Readings of a day: RSI(14) 45, SMA(200) not ready yet, close 101.2 (99 a bar earlier), 12 days held. */
const DAY: Readings = {
  now: (op: Operand) => {
    if (op.kind === 'constant') return { value: op.value };
    if (op.kind === 'rsi') return { value: 45 };
    if (op.kind === 'price') return { value: 101.2 };
    if (op.kind === 'position') return { value: 12 };
    return { missing: 'SMA(200) not ready (57 of 200 bars)' };
  },
  before: (op: Operand) => (op.kind === 'constant' ? { value: op.value } : op.kind === 'price' ? { value: 99 } : { missing: 'RSI(14) not ready (14 of 16 bars)' }),
};

const rsiBelow = (value: number): Condition => ({ kind: 'compare', left: { kind: 'rsi', period: 14 }, op: 'below', right: { kind: 'constant', value } });
const closeAboveSma: Condition = { kind: 'compare', left: { kind: 'price', field: 'close' }, op: 'above', right: { kind: 'sma', period: 200 } };

describe('evaluateCondition', () => {
  it('is unknown while a value is missing, and says which', () => {
    expect(evaluateCondition(closeAboveSma, DAY)).toEqual({ truth: null, text: 'SMA(200) not ready (57 of 200 bars)' });
  });

  it('lets a known false decide an AND and a known true decide an OR, whatever is missing', () => {
    expect(evaluateCondition({ kind: 'all', conditions: [closeAboveSma, rsiBelow(30)] }, DAY)).toEqual({ truth: false, text: 'RSI(14) 45.00 ≥ 30' });
    expect(evaluateCondition({ kind: 'any', conditions: [closeAboveSma, rsiBelow(50)] }, DAY)).toMatchObject({ truth: true, text: 'RSI(14) 45.00 < 50' });
    expect(evaluateCondition({ kind: 'all', conditions: [rsiBelow(50), closeAboveSma] }, DAY).truth).toBeNull();
  });

  it('brackets a nested group that joins several conditions', () => {
    const held: Condition = { kind: 'compare', left: { kind: 'position', field: 'held_days' }, op: 'above', right: { kind: 'constant', value: 10 } };
    const band: Condition = { kind: 'between', value: { kind: 'rsi', period: 14 }, low: { kind: 'constant', value: 40 }, high: { kind: 'constant', value: 60 } };
    const verdict = evaluateCondition({ kind: 'all', conditions: [{ kind: 'any', conditions: [held, band] }, rsiBelow(50)] }, DAY);

    expect(verdict).toMatchObject({ truth: true, text: '(held days 12 > 10 OR RSI(14) 45.00 between 40 and 60) AND RSI(14) 45.00 < 50' });
  });

  it('crosses only when the order flips between the two bars', () => {
    const crossesAbove = (value: number): Condition => ({ kind: 'compare', left: { kind: 'price', field: 'close' }, op: 'crosses_above', right: { kind: 'constant', value } });

    expect(evaluateCondition(crossesAbove(100), DAY)).toEqual({ truth: true, text: 'close 101.20 crossed above 100 (was 99.00 ≤ 100.00)' });
    expect(evaluateCondition(crossesAbove(98), DAY)).toEqual({ truth: false, text: 'close 101.20 > 98 already a bar ago, no cross above' });
    expect(evaluateCondition(crossesAbove(102), DAY)).toEqual({ truth: false, text: 'close 101.20 ≤ 102, no cross above' });
    const rsiCross: Condition = { kind: 'compare', left: { kind: 'rsi', period: 14 }, op: 'crosses_above', right: { kind: 'constant', value: 40 } };
    expect(evaluateCondition(rsiCross, DAY)).toEqual({ truth: null, text: 'RSI(14) not ready (14 of 16 bars)' });
  });
});

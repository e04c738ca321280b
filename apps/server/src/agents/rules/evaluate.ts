import { operandLabel, plainNumber, type Condition, type Operand } from '@tradewire/contract';
import type { Reading, Readings } from './market-series.js';

/**
 * What a condition came to: true, false, or null when a value it needs is not known yet (an
 * indicator still warming up). Only `true` fires a rule. `text` names the values that decided it:
 * for true the ones that fired it, for false the ones that stopped it, for null what is missing.
 */
export interface Verdict {
  truth: boolean | null;
  text: string;
  /** The text joins several conditions, so a parent brackets it. */
  compound?: boolean;
}

/** A value as decisions quote it: constants as written, counts whole, prices and indicators to cents. */
function valueText(op: Operand, value: number): string {
  if (op.kind === 'constant') return plainNumber(value);
  if (op.kind === 'position' && op.field === 'held_days') return `${operandLabel(op)} ${value}`;
  if ((op.kind === 'price' && op.field === 'volume') || op.kind === 'volume_sma') return `${operandLabel(op)} ${plainNumber(Math.round(value))}`;
  return `${operandLabel(op)} ${value.toFixed(2)}`;
}

const numberOf = (reading: Reading): number | undefined => ('value' in reading ? reading.value : undefined);
const firstMissing = (readings: Reading[]): string => readings.map((r) => ('missing' in r ? r.missing : '')).find(Boolean) ?? '';

function compare(c: Extract<Condition, { kind: 'compare' }>, r: Readings): Verdict {
  const nowReadings = [r.now(c.left), r.now(c.right)];
  const [left, right] = nowReadings.map(numberOf);
  if (left === undefined || right === undefined) return { truth: null, text: firstMissing(nowReadings) };
  const l = valueText(c.left, left);
  const rt = valueText(c.right, right);
  switch (c.op) {
    case 'above':
      return left > right ? { truth: true, text: `${l} > ${rt}` } : { truth: false, text: `${l} ≤ ${rt}` };
    case 'below':
      return left < right ? { truth: true, text: `${l} < ${rt}` } : { truth: false, text: `${l} ≥ ${rt}` };
    case 'crosses_above':
    case 'crosses_below': {
      const upward = c.op === 'crosses_above';
      const direction = upward ? 'above' : 'below';
      // A cross needs the order to flip between the two bars: no flip is false even if yesterday is unknown.
      if (upward ? left <= right : left >= right) return { truth: false, text: `${l} ${upward ? '≤' : '≥'} ${rt}, no cross ${direction}` };
      const beforeReadings = [r.before(c.left), r.before(c.right)];
      const [leftBefore, rightBefore] = beforeReadings.map(numberOf);
      if (leftBefore === undefined || rightBefore === undefined) return { truth: null, text: firstMissing(beforeReadings) };
      const was = `${leftBefore.toFixed(2)} ${upward ? '≤' : '≥'} ${rightBefore.toFixed(2)}`;
      const crossed = upward ? leftBefore <= rightBefore : leftBefore >= rightBefore;
      return crossed
        ? { truth: true, text: `${l} crossed ${direction} ${rt} (was ${was})` }
        : { truth: false, text: `${l} ${upward ? '>' : '<'} ${rt} already a bar ago, no cross ${direction}` };
    }
  }
}

function between(c: Extract<Condition, { kind: 'between' }>, r: Readings): Verdict {
  const readings = [r.now(c.value), r.now(c.low), r.now(c.high)];
  const [value, low, high] = readings.map(numberOf);
  if (value === undefined || low === undefined || high === undefined) return { truth: null, text: firstMissing(readings) };
  const range = `${valueText(c.value, value)} ${low <= value && value <= high ? '' : 'not '}between ${valueText(c.low, low)} and ${valueText(c.high, high)}`;
  return { truth: low <= value && value <= high, text: range };
}

function group(c: Extract<Condition, { kind: 'all' | 'any' }>, r: Readings): Verdict {
  const verdicts = c.conditions.map((child) => evaluateCondition(child, r));
  const texts = (truth: boolean | null) => verdicts.filter((v) => v.truth === truth).map((v) => (v.compound ? `(${v.text})` : v.text));
  // Three-valued logic: a known false decides an AND, a known true decides an OR, whatever is missing.
  const [decisive, joiner] = c.kind === 'all' ? ([false, ' AND '] as const) : ([true, ' OR '] as const);
  const decided = texts(decisive);
  // An AND is stopped by its first false condition; an OR is fired by every true one.
  if (decided.length > 0) return c.kind === 'all' ? { truth: false, text: decided[0]! } : { truth: true, text: decided.join(joiner), compound: decided.length > 1 };
  const unknown = texts(null);
  if (unknown.length > 0) return { truth: null, text: unknown[0]! };
  const rest = texts(!decisive);
  return { truth: !decisive, text: rest.join(c.kind === 'all' ? joiner : ' and '), compound: rest.length > 1 };
}

/** Evaluates a condition on the values of the day being decided. */
export function evaluateCondition(c: Condition, r: Readings): Verdict {
  switch (c.kind) {
    case 'compare':
      return compare(c, r);
    case 'between':
      return between(c, r);
    case 'all':
    case 'any':
      return group(c, r);
  }
}

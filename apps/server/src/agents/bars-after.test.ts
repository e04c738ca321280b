import type { Bar } from '@tradewire/contract';
import { describe, expect, it } from 'vitest';
import { barsAfter } from './bars-after.js';

const bar = (date: string): Bar => ({ date, open: 1, high: 1, low: 1, close: 1, volume: 1 });
const dates = (bars: readonly Bar[]) => bars.map((b) => b.date);

describe('barsAfter', () => {
  const history = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'].map(bar);

  it('gives every bar to a strategy that has seen none', () => {
    expect(dates(barsAfter(history, undefined))).toEqual(dates(history));
  });

  it('gives only the bars dated after the last one seen', () => {
    expect(dates(barsAfter(history, '2024-01-03'))).toEqual(['2024-01-04', '2024-01-05']);
    expect(dates(barsAfter(history, '2024-01-05'))).toEqual([]);
  });

  it('finds new bars by date when the history is a trailing window', () => {
    expect(dates(barsAfter(history.slice(2), '2024-01-04'))).toEqual(['2024-01-05']);
  });
});

import { describe, expect, it } from 'vitest';
import type { IndicatorLine } from '@tradewire/contract';
import { chartIndicators, indicatorsText } from './chart-indicators';

const line = (name: string, pane: IndicatorLine['pane'], dates: string[], thresholds?: number[]): IndicatorLine => ({
  name,
  pane,
  points: dates.map((date, i) => ({ date, value: 100 + i })),
  ...(thresholds ? { thresholds } : {}),
});

describe('chart indicators', () => {
  const days = new Set(['2026-03-02', '2026-03-03', '2026-03-04']);

  it('keeps only the points on days with a candle (the warm-up before the run is not drawn), each line in its own colour', () => {
    const lines = chartIndicators([line('SMA5', 'price', ['2026-02-27', '2026-03-02', '2026-03-03']), line('SMA20', 'price', ['2026-03-03', '2026-03-04'])], days);
    expect(lines.map((l) => l.points.map((p) => p.date))).toEqual([['2026-03-02', '2026-03-03'], ['2026-03-03', '2026-03-04']]);
    expect(lines[0]!.color).not.toBe(lines[1]!.color);
    expect(lines[0]!.byDate.get('2026-03-03')).toBe(102);
    expect(lines[0]!.byDate.has('2026-02-27')).toBe(false);
    expect(chartIndicators(undefined, days)).toEqual([]);
  });

  it('describes the lines and the RSI thresholds in words', () => {
    const sma = chartIndicators([line('SMA5', 'price', []), line('SMA20', 'price', [])], days);
    expect(indicatorsText(sma, String)).toBe('SMA5 and SMA20 drawn over the prices');
    const rsi = chartIndicators([line('RSI14', 'oscillator', [], [30, 70])], days);
    expect(indicatorsText(rsi, String)).toBe('RSI14 in its own pane with thresholds 30 and 70');
    expect(indicatorsText([], String)).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import type { Bar } from '@tradewire/contract';
import { packBars, unpackBars } from './intraday-codec.js';

const minuteBars = (n: number, start = Date.parse('2026-11-27T14:30:00Z'), base = 187.1234): Bar[] =>
  Array.from({ length: n }, (_, i) => {
    const open = Math.round((base + Math.sin(i / 9) * 2) * 1e4) / 1e4;
    const close = Math.round((open + Math.cos(i / 5) * 0.3) * 1e4) / 1e4;
    return {
      date: `${new Date(start + i * 60_000).toISOString().slice(0, 19)}Z`,
      open,
      high: Math.max(open, close) + 0.05,
      low: Math.min(open, close) - 0.05,
      close,
      volume: 1000 + i * 37,
    };
  });

describe('packed intraday bars', () => {
  it('come back exactly (to 4 decimals), with their start instants, from a fraction of the raw size', () => {
    const bars = minuteBars(390);
    const packed = packBars(bars);
    const back = unpackBars(packed);
    expect(back.map((b) => b.date)).toEqual(bars.map((b) => b.date));
    back.forEach((b, i) => {
      for (const k of ['open', 'high', 'low', 'close'] as const) expect(b[k]).toBeCloseTo(bars[i]![k], 4);
      expect(b.volume).toBe(bars[i]!.volume);
    });
    // A row per bar would be ~100 bytes each; packed, a day of minutes is a few kilobytes.
    expect(packed.byteLength).toBeLessThan(390 * 30);
  });

  it('keeps gaps in the day (a halted minute) and prices past $214,748 at cents', () => {
    const bars = minuteBars(5, undefined, 612_345.67).filter((_, i) => i !== 2);
    const back = unpackBars(packBars(bars));
    expect(back.map((b) => b.date)).toEqual(bars.map((b) => b.date));
    back.forEach((b, i) => expect(b.close).toBeCloseTo(bars[i]!.close, 2));
  });

  it('packs an empty day', () => {
    expect(unpackBars(packBars([]))).toEqual([]);
  });
});

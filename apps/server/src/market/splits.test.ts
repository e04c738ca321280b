import { describe, expect, it } from 'vitest';
import type { Bar } from '@tradewire/contract';
import { weekdays } from './calendar.js';
import { backAdjust, detectSplits } from './splits.js';

const DAYS = weekdays('2025-01-06', '2025-12-31');
const round2 = (x: number) => Math.round(x * 100) / 100;

/** mulberry32: the same pseudo-random numbers on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Shock {
  /** The day's open against the close before it, e.g. 0.7 for a 30 % gap down. */
  gap: number;
  /** Volume multiplier on that day and the days after it, e.g. [6, 3, 1.5]. */
  volume?: number[];
  /** Volumes from this day on are multiplied by this (shares after a split). */
  volumeFactor?: number;
}

/**
 * A daily series as traded: a random walk of ±2 % days, small overnight gaps and a million shares
 * a day, with shocks on chosen days.
 */
function series(first: number, shocks: Record<number, Shock>, seed = 7): Bar[] {
  const next = random(seed);
  const bars: Bar[] = [];
  let close = first;
  let volumeFactor = 1;
  const volumeBumps = new Map<number, number>();
  DAYS.forEach((date, i) => {
    const shock = shocks[i];
    let open = close * (1 + (next() - 0.5) * 0.01);
    if (shock) {
      open = close * shock.gap;
      volumeFactor *= shock.volumeFactor ?? 1;
      shock.volume?.forEach((m, k) => volumeBumps.set(i + k, m));
    }
    close = open * (1 + (next() - 0.5) * 0.04);
    const high = Math.max(open, close) * (1 + next() * 0.01);
    const low = Math.min(open, close) * (1 - next() * 0.01);
    const volume = Math.round(1_000_000 * (0.8 + next() * 0.4) * (volumeBumps.get(i) ?? 1) * volumeFactor);
    bars.push({ date, open: round2(open), high: round2(high), low: round2(low), close: round2(close), volume });
  });
  return bars;
}

describe('detectSplits', () => {
  // 1348.10 -> 90.00 overnight as in the file, then a 1:10 reverse split.
  const split15 = 40;
  const reverse10 = 120;
  const traded = series(1300, {
    [split15]: { gap: 90 / 1348.1, volumeFactor: 15 },
    [reverse10]: { gap: 10, volumeFactor: 0.1 },
  });

  it('finds a 15:1 split and a 1:10 reverse split with their dates and prices', () => {
    expect(detectSplits(traded)).toEqual([
      {
        date: DAYS[split15],
        ratio: '15:1',
        factor: 15,
        previous_date: DAYS[split15 - 1],
        previous_close: traded[split15 - 1]!.close,
        open: traded[split15]!.open,
      },
      {
        date: DAYS[reverse10],
        ratio: '1:10',
        factor: 0.1,
        previous_date: DAYS[reverse10 - 1],
        previous_close: traded[reverse10 - 1]!.close,
        open: traded[reverse10]!.open,
      },
    ]);
  });

  it('back-adjusts earlier prices by the ratio and volumes inversely, leaving a series with no split in it', () => {
    const splits = detectSplits(traded);
    const adjusted = backAdjust(traded, splits);
    // Before the 15:1 split both splits apply (/15, then x10): prices x 2/3, volume x 1.5.
    const early = traded[10]!;
    expect(adjusted[10]).toEqual({
      date: early.date,
      open: round6(early.open / 1.5),
      high: round6(early.high / 1.5),
      low: round6(early.low / 1.5),
      close: round6(early.close / 1.5),
      volume: round6(early.volume * 1.5),
    });
    // Between them only the reverse split applies: x10, volume / 10.
    expect(adjusted[split15 + 5]!.close).toBeCloseTo(traded[split15 + 5]!.close * 10, 6);
    expect(adjusted[split15 + 5]!.volume).toBeCloseTo(traded[split15 + 5]!.volume / 10, 6);
    expect(adjusted.slice(reverse10)).toEqual(traded.slice(reverse10));
    // The overnight moves across the splits are now ordinary ones.
    for (const i of [split15, reverse10]) expect(Math.abs(adjusted[i]!.open / adjusted[i - 1]!.close - 1)).toBeLessThan(0.01);
    expect(detectSplits(adjusted)).toEqual([]);
  });

  it('takes no real ±30 % move, nor a 50 % crash or a 33 % drop on heavy volume, for a split', () => {
    const news = [6, 3, 2, 1.5, 1.3];
    const clean = series(80, {
      30: { gap: 0.7, volume: news },
      70: { gap: 1.3, volume: news },
      110: { gap: 0.5, volume: news },
      150: { gap: 2 / 3, volume: news },
      190: { gap: 2, volume: news },
    });
    expect(clean[30]!.open / clean[29]!.close).toBeCloseTo(0.7, 2);
    expect(clean[110]!.open / clean[109]!.close).toBeCloseTo(0.5, 2);
    expect(detectSplits(clean)).toEqual([]);
  });

  it('finds a 2:1 split, which prices alone cannot tell from a 50 % crash, by the volume that doubles with the shares', () => {
    const bars = series(200, { 60: { gap: 0.5, volumeFactor: 2 } });
    expect(detectSplits(bars)).toMatchObject([{ date: DAYS[60], ratio: '2:1', factor: 2 }]);
    // Without volume there is only the price to go by: reported, for the importer to decide.
    const noVolume = bars.map((b) => ({ ...b, volume: 0 }));
    expect(detectSplits(noVolume)).toMatchObject([{ date: DAYS[60], ratio: '2:1' }]);
  });

  it('ignores a bad opening print whose close is back on the old level', () => {
    const bars = series(100, {});
    bars[50] = { ...bars[50]!, open: round2(bars[49]!.close / 10), low: round2(bars[49]!.close / 10) };
    expect(detectSplits(bars)).toEqual([]);
  });
});

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '@tradewire/contract';
import { MarketWindow } from './market-window.js';

const bar = (date: string, open: number, close: number): Bar => ({ date, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: 100 });

describe('MarketWindow', () => {
  it('shows complete bars strictly before the day and only the day’s open', () => {
    const bars = new Map([
      ['ACME', [bar('2026-01-02', 10, 11), bar('2026-01-05', 12, 13), bar('2026-01-06', 14, 15)]],
      ['BOLT', [bar('2026-01-02', 50, 51), bar('2026-01-06', 52, 53)]],
    ]);
    const window = new MarketWindow(['ACME', 'BOLT'], bars);

    const monday = window.advance('2026-01-05');
    expect(monday.history.get('ACME')!.map((b) => b.date)).toEqual(['2026-01-02']);
    expect(monday.open).toEqual(new Map([['ACME', 12]]));
    expect(monday.lastClose).toEqual(new Map([['ACME', 11], ['BOLT', 51]]));
    expect(monday.close).toEqual(new Map([['ACME', 13]]));

    const tuesday = window.advance('2026-01-06');
    expect(tuesday.history.get('ACME')!.map((b) => b.date)).toEqual(['2026-01-02', '2026-01-05']);
    expect(tuesday.history.get('BOLT')!.map((b) => b.date)).toEqual(['2026-01-02']);
    expect(tuesday.open).toEqual(new Map([['ACME', 14], ['BOLT', 52]]));
    expect(tuesday.lastClose.get('ACME')).toBe(13);
  });

  it('never lets a decision see a price from its own day or later (property)', () => {
    const series = fc.array(fc.tuple(fc.integer({ min: 1, max: 400 }), fc.double({ min: 1, max: 1000, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(series, series, (a, b) => {
        // Per symbol: a bar on some of 400 possible days; both symbols share one calendar.
        const toBars = (s: typeof a) =>
          [...new Map(s.filter(([, , has]) => has).map(([day, price]) => [day, price])).entries()]
            .sort(([x], [y]) => x - y)
            .map(([day, price]) => bar(`2026-${String(day).padStart(3, '0')}`, price, price * 1.01));
        const bars = new Map([
          ['A', toBars(a)],
          ['B', toBars(b)],
        ]);
        const calendar = [...new Set([...bars.values()].flat().map((x) => x.date))].sort();
        const window = new MarketWindow(['A', 'B'], bars);
        for (const date of calendar) {
          const day = window.advance(date);
          for (const [symbol, history] of day.history) {
            expect(history.every((h) => h.date < date)).toBe(true);
            // Complete: every earlier bar is there, in order.
            expect(history.map((h) => h.date)).toEqual(bars.get(symbol)!.filter((x) => x.date < date).map((x) => x.date));
            const today = bars.get(symbol)!.find((x) => x.date === date);
            expect(day.open.get(symbol)).toBe(today?.open);
            expect(day.lastClose.get(symbol)).toBe(history.at(-1)?.close);
          }
        }
      }),
    );
  });
});

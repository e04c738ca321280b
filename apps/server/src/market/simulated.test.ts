import { describe, expect, it } from 'vitest';
import { SIMULATION_END, simulateMarket } from './simulated.js';

const market = simulateMarket(7, 3);
const closes = (symbol: string) => market.bars.get(symbol)!.map((b) => b.close);
const logReturns = (prices: number[]) => prices.slice(1).map((p, i) => Math.log(p / prices[i]!));

function correlation(a: number[], b: number[]) {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(a);
  const mb = mean(b);
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

describe('simulated market', () => {
  it('is the same market for the same seed and a different one for another seed', () => {
    const again = simulateMarket(7, 3);
    expect([...again.bars.entries()]).toEqual([...market.bars.entries()]);
    const other = simulateMarket(8, 3);
    expect(other.bars.get('ZNTH')).not.toEqual(market.bars.get('ZNTH'));
  });

  it('lists about 30 fictional tickers, each with a name, a sector and source simulated', () => {
    expect(market.symbols.length).toBe(30);
    expect(new Set(market.symbols.map((s) => s.symbol)).size).toBe(30);
    for (const s of market.symbols) {
      expect(s.name).not.toBe('');
      expect(s.sector).not.toBe('');
      expect(s.source).toBe('simulated');
      expect(market.bars.get(s.symbol)!.length).toBe(market.calendar.length);
    }
  });

  it('trades on weekdays only, `years` years ending on the fixed last day', () => {
    expect(market.calendar.at(-1)).toBe(SIMULATION_END);
    expect(market.calendar[0]).toBe('2023-10-31');
    for (const date of market.calendar) {
      const day = new Date(`${date}T00:00:00Z`).getUTCDay();
      expect(day, date).toBeGreaterThanOrEqual(1);
      expect(day, date).toBeLessThanOrEqual(5);
    }
    expect(new Set(market.calendar).size).toBe(market.calendar.length);
    expect([...market.calendar].sort()).toEqual(market.calendar);
    expect(simulateMarket(7, 10).calendar[0]).toBe('2016-10-31');
  });

  it('keeps every bar consistent: high above, low below open and close, cents, positive volume', () => {
    const isCents = (p: number) => Math.round(p * 100) / 100 === p;
    const broken = [...simulateMarket(123, 10).bars.values()].flat().filter(
      (b) =>
        !(b.high >= Math.max(b.open, b.close)) ||
        !(b.low <= Math.min(b.open, b.close)) ||
        !(b.low > 0) ||
        ![b.open, b.high, b.low, b.close].every(isCents) ||
        !(Number.isInteger(b.volume) && b.volume > 0),
    );
    expect(broken).toEqual([]);
  });

  it('moves tickers together through a common market factor', () => {
    const returns = market.symbols.map((s) => logReturns(closes(s.symbol)));
    const pairs: number[] = [];
    for (let i = 0; i < returns.length; i++) {
      for (let j = i + 1; j < returns.length; j++) pairs.push(correlation(returns[i]!, returns[j]!));
    }
    const average = pairs.reduce((s, x) => s + x, 0) / pairs.length;
    expect(average).toBeGreaterThan(0.15);
    expect(Math.min(...pairs)).toBeGreaterThan(0);
  });

  it('clusters volatility: big moves follow big moves', () => {
    // Squared market returns are autocorrelated under GARCH, not under constant volatility.
    const index = market.calendar.map((_, d) => market.symbols.reduce((s, sym) => s + Math.log(market.bars.get(sym.symbol)![d]!.close), 0));
    const squared = logReturns(index.map(Math.exp)).map((r) => r * r);
    expect(correlation(squared.slice(1), squared.slice(0, -1))).toBeGreaterThan(0.05);
  });

  it('hands out frozen bars so no caller can change the shared market', () => {
    const bar = market.bars.get('ZNTH')![0]!;
    expect(() => {
      (bar as { close: number }).close = 1;
    }).toThrow(TypeError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvBars } from './csv.js';

const HEADER = 'date,open,high,low,close,volume';

describe('parseCsvBars', () => {
  it('reads bars oldest first, headers in any case and order, extra columns ignored', () => {
    const text = ['Date,Close,Adj Close,Volume,Open,High,Low', '2024-01-03,11,10.9,2000,10.5,11.5,10', '2024-01-02,10,9.9,1500,10,10.5,9.5', ''].join('\n');
    expect(parseCsvBars(text, { symbol: 'aapl' })).toEqual([
      {
        symbol: 'AAPL',
        bars: [
          { date: '2024-01-02', open: 10, high: 10.5, low: 9.5, close: 10, volume: 1500 },
          { date: '2024-01-03', open: 10.5, high: 11.5, low: 10, close: 11, volume: 2000 },
        ],
      },
    ]);
  });

  it('splits a file with a symbol column into one series per symbol, the column winning over the given symbol', () => {
    const text = ['symbol,' + HEADER, 'abc,2024-01-02,1,2,1,2,10', 'XYZ,2024-01-02,5,6,4,5,20', 'ABC,2024-01-03,2,3,2,3,30'].join('\r\n');
    const series = parseCsvBars(text, { symbol: 'IGNORED' });
    expect(series.map((s) => [s.symbol, s.bars.map((b) => b.date)])).toEqual([
      ['ABC', ['2024-01-02', '2024-01-03']],
      ['XYZ', ['2024-01-02']],
    ]);
  });

  it('reads back any consistent bars written as CSV, in any row order', () => {
    // Prices in whole cents so the written decimals are exact.
    const bar = fc
      .record({
        day: fc.integer({ min: 0, max: 30_000 }),
        open: fc.integer({ min: 1, max: 10_000_000 }),
        close: fc.integer({ min: 1, max: 10_000_000 }),
        up: fc.integer({ min: 0, max: 100_000 }),
        down: fc.integer({ min: 0, max: 100_000 }),
        volume: fc.nat(),
      })
      .map((b) => ({
        date: new Date(Date.UTC(1990, 0, 1) + b.day * 86_400_000).toISOString().slice(0, 10),
        open: b.open / 100,
        high: (Math.max(b.open, b.close) + b.up) / 100,
        low: Math.max(1, Math.min(b.open, b.close) - b.down) / 100,
        close: b.close / 100,
        volume: b.volume,
      }));
    fc.assert(
      fc.property(fc.uniqueArray(bar, { minLength: 1, maxLength: 40, selector: (b) => b.date }), (bars) => {
        const rows = bars.map((b) => [b.date, b.open, b.high, b.low, b.close, b.volume].join(','));
        const [series] = parseCsvBars([HEADER, ...rows].join('\n'), { symbol: 'PROP' });
        expect(series!.bars).toEqual([...bars].sort((a, b) => a.date.localeCompare(b.date)));
      }),
    );
  });

  it('accepts a byte-order mark and quoted fields', () => {
    const text = '\uFEFF' + HEADER + '\n"2024-01-02","1.5","2","1","1.75","1000"\n';
    expect(parseCsvBars(text, { symbol: 'Q' })[0]!.bars[0]).toEqual({ date: '2024-01-02', open: 1.5, high: 2, low: 1, close: 1.75, volume: 1000 });
  });

  const rejects = (lines: string[], message: string, opts: { file?: string; symbol?: string } = { file: 'T.csv', symbol: 'T' }) =>
    expect(() => parseCsvBars(lines.join('\n'), opts)).toThrow(message);

  it.each([
    ['a bad number', [HEADER, '2024-01-02,1,2,1,2,100', '2024-01-03,1,2,abc,2,100'], "T.csv line 3: bad number \"abc\" in low"],
    ['a number with a thousands separator', [HEADER, '2024-01-02,1,2,1,2,"1,000"'], 'T.csv line 2: bad number "1,000" in volume'],
    ['an empty field', [HEADER, '2024-01-02,,2,1,2,100'], 'T.csv line 2: open is missing'],
    ['high below low', [HEADER, '2024-01-02,1,1,2,1.5,100'], 'T.csv line 2: high 1 is below low 2'],
    ['high below the close', [HEADER, '2024-01-02,1,2,1,3,100'], 'T.csv line 2: high 2 is below close 3'],
    ['low above the open', [HEADER, '2024-01-02,1,3,1.5,2,100'], 'T.csv line 2: low 1.5 is above open 1'],
    ['a zero price', [HEADER, '2024-01-02,0,2,1,2,100'], 'T.csv line 2: open must be greater than 0, got 0'],
    ['a negative volume', [HEADER, '2024-01-02,1,2,1,2,-5'], 'T.csv line 2: volume must not be negative, got -5'],
    ['a duplicate date', [HEADER, '2024-01-02,1,2,1,2,100', '', '2024-01-02,1,2,1,2,100'], 'T.csv line 4: duplicate date 2024-01-02 for T (first on line 2)'],
    ['a date in another format', [HEADER, '01/02/2024,1,2,1,2,100'], 'T.csv line 2: bad date "01/02/2024" (expected YYYY-MM-DD)'],
    ['a date that does not exist', [HEADER, '2023-02-29,1,2,1,2,100'], 'T.csv line 2: bad date "2023-02-29"'],
    ['a missing column', ['date,open,high,low,close', '2024-01-02,1,2,1,2'], 'T.csv line 1: missing column volume'],
    ['a ragged row', [HEADER, '2024-01-02,1,2,1,2'], 'T.csv: not valid CSV: Invalid Record Length: expect 6, got 5 on line 2'],
    ['a bad symbol in the symbol column', ['symbol,' + HEADER, 'BAD SYM,2024-01-02,1,2,1,2,100'], 'T.csv line 2: symbol "BAD SYM" must be a ticker symbol'],
    ['no rows', [HEADER], 'T.csv: no bars after the header row'],
    ['an empty file', [''], 'T.csv: empty file'],
  ])('rejects %s, naming the line', (_reason, lines, message) => rejects(lines, message));

  it('rejects a file without a symbol column when no symbol is given', () => {
    rejects([HEADER, '2024-01-02,1,2,1,2,100'], 'no symbol column and no symbol given', { file: 'x.csv' });
  });

  it('names only the line when there is no file name', () => {
    rejects([HEADER, '2024-01-02,1,2,1,x,100'], 'line 2: bad number "x" in close', { symbol: 'T' });
  });
});

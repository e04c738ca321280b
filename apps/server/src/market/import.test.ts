import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../storage/sqlite.js';
import type { Storage } from '../storage/storage.js';
import { splitCsv } from '../test/fixtures.js';
import { importMarketFiles, parseMarketFile } from './import.js';
import { SplitsFound } from './splits.js';

const CSV = ['Date,Open,High,Low,Close,Volume', '2024-01-02,10,11,9.5,10.5,1000', '2024-01-03,10.5,12,10,11.75,1500'].join('\n');
const AV = JSON.stringify({
  'Meta Data': { '2. Symbol': 'IBM' },
  'Time Series (Daily)': {
    '2024-01-03': { '1. open': '161.0', '2. high': '161.73', '3. low': '160.08', '4. close': '160.1', '5. volume': '4086133' },
  },
});

let dir: string;
let storage: Storage;
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradewire-import-'));
  storage = await openSqlite(join(dir, 'test.db'));
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('importMarketFiles', () => {
  it('imports CSV (symbol from the file name) and Alpha Vantage JSON with source import', async () => {
    const result = await importMarketFiles(storage, [file('acme.csv', CSV), file('whatever.json', AV)]);
    expect(result.imported).toEqual([
      { symbol: 'ACME', bars: 2, from: '2024-01-02', to: '2024-01-03', splits: [], split_adjusted: false },
      { symbol: 'IBM', bars: 1, from: '2024-01-03', to: '2024-01-03', splits: [], split_adjusted: false },
    ]);
    expect(await storage.market.symbols('import')).toEqual([
      { symbol: 'ACME', name: 'ACME', sector: 'Unknown', source: 'import' },
      { symbol: 'IBM', name: 'IBM', sector: 'Unknown', source: 'import' },
    ]);
    expect(await storage.market.bars('import', 'ACME')).toEqual([
      { date: '2024-01-02', open: 10, high: 11, low: 9.5, close: 10.5, volume: 1000 },
      { date: '2024-01-03', open: 10.5, high: 12, low: 10, close: 11.75, volume: 1500 },
    ]);
  });

  it('replaces a symbol whole on re-import', async () => {
    await importMarketFiles(storage, [file('ACME.csv', CSV)]);
    await importMarketFiles(storage, [file('ACME.csv', 'date,open,high,low,close,volume\n2025-06-02,1,1,1,1,1\n')]);
    expect((await storage.market.bars('import', 'ACME')).map((b) => b.date)).toEqual(['2025-06-02']);
  });

  it('writes nothing when one file of the batch is bad', async () => {
    await importMarketFiles(storage, [file('ACME.csv', CSV)]);
    const symbolsBefore = await storage.market.symbols('import');
    const barsBefore = await storage.market.bars('import', 'ACME');
    const batch = [
      file('NEWCO.csv', CSV),
      file('ACME.csv', 'date,open,high,low,close,volume\n2025-06-02,1,1,1,1,1\n'),
      file('BAD.csv', CSV + '\n2024-01-04,1,0.5,2,1,100'),
    ];
    await expect(importMarketFiles(storage, batch)).rejects.toThrow('BAD.csv line 4: high 0.5 is below low 2');
    expect(await storage.market.symbols('import')).toEqual(symbolsBefore);
    expect(await storage.market.bars('import', 'ACME')).toEqual(barsBefore);
    expect(await storage.market.bars('import', 'NEWCO')).toEqual([]);
  });

  it('rejects a symbol that two files of one batch both hold', async () => {
    await expect(importMarketFiles(storage, [file('IBM.csv', CSV), file('ibm-av.json', AV)])).rejects.toThrow(
      'ibm-av.json: IBM is also in IBM.csv',
    );
    expect(await storage.market.symbols('import')).toEqual([]);
  });
});

describe('parseMarketFile', () => {
  it('picks the format by extension and rejects others', () => {
    expect(parseMarketFile({ name: 'dir/Acme.CSV', content: CSV })[0]!.symbol).toBe('ACME');
    expect(() => parseMarketFile({ name: 'acme.xlsx', content: '' })).toThrow('acme.xlsx: unknown file type: expected .csv or .json');
    expect(() => parseMarketFile({ name: 'IBM.json', content: '{"Meta Data":' })).toThrow('IBM.json: not valid JSON');
    expect(() => parseMarketFile({ name: 'my data.csv', content: CSV })).toThrow('my data.csv: symbol "my data" must be a ticker symbol');
  });
});

describe('importMarketFiles with a split in the file', () => {
  const { csv, splitDate, before } = splitCsv();
  const split = { symbol: 'NFLX', date: splitDate, ratio: '15:1', factor: 15, previous_date: before.date, previous_close: 1348.1, open: 90 };

  it('refuses the whole batch, naming the split, unless told what to do', async () => {
    const batch = [file('ACME.csv', CSV), file('NFLX.csv', csv)];
    const refused = importMarketFiles(storage, batch);
    await expect(refused).rejects.toThrow(SplitsFound);
    await expect(refused).rejects.toThrow(`a split found in prices as traded: NFLX 15:1 on ${splitDate} (1348.1 -> 90)`);
    await expect(refused).rejects.toMatchObject({ splits: [split] });
    expect(await storage.market.symbols('import')).toEqual([]);
  });

  it('back-adjusts the prices before it and records the symbol as adjusted', async () => {
    const result = await importMarketFiles(storage, [file('ACME.csv', CSV), file('NFLX.csv', csv)], undefined, true);
    expect(result.imported.map((s) => [s.symbol, s.splits, s.split_adjusted])).toEqual([
      ['ACME', [], false],
      ['NFLX', [split], true],
    ]);
    const bars = await storage.market.bars('import', 'NFLX');
    const day = bars.findIndex((b) => b.date === splitDate);
    expect(bars[day - 1]).toMatchObject({ date: before.date, close: 89.873333 });
    expect(bars[day - 1]!.volume).toBe(15 * (100_000 + 19 * 10));
    expect(bars[day]!.open).toBe(90);
    expect(await storage.market.splitAdjusted('import')).toEqual([{ symbol: 'NFLX', splits: [{ date: splitDate, ratio: '15:1', factor: 15 }] }]);

    // Imported again as traded, the symbol no longer counts as adjusted.
    const kept = await importMarketFiles(storage, [file('NFLX.csv', csv)], undefined, false);
    expect(kept.imported).toMatchObject([{ symbol: 'NFLX', splits: [split], split_adjusted: false }]);
    expect((await storage.market.bars('import', 'NFLX'))[day - 1]!.close).toBe(1348.1);
    expect(await storage.market.splitAdjusted('import')).toEqual([]);
  });
});

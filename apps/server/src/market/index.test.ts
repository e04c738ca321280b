import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { openSqlite } from '../storage/sqlite.js';
import type { Storage } from '../storage/storage.js';
import { saveImport } from './import.js';
import { createMarketData, type MarketData } from './index.js';
import { SIMULATION_END } from './simulated.js';

let dir: string;
let storage: Storage;
let market: MarketData;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradewire-market-'));
  storage = await openSqlite(join(dir, 'test.db'));
  market = createMarketData(storage, loadConfig({ DATA_DIR: dir, MARKET_YEARS: '3', MARKET_SEED: '42' }));
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const bar = (date: string, close: number) => ({ date, open: close, high: close, low: close, close, volume: 10 });

describe('createMarketData', () => {
  it('serves the simulated market, sorted by symbol, with an inclusive date filter', async () => {
    const symbols = await market.symbols();
    expect(symbols).toHaveLength(30);
    expect(symbols.map((s) => s.symbol)).toEqual(symbols.map((s) => s.symbol).sort());
    const bars = await market.bars('ZNTH', '2025-03-03', '2025-03-07');
    expect(bars.map((b) => b.date)).toEqual(['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07']);
    expect(await market.bars('ZNTH', '2025-03-08', '2025-03-09')).toEqual([]);
    expect(await market.range()).toEqual({ first: '2023-10-31', last: SIMULATION_END });
  });

  it('answers unknown symbols with no bars and no info', async () => {
    expect(await market.bars('NOPE')).toEqual([]);
    expect(await market.info('NOPE')).toBeUndefined();
    expect(await market.range(['NOPE'])).toBeNull();
  });

  it('lets an imported symbol replace a simulated one of the same ticker and adds new ones', async () => {
    await saveImport(storage, [
      { symbol: 'ZNTH', bars: [bar('2024-01-02', 5), bar('2024-01-03', 6)] },
      { symbol: 'COIN2', bars: [bar('2024-01-06', 7)] },
    ]);
    const symbols = await market.symbols();
    expect(symbols).toHaveLength(31);
    expect(symbols.filter((s) => s.symbol === 'ZNTH')).toEqual([{ symbol: 'ZNTH', name: 'ZNTH', sector: 'Unknown', source: 'import' }]);
    expect(await market.info('ZNTH')).toMatchObject({ source: 'import' });
    expect(await market.info('QLLX')).toMatchObject({ source: 'simulated', sector: 'Technology' });
    expect((await market.bars('ZNTH')).map((b) => b.close)).toEqual([5, 6]);
  });

  it('builds the trading calendar as the union of the chosen symbols’ dates', async () => {
    await saveImport(storage, [{ symbol: 'COIN2', bars: [bar('2024-01-06', 7), bar('2024-01-08', 8)] }]);
    // 2024-01-06 is a Saturday: only the imported symbol trades on it.
    expect(await market.calendar('2024-01-05', '2024-01-08', ['COIN2'])).toEqual(['2024-01-06', '2024-01-08']);
    expect(await market.calendar('2024-01-05', '2024-01-08', ['QLLX'])).toEqual(['2024-01-05', '2024-01-08']);
    expect(await market.calendar('2024-01-05', '2024-01-08')).toEqual(['2024-01-05', '2024-01-06', '2024-01-08']);
    expect(await market.range(['COIN2'])).toEqual({ first: '2024-01-06', last: '2024-01-08' });
  });

  it('serves each stored data set on its own, with nothing laid under it', async () => {
    const yahoo = { name: 'nasdaq-yahoo', source: 'provider', provider: 'yahoo', adjusted: true } as const;
    await storage.market.save(yahoo, [
      { info: { symbol: 'ZNTH', name: 'Zenith', sector: 'Unknown', source: 'yahoo' }, bars: [bar('2024-01-02', 5), bar('2024-01-04', 6)] },
      { info: { symbol: 'AAPL', name: 'Apple', sector: 'Unknown', source: 'yahoo' }, bars: [bar('2024-01-03', 7)] },
    ]);
    expect(await market.forDataset('nowhere')).toBeUndefined();
    expect(await market.forDataset('simulated')).toBe(market);
    const fetched = (await market.forDataset('nasdaq-yahoo'))!;
    expect((await fetched.symbols()).map((s) => [s.symbol, s.source])).toEqual([
      ['AAPL', 'yahoo'],
      ['ZNTH', 'yahoo'],
    ]);
    expect((await fetched.bars('ZNTH')).map((b) => b.close)).toEqual([5, 6]);
    expect(await fetched.info('QLLX')).toBeUndefined();
    expect(await fetched.calendar()).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    expect(await fetched.calendar('2024-01-03', undefined, ['ZNTH'])).toEqual(['2024-01-04']);
    expect(await fetched.range(['AAPL'])).toEqual({ first: '2024-01-03', last: '2024-01-03' });
    expect(await fetched.range()).toEqual({ first: '2024-01-02', last: '2024-01-04' });
    // The default market is untouched by it.
    expect((await market.info('ZNTH'))?.source).toBe('simulated');
  });

  it('lists the simulated market first, then the stored data sets', async () => {
    await saveImport(storage, [{ symbol: 'COIN2', bars: [bar('2024-01-06', 7)] }]);
    expect(await market.datasets()).toEqual([
      { name: 'simulated', source: 'simulated', provider: null, adjusted: false, symbols: 31, first: '2023-10-31', last: SIMULATION_END },
      { name: 'import', source: 'import', provider: null, adjusted: false, symbols: 1, first: '2024-01-06', last: '2024-01-06' },
    ]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { openSqlite } from '../storage/sqlite.js';
import type { Storage } from '../storage/storage.js';
import {
  adjustmentFactor,
  fakeBar,
  fakeDays,
  fakeProviderEnv,
  startFakeAlphaVantage,
  startFakeYahoo,
  type FakeProvider,
} from '../test/fake-providers.js';
import { unixDay, weekdays } from './calendar.js';
import { fetchMarket, FetchRefused, type FetchPlan } from './fetch.js';
import { saveImport } from './import.js';
import { createProvider, type MarketDataProvider } from './providers/index.js';

let dir: string;
let storage: Storage;
const fakes: FakeProvider[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tradewire-fetch-'));
  storage = await openSqlite(join(dir, 'test.db'));
});
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

async function yahoo(overrides: Parameters<typeof startFakeYahoo>[0] = {}) {
  const fake = await startFakeYahoo(overrides);
  fakes.push(fake);
  const config = loadConfig({ DATA_DIR: dir, ...fakeProviderEnv({ yahoo: fake }) });
  return { fake, provider: createProvider('yahoo', config) };
}

const plan = (symbols: string[], extra: Partial<FetchPlan> = {}): FetchPlan => ({ provider: 'yahoo', symbols, dataset: 'nasdaq-yahoo', ...extra });
const fetchOn = (today: string, provider: MarketDataProvider, p: FetchPlan, onResult?: Parameters<typeof fetchMarket>[2]) =>
  fetchMarket({ storage, provider, intervalMs: 0, today }, p, onResult);
const stored = (symbol: string, dataset = 'nasdaq-yahoo') => storage.market.bars(dataset, symbol);
const period1 = (r: { query: URLSearchParams }) => new Date(Number(r.query.get('period1')) * 1000).toISOString().slice(0, 10);

describe('fetchMarket', () => {
  it('downloads each symbol into a new provider data set and reports it', async () => {
    const { fake, provider } = await yahoo({ lastDate: '2026-11-20' });
    const heard: string[] = [];
    const results = await fetchOn('2026-11-21', provider, plan(['AAPL', 'MSFT'], { from: '2026-10-01' }), (r) => heard.push(r.symbol));
    const days = fakeDays(fake.market, '2026-10-01', '2026-11-20');
    expect(results).toEqual(
      ['AAPL', 'MSFT'].map((symbol) => ({ symbol, status: 'updated', bars: days.length, first: '2026-10-01', last: '2026-11-20', error: null, note: null })),
    );
    expect(heard).toEqual(['AAPL', 'MSFT']);
    expect((await stored('AAPL')).map((b) => b.date)).toEqual(days);
    expect(await storage.market.symbols('nasdaq-yahoo')).toEqual([
      { symbol: 'AAPL', name: 'AAPL Holdings Inc.', sector: 'Unknown', source: 'yahoo' },
      { symbol: 'MSFT', name: 'MSFT Holdings Inc.', sector: 'Unknown', source: 'yahoo' },
    ]);
    expect(await storage.market.dataset('nasdaq-yahoo')).toMatchObject({ source: 'provider', provider: 'yahoo', adjusted: true, symbols: 2 });
  });

  it('fetches ten years when no start is given, and only complete days (before today)', async () => {
    const { fake, provider } = await yahoo({ lastDate: '2026-11-20' });
    await fetchOn('2026-11-20', provider, plan(['AAPL']));
    expect(period1(fake.requests[0]!)).toBe('2016-11-20');
    expect(Number(fake.requests[0]!.query.get('period2'))).toBe(unixDay('2026-11-20'));
    expect((await stored('AAPL')).at(-1)!.date).toBe('2026-11-19');
  });

  it('asks a second time only for the days after the last stored bar, and not at all when up to date', async () => {
    const { fake, provider } = await yahoo({ lastDate: '2026-11-13' });
    await fetchOn('2026-11-14', provider, plan(['AAPL', 'MSFT'], { from: '2026-10-01' }));
    const before = await stored('AAPL');

    fake.market.lastDate = '2026-11-20';
    const results = await fetchOn('2026-11-21', provider, plan(['AAPL', 'MSFT']));
    const again = fake.requests.slice(2);
    expect(again.map(period1)).toEqual(['2026-11-14', '2026-11-14']);
    expect(again.map((r) => Number(r.query.get('period2')))).toEqual([unixDay('2026-11-21'), unixDay('2026-11-21')]);
    expect(results.map((r) => [r.symbol, r.status, r.bars, r.first, r.last])).toEqual([
      ['AAPL', 'updated', 5, '2026-10-01', '2026-11-20'],
      ['MSFT', 'updated', 5, '2026-10-01', '2026-11-20'],
    ]);
    expect(await stored('AAPL')).toEqual([...before, ...fakeDays(fake.market, '2026-11-16', '2026-11-20').map((d) => fakeBar('AAPL', d))]);

    const unchanged = await fetchOn('2026-11-21', provider, plan(['AAPL']));
    expect(unchanged).toEqual([{ symbol: 'AAPL', status: 'up_to_date', bars: 0, first: '2026-10-01', last: '2026-11-20', error: null, note: null }]);
    expect(fake.requests).toHaveLength(4);
  });

  it('reports a symbol that fails and goes on with the others, writing nothing of it', async () => {
    const { provider } = await yahoo({ missing: ['NOPE'], throttle: { SLOW: 99 } });
    const results = await fetchOn('2026-11-21', provider, plan(['AAPL', 'NOPE', 'SLOW', 'MSFT'], { from: '2026-11-02' }));
    expect(results.map((r) => [r.symbol, r.status])).toEqual([
      ['AAPL', 'updated'],
      ['NOPE', 'failed'],
      ['SLOW', 'failed'],
      ['MSFT', 'updated'],
    ]);
    expect(results[1]).toEqual({ symbol: 'NOPE', status: 'failed', bars: 0, first: null, last: null, error: 'Yahoo: No data found, symbol may be delisted', note: null });
    expect(results[2]!.error).toBe('Yahoo SLOW: HTTP 429 (rate limited); gave up after 4 tries');
    expect((await storage.market.symbols('nasdaq-yahoo')).map((s) => s.symbol)).toEqual(['AAPL', 'MSFT']);
  });

  it('writes a symbol whole or not at all', async () => {
    const { provider: yahooClient } = await yahoo();
    await fetchOn('2026-11-21', yahooClient, plan(['AAPL'], { from: '2026-11-02' }));
    const before = await stored('AAPL');
    // A provider whose answer the database refuses halfway (the same day twice, past the first chunk).
    const bar = (date: string) => fakeBar('AAPL', date);
    const days = weekdays('2016-01-04', '2026-11-20');
    const broken: MarketDataProvider = {
      name: 'yahoo',
      daily: async ({ symbol }) => ({
        bars: symbol === 'AAPL' ? [...days.slice(0, 800).map(bar), bar(days[0]!)] : [bar('2026-11-02')],
        adjusted: true,
        actions: [],
        skipped: 0,
      }),
    };
    const results = await fetchOn('2026-11-21', broken, plan(['AAPL', 'MSFT'], { from: '2016-01-04' }));
    expect(results.map((r) => [r.symbol, r.status])).toEqual([
      ['AAPL', 'failed'],
      ['MSFT', 'updated'],
    ]);
    expect(results[0]!.error).toMatch(/^unexpected error: .*UNIQUE/);
    expect(await stored('AAPL')).toEqual(before);
    expect(await storage.market.spans('nasdaq-yahoo')).toEqual([
      { symbol: 'AAPL', first: '2026-11-02', last: '2026-11-20' },
      { symbol: 'MSFT', first: '2026-11-02', last: '2026-11-02' },
    ]);
  });

  it('fetches the history again when a dividend after the last stored bar changes the adjusted prices', async () => {
    const { fake, provider } = await yahoo({ lastDate: '2026-11-13' });
    await fetchOn('2026-11-14', provider, plan(['KO'], { from: '2026-11-02' }));
    expect((await stored('KO'))[0]!.close).toBe(fakeBar('KO', '2026-11-02').close);

    fake.market.lastDate = '2026-11-20';
    fake.market.actions.push({ symbol: 'KO', date: '2026-11-18', factor: 0.8 });
    const [result] = await fetchOn('2026-11-21', provider, plan(['KO']));
    expect(fake.requests.slice(1).map(period1)).toEqual(['2026-11-14', '2026-11-02']);
    expect(result).toMatchObject({ status: 'updated', first: '2026-11-02', last: '2026-11-20', note: 'split or dividend on 2026-11-18: history fetched again from 2026-11-02' });
    const bars = await stored('KO');
    expect(bars.map((b) => b.date)).toEqual(fakeDays(fake.market, '2026-11-02', '2026-11-20'));
    expect(bars[0]!.close).toBeCloseTo(fakeBar('KO', '2026-11-02').close * adjustmentFactor(fake.market, 'KO', '2026-11-02'), 6);
    expect(bars[0]!.close).toBeCloseTo(fakeBar('KO', '2026-11-02').close * 0.8, 6);
  });

  it('replaces a symbol whole when asked for history before its first stored bar', async () => {
    const { fake, provider } = await yahoo();
    await fetchOn('2026-11-21', provider, plan(['AAPL'], { from: '2026-11-09' }));
    const [result] = await fetchOn('2026-11-21', provider, plan(['AAPL'], { from: '2026-11-02' }));
    expect(period1(fake.requests[1]!)).toBe('2026-11-02');
    expect(result).toMatchObject({ status: 'updated', bars: 15, first: '2026-11-02', last: '2026-11-20' });
  });

  it('notes skipped bars with null prices', async () => {
    const { provider } = await yahoo({ holes: { AAPL: ['2026-11-04'] } });
    const [result] = await fetchOn('2026-11-21', provider, plan(['AAPL'], { from: '2026-11-02' }));
    expect(result).toMatchObject({ status: 'updated', bars: 14, note: '1 bar skipped (missing or inconsistent prices)' });
  });

  it('refuses plans that cannot run: the simulated market, another provider’s or imported data set', async () => {
    const { provider } = await yahoo();
    await saveImport(storage, [{ symbol: 'ACME', bars: [fakeBar('ACME', '2026-11-02')] }]);
    await fetchOn('2026-11-21', provider, plan(['AAPL'], { from: '2026-11-16' }));
    const refused = (p: FetchPlan) => expect(fetchOn('2026-11-21', provider, p)).rejects.toThrow(FetchRefused);
    await refused(plan(['AAPL'], { dataset: 'simulated' }));
    await refused(plan(['AAPL'], { dataset: 'import' }));
    await refused(plan(['AAPL'], { provider: 'alpaca' }));
    await expect(fetchOn('2026-11-21', provider, plan(['AAPL'], { provider: 'alpaca' }))).rejects.toThrow(
      'dataset: nasdaq-yahoo holds yahoo data, not alpaca data: choose another data set name',
    );
    await refused(plan(['AAPL'], { dataset: 'x', from: '2026-11-10', to: '2026-11-01' }));
  });

  it('keeps an Alpha Vantage data set made with a free key unadjusted on later fetches', async () => {
    const fake = await startFakeAlphaVantage({ lastDate: '2026-11-13' });
    fakes.push(fake);
    const config = loadConfig({ DATA_DIR: dir, ...fakeProviderEnv({ alphaVantage: fake }) });
    const av = () => createProvider('alphavantage', config);
    const avPlan = { provider: 'alphavantage' as const, symbols: ['IBM'], dataset: 'av', from: '2026-11-02' };
    const [first] = await fetchOn('2026-11-14', av(), avPlan);
    expect(first).toMatchObject({ status: 'updated', bars: 10, note: 'adjusted prices are premium: prices as traded' });
    expect(await storage.market.dataset('av')).toMatchObject({ provider: 'alphavantage', adjusted: false });

    fake.market.lastDate = '2026-11-20';
    const [second] = await fetchOn('2026-11-21', av(), { ...avPlan, from: undefined });
    expect(second).toMatchObject({ status: 'updated', bars: 5, last: '2026-11-20' });
    expect(fake.requests.slice(2).map((r) => `${r.query.get('function')} ${r.query.get('outputsize')}`)).toEqual(['TIME_SERIES_DAILY compact']);
    expect((await stored('IBM', 'av')).map((b) => b.date)).toEqual(fakeDays(fake.market, '2026-11-02', '2026-11-20'));
  });

  it('stops between symbols when aborted, keeping the symbols already written', async () => {
    const { provider } = await yahoo();
    const stop = new AbortController();
    const run = fetchMarket({ storage, provider, intervalMs: 0, today: '2026-11-21', signal: stop.signal }, plan(['AAPL', 'MSFT'], { from: '2026-11-02' }), () =>
      stop.abort(new Error('stopping')),
    );
    await expect(run).rejects.toThrow('stopping');
    expect((await storage.market.symbols('nasdaq-yahoo')).map((s) => s.symbol)).toEqual(['AAPL']);
  });
});

describe('fetchMarket: prices as traded with a split in them', () => {
  const SPLIT = '2026-10-15';
  async function freeKey(lastDate: string) {
    const fake = await startFakeAlphaVantage({ lastDate, actions: [{ symbol: 'AAPL', date: SPLIT, factor: 1 / 15, split: true }] });
    fakes.push(fake);
    const config = loadConfig({ DATA_DIR: dir, ...fakeProviderEnv({ alphaVantage: fake }) });
    return { fake, av: () => createProvider('alphavantage', config) };
  }
  const avPlan = (extra: Partial<FetchPlan> = {}): FetchPlan => ({ provider: 'alphavantage', symbols: ['AAPL'], dataset: 'av', from: '2026-10-01', ...extra });
  const splits = () => storage.market.splitAdjusted('av');

  it('fails the symbol, storing nothing, unless told to back-adjust or keep the prices', async () => {
    const { av } = await freeKey('2026-11-20');
    const [refused] = await fetchOn('2026-11-21', av(), avPlan());
    expect(refused).toMatchObject({ symbol: 'AAPL', status: 'failed', bars: 0 });
    expect(refused!.error).toMatch(/^a split found in prices as traded: AAPL 15:1 on 2026-10-15 \(\d+(\.\d+)? -> \d+(\.\d+)?\); nothing stored: fetch again with adjust_splits true/);
    expect(await storage.market.symbols('av')).toEqual([]);

    const [adjusted] = await fetchOn('2026-11-21', av(), avPlan({ adjustSplits: true }));
    expect(adjusted).toMatchObject({ status: 'updated', first: '2026-10-01', last: '2026-11-20' });
    expect(adjusted!.note).toContain('prices before the split 15:1 on 2026-10-15 back-adjusted');
    const bars = await stored('AAPL', 'av');
    // Traded at 15 times the price before the split: back-adjusted, the series is continuous again.
    const before = bars.find((b) => b.date === '2026-10-14')!;
    expect(before.close).toBeCloseTo(fakeBar('AAPL', '2026-10-14').close, 1);
    expect(Math.abs(before.volume - fakeBar('AAPL', '2026-10-14').volume)).toBeLessThanOrEqual(15);
    expect(bars.find((b) => b.date === SPLIT)).toEqual(fakeBar('AAPL', SPLIT));
    expect(await splits()).toEqual([{ symbol: 'AAPL', splits: [{ date: SPLIT, ratio: '15:1', factor: 15 }] }]);
  });

  it('keeps prices as traded when told so, recording no adjustment', async () => {
    const { av } = await freeKey('2026-11-20');
    const [kept] = await fetchOn('2026-11-21', av(), avPlan({ adjustSplits: false }));
    expect(kept).toMatchObject({ status: 'updated' });
    expect(kept!.note).toContain('split 15:1 on 2026-10-15 kept as traded');
    expect((await stored('AAPL', 'av')).find((b) => b.date === '2026-10-14')!.close).toBeCloseTo(fakeBar('AAPL', '2026-10-14').close * 15, 1);
    expect(await splits()).toEqual([]);
  });

  it('finds a split between the stored bars and new ones, and back-adjusts the stored ones too', async () => {
    const { fake, av } = await freeKey('2026-10-09');
    await fetchOn('2026-10-10', av(), avPlan());
    const asTraded = await stored('AAPL', 'av');
    expect(asTraded.at(-1)!.close).toBeCloseTo(fakeBar('AAPL', '2026-10-09').close * 15, 1);

    fake.market.lastDate = '2026-11-20';
    const [refused] = await fetchOn('2026-11-21', av(), avPlan({ from: undefined }));
    expect(refused).toMatchObject({ status: 'failed', last: '2026-10-09' });
    expect(await stored('AAPL', 'av')).toEqual(asTraded);

    const [adjusted] = await fetchOn('2026-11-21', av(), avPlan({ from: undefined, adjustSplits: true }));
    expect(adjusted).toMatchObject({ status: 'updated', first: '2026-10-01', last: '2026-11-20' });
    const bars = await stored('AAPL', 'av');
    expect(bars.map((b) => b.date)).toEqual(fakeDays(fake.market, '2026-10-01', '2026-11-20'));
    for (const b of bars.filter((x) => x.date < SPLIT)) expect(b.close).toBeCloseTo(fakeBar('AAPL', b.date).close, 1);
    expect(await splits()).toEqual([{ symbol: 'AAPL', splits: [{ date: SPLIT, ratio: '15:1', factor: 15 }] }]);

    // A later update without a split keeps the record.
    fake.market.lastDate = '2026-11-27';
    const [later] = await fetchOn('2026-11-28', av(), avPlan({ from: undefined }));
    expect(later).toMatchObject({ status: 'updated', bars: 5 });
    expect(await splits()).toEqual([{ symbol: 'AAPL', splits: [{ date: SPLIT, ratio: '15:1', factor: 15 }] }]);
  });
});

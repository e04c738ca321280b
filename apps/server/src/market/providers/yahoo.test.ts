import { afterEach, describe, expect, it } from 'vitest';
import { adjustmentFactor, fakeBar, fakeDays, startFakeYahoo, type FakeProvider } from '../../test/fake-providers.js';
import { unixDay } from '../calendar.js';
import { ProviderError } from './provider.js';
import { yahooProvider } from './yahoo.js';

let fake: FakeProvider;
afterEach(() => fake?.close());

const retry = { retries: 3, backoffMs: 1 };

describe('yahooProvider', () => {
  it('asks the chart API for the inclusive range and reads its arrays into bars', async () => {
    fake = await startFakeYahoo();
    const series = await yahooProvider({ baseUrl: fake.url, retry }).daily({ symbol: 'AAPL', from: '2024-03-01', to: '2024-03-08' });
    const q = fake.requests[0]!;
    expect(q.path).toBe('/v8/finance/chart/AAPL');
    expect(Object.fromEntries(q.query)).toEqual({
      period1: String(unixDay('2024-03-01')),
      period2: String(unixDay('2024-03-09')),
      interval: '1d',
      events: 'div|split',
      includeAdjustedClose: 'true',
    });
    expect(q.headers['user-agent']).toMatch(/Mozilla/);
    expect(series.bars).toEqual(fakeDays(fake.market, '2024-03-01', '2024-03-08').map((d) => fakeBar('AAPL', d)));
    expect(series).toMatchObject({ adjusted: true, name: 'AAPL Holdings Inc.', actions: [], skipped: 0 });
  });

  it('adjusts open, high, low and close by adjclose / close and reports dividends in the range', async () => {
    fake = await startFakeYahoo({ actions: [{ symbol: 'KO', date: '2024-03-06', factor: 0.9 }] });
    const series = await yahooProvider({ baseUrl: fake.url, retry }).daily({ symbol: 'KO', from: '2024-03-04', to: '2024-03-07' });
    expect(series.actions).toEqual(['2024-03-06']);
    for (const bar of series.bars) {
      const raw = fakeBar('KO', bar.date);
      const f = adjustmentFactor(fake.market, 'KO', bar.date);
      expect(f).toBe(bar.date < '2024-03-06' ? 0.9 : 1);
      for (const k of ['open', 'high', 'low', 'close'] as const) expect(bar[k]).toBeCloseTo(raw[k] * f, 5);
      expect(bar.volume).toBe(raw.volume);
    }
  });

  it('skips bars whose prices are null and counts them', async () => {
    fake = await startFakeYahoo({ holes: { MSFT: ['2024-03-05', '2024-03-07'] } });
    const series = await yahooProvider({ baseUrl: fake.url, retry }).daily({ symbol: 'MSFT', from: '2024-03-04', to: '2024-03-08' });
    expect(series.bars.map((b) => b.date)).toEqual(['2024-03-04', '2024-03-06', '2024-03-08']);
    expect(series.skipped).toBe(2);
  });

  it('answers an empty range (no timestamp array) with no bars', async () => {
    fake = await startFakeYahoo();
    const series = await yahooProvider({ baseUrl: fake.url, retry }).daily({ symbol: 'AAPL', from: '2024-03-09', to: '2024-03-10' });
    expect(series.bars).toEqual([]);
  });

  it('backs off and retries when throttled with 429', async () => {
    fake = await startFakeYahoo({ throttle: { AAPL: 2 } });
    const series = await yahooProvider({ baseUrl: fake.url, retry }).daily({ symbol: 'AAPL', from: '2024-03-04', to: '2024-03-04' });
    expect(series.bars).toHaveLength(1);
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up after its retries, and reports an unknown symbol in Yahoo’s words', async () => {
    fake = await startFakeYahoo({ throttle: { AAPL: 10 }, missing: ['NOPE'] });
    const yahoo = yahooProvider({ baseUrl: fake.url, retry });
    const throttled = yahoo.daily({ symbol: 'AAPL', from: '2024-03-04', to: '2024-03-04' });
    await expect(throttled).rejects.toThrow(ProviderError);
    await expect(throttled).rejects.toThrow('Yahoo AAPL: HTTP 429 (rate limited); gave up after 4 tries');
    await expect(yahoo.daily({ symbol: 'NOPE', from: '2024-03-04', to: '2024-03-04' })).rejects.toThrow(
      'Yahoo: No data found, symbol may be delisted',
    );
  });
});

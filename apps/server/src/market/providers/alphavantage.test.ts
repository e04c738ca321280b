import { afterEach, describe, expect, it } from 'vitest';
import { AV_QUOTA, adjustmentFactor, FAKE_AV_KEY, fakeBar, startFakeAlphaVantage, type FakeProvider } from '../../test/fake-providers.js';
import { alphaVantageProvider } from './alphavantage.js';
import { ProviderError } from './provider.js';

let fake: FakeProvider;
afterEach(() => fake?.close());

const retry = { retries: 3, backoffMs: 1 };
const TODAY = '2026-11-21';
const client = () => alphaVantageProvider({ baseUrl: fake.url, apiKey: FAKE_AV_KEY, retry, today: () => TODAY });
const asked = (i: number) => Object.fromEntries(fake.requests[i]!.query);

describe('alphaVantageProvider', () => {
  it('reads TIME_SERIES_DAILY_ADJUSTED with a premium key: adjusted prices and the dividend dates', async () => {
    fake = await startFakeAlphaVantage({ actions: [{ symbol: 'IBM', date: '2026-11-10', factor: 0.95 }] }, { premium: true });
    const series = await client().daily({ symbol: 'IBM', from: '2026-11-02', to: '2026-11-20' });
    expect(asked(0)).toEqual({ function: 'TIME_SERIES_DAILY_ADJUSTED', symbol: 'IBM', outputsize: 'compact', datatype: 'json', apikey: FAKE_AV_KEY });
    expect(series.bars.map((b) => b.date)[0]).toBe('2026-11-02');
    expect(series.bars.at(-1)!.date).toBe('2026-11-20');
    expect(series).toMatchObject({ adjusted: true, actions: ['2026-11-10'] });
    const early = series.bars[0]!;
    expect(early.close).toBeCloseTo(fakeBar('IBM', early.date).close * 0.95, 3);
    expect(adjustmentFactor(fake.market, 'IBM', early.date)).toBe(0.95);
  });

  it('asks for the full history only when the range reaches past the compact 100 days', async () => {
    fake = await startFakeAlphaVantage({}, { premium: true });
    const series = await client().daily({ symbol: 'IBM', from: '2020-01-01', to: '2020-12-31' });
    expect(asked(0).outputsize).toBe('full');
    expect(series.bars[0]!.date).toBe('2020-01-01');
    expect(series.bars.at(-1)!.date).toBe('2020-12-31');
  });

  it('falls back to prices as traded and the compact answer for a free key, learning it once', async () => {
    fake = await startFakeAlphaVantage();
    const av = client();
    const first = await av.daily({ symbol: 'IBM', from: '2020-01-01', to: '2026-11-20' });
    expect(fake.requests.map((r) => `${r.query.get('function')} ${r.query.get('outputsize')}`)).toEqual([
      'TIME_SERIES_DAILY_ADJUSTED full',
      'TIME_SERIES_DAILY full',
      'TIME_SERIES_DAILY compact',
    ]);
    expect(first).toMatchObject({ adjusted: false, note: 'adjusted prices are premium: prices as traded; full history is premium: only the latest 100 days' });
    expect(first.bars).toHaveLength(100);
    expect(first.bars[0]).toEqual(fakeBar('IBM', first.bars[0]!.date));

    await av.daily({ symbol: 'MSFT', from: '2020-01-01', to: '2026-11-20' });
    expect(fake.requestsFor('MSFT').map((r) => `${r.query.get('function')} ${r.query.get('outputsize')}`)).toEqual(['TIME_SERIES_DAILY compact']);
  });

  it('takes prices as traded when told to, without trying the premium endpoint', async () => {
    fake = await startFakeAlphaVantage({}, { premium: true });
    const series = await client().daily({ symbol: 'IBM', from: '2026-11-16', to: '2026-11-20', adjusted: false });
    expect(asked(0).function).toBe('TIME_SERIES_DAILY');
    expect(series.adjusted).toBe(false);
  });

  it('waits and retries on a throttling Note (HTTP 200), but not on the daily quota', async () => {
    fake = await startFakeAlphaVantage({ throttle: { IBM: 2 } }, { premium: true, quotaLeft: 1 });
    const series = await client().daily({ symbol: 'IBM', from: '2026-11-16', to: '2026-11-20' });
    expect(series.bars).toHaveLength(5);
    expect(fake.requests).toHaveLength(3);
    const quota = client().daily({ symbol: 'MSFT', from: '2026-11-16', to: '2026-11-20' });
    await expect(quota).rejects.toThrow(ProviderError);
    await expect(quota).rejects.toThrow(`Alpha Vantage: ${AV_QUOTA}`);
    expect(fake.requestsFor('MSFT')).toHaveLength(1);
  });

  it('gives up on lasting throttling and quotes an Error Message', async () => {
    fake = await startFakeAlphaVantage({ throttle: { IBM: 10 }, missing: ['NOPE'] }, { premium: true });
    await expect(client().daily({ symbol: 'IBM', from: '2026-11-16', to: '2026-11-20' })).rejects.toThrow(/throttled: Thank you .*gave up after 4 tries$/);
    await expect(client().daily({ symbol: 'NOPE', from: '2026-11-16', to: '2026-11-20' })).rejects.toThrow(
      'Alpha Vantage: Invalid API call. Please retry or visit the documentation',
    );
  });
});

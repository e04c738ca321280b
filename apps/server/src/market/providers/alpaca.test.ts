import { afterEach, describe, expect, it } from 'vitest';
import { adjustmentFactor, FAKE_ALPACA_KEY, fakeBar, fakeDays, startFakeAlpaca, type FakeProvider } from '../../test/fake-providers.js';
import { alpacaProvider } from './alpaca.js';

let fake: FakeProvider;
afterEach(() => fake?.close());

const retry = { retries: 3, backoffMs: 1 };
const client = (keyId = FAKE_ALPACA_KEY.id) => alpacaProvider({ dataUrl: fake.url, keyId, secretKey: FAKE_ALPACA_KEY.secret, retry });

describe('alpacaProvider', () => {
  it('follows next_page_token until the range is complete, asking for split- and dividend-adjusted bars', async () => {
    fake = await startFakeAlpaca({ actions: [{ symbol: 'AAPL', date: '2024-03-15', factor: 0.25 }] }, { pageSize: 20 });
    const series = await client().daily({ symbol: 'AAPL', from: '2024-01-02', to: '2024-03-28' });
    const days = fakeDays(fake.market, '2024-01-02', '2024-03-28');
    expect(series.bars.map((b) => b.date)).toEqual(days);
    expect(fake.requests).toHaveLength(Math.ceil(days.length / 20));
    const [first, ...rest] = fake.requests;
    expect(first!.path).toBe('/v2/stocks/AAPL/bars');
    expect(first!.query.get('adjustment')).toBe('all');
    expect(first!.query.get('timeframe')).toBe('1Day');
    expect(first!.query.get('start')).toMatch(/^2024-01-02T00:00:00/);
    expect(first!.query.get('end')).toMatch(/^2024-03-28T23:59:59/);
    expect(first!.query.has('page_token')).toBe(false);
    expect(rest.every((r) => r.query.has('page_token') && r.query.get('adjustment') === 'all')).toBe(true);
    const before = series.bars.find((b) => b.date === '2024-03-14')!;
    expect(before.close).toBeCloseTo(fakeBar('AAPL', '2024-03-14').close * adjustmentFactor(fake.market, 'AAPL', '2024-03-14'), 6);
    expect(adjustmentFactor(fake.market, 'AAPL', '2024-03-14')).toBe(0.25);
    expect(series.bars.find((b) => b.date === '2024-03-15')!.close).toBe(fakeBar('AAPL', '2024-03-15').close);
    expect(series).toMatchObject({ adjusted: true, actions: [], skipped: 0 });
  });

  it('retries a 429 with backoff', async () => {
    fake = await startFakeAlpaca({ throttle: { MSFT: 2 } });
    const series = await client().daily({ symbol: 'MSFT', from: '2024-03-04', to: '2024-03-05' });
    expect(series.bars).toHaveLength(2);
    expect(fake.requests).toHaveLength(3);
  });

  it('reports refusals in Alpaca’s words: a wrong key, a malformed symbol, lasting throttling', async () => {
    fake = await startFakeAlpaca({ throttle: { IBM: 10 } });
    const range = { from: '2024-03-04', to: '2024-03-05' };
    await expect(client('WRONG').daily({ symbol: 'AAPL', ...range })).rejects.toThrow('Alpaca: forbidden (HTTP 403)');
    await expect(client().daily({ symbol: 'BRK-B', ...range })).rejects.toThrow('Alpaca: invalid symbol: BRK-B (HTTP 422)');
    await expect(client().daily({ symbol: 'IBM', ...range })).rejects.toThrow('(HTTP 429 after retries)');
    expect(fake.requestsFor('IBM')).toHaveLength(4);
  });

  it('answers a symbol without data with no bars', async () => {
    fake = await startFakeAlpaca({ missing: ['ZZZZ'] });
    expect((await client().daily({ symbol: 'ZZZZ', from: '2024-03-04', to: '2024-03-05' })).bars).toEqual([]);
  });
});

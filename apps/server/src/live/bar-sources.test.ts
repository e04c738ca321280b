import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeMinuteBar, startFakeAlpacaLive, type FakeAlpacaLive } from '../test/fake-alpaca-live.js';
import { FAKE_ALPACA_KEY } from '../test/fake-providers.js';
import { startFakeYahooIntraday, type FakeYahooIntraday } from '../test/fake-yahoo-intraday.js';
import { alpacaBarSource, yahooBarSource } from './bar-sources.js';
import { easternToUtc } from './exchange-calendar.js';
import type { Clock } from './ports.js';

const NOW = easternToUtc('2026-11-30', '10:02');
const clock: Clock = { now: () => NOW, sleepUntil: async () => {} };
const retry = { retries: 0, backoffMs: 1 };
const DAY = 86_400_000;

describe('Yahoo intraday bars', () => {
  let fake: FakeYahooIntraday;
  beforeAll(async () => {
    fake = await startFakeYahooIntraday(() => NOW);
  });
  afterAll(() => fake.close());

  it('asks 1-minute bars a week at a time, within the 30 days Yahoo keeps, and leaves out holes and the forming bar', async () => {
    const source = yahooBarSource({ baseUrl: fake.url, retry, clock });
    const bars = await source.poll({ symbols: ['AAPL'], timeframe: '1m', since: new Date(NOW - 45 * DAY).toISOString(), until: new Date(NOW).toISOString() });
    const asked = fake.requests.filter((r) => r.interval === '1m');
    expect(asked.length).toBeGreaterThanOrEqual(5);
    for (const r of asked) {
      expect(r.to - r.from).toBeLessThanOrEqual(7 * DAY);
      expect(r.from).toBeGreaterThanOrEqual(NOW - 30 * DAY);
    }
    // Today: 09:31 is the last complete minute (09:30 is a hole, 10:02 is forming).
    const today = bars.filter((b) => b.start >= '2026-11-30');
    expect(today.slice(0, 2).map((b) => b.start)).toEqual(['09:31', '09:32'].map((hhmm) => new Date(easternToUtc('2026-11-30', hhmm)).toISOString().replace('.000', '')));
    expect(today.at(-1)!.start).toBe(new Date(easternToUtc('2026-11-30', '10:01')).toISOString().replace('.000', ''));
    expect(today[0]!.open).toBe(fakeMinuteBar('AAPL', easternToUtc('2026-11-30', '09:31')).o);
    expect(new Set(bars.map((b) => `${b.symbol}${b.start}`)).size).toBe(bars.length);
  });

  it('asks hourly bars as 60m and quotes Yahoo when it refuses', async () => {
    const source = yahooBarSource({ baseUrl: fake.url, retry, clock });
    const hours = await source.poll({ symbols: ['MSFT'], timeframe: '1h', since: new Date(NOW - 3 * DAY).toISOString(), until: new Date(NOW).toISOString() });
    expect(fake.requests.at(-1)!.interval).toBe('60m');
    expect(hours.every((b) => b.timeframe === '1h')).toBe(true);
    await expect(source.poll({ symbols: ['NOPE'], timeframe: '5m', since: new Date(NOW - DAY).toISOString(), until: new Date(NOW).toISOString() })).rejects.toThrow('Yahoo NOPE: No data found, symbol may be delisted');
  });
});

describe('Alpaca bars for several symbols', () => {
  let fake: FakeAlpacaLive;
  beforeAll(async () => {
    fake = await startFakeAlpacaLive(() => NOW, { pageSize: 7 });
  });
  afterAll(() => fake.close());

  it('follows next_page_token to the end and returns each complete bar once, oldest first', async () => {
    const source = alpacaBarSource({ dataUrl: fake.url, keyId: FAKE_ALPACA_KEY.id, secretKey: FAKE_ALPACA_KEY.secret, retry, clock });
    const bars = await source.poll({ symbols: ['AAPL', 'MSFT'], timeframe: '5m', since: new Date(easternToUtc('2026-11-27', '09:30')).toISOString(), until: new Date(NOW).toISOString() });
    // Friday's 78 bars and Monday's six from 09:30 to 09:55 (10:00 is still forming at 10:02).
    const monday = bars.filter((b) => b.symbol === 'AAPL' && b.start >= '2026-11-30');
    expect(monday.map((b) => b.start).at(-1)).toBe(new Date(easternToUtc('2026-11-30', '09:55')).toISOString().replace('.000', ''));
    expect(bars.filter((b) => b.symbol === 'MSFT')).toHaveLength(78 + 6);
    expect(fake.requests.filter((r) => r.includes('page_token=')).length).toBeGreaterThan(10);
    expect([...bars].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.symbol < b.symbol ? -1 : 1))).toEqual(bars);
  });

  it('turns a refusal into an error quoting Alpaca', async () => {
    const source = alpacaBarSource({ dataUrl: fake.url, keyId: 'wrong', secretKey: 'wrong', retry, clock });
    await expect(source.poll({ symbols: ['AAPL'], timeframe: '1m', since: new Date(NOW - DAY).toISOString(), until: new Date(NOW).toISOString() })).rejects.toThrow(/Alpaca bars: forbidden \(HTTP 403\)/);
  });
});

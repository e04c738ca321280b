import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '@tradewire/contract';
import type { Agent, Observation } from '../agents/agent.js';
import { type FakeAlpacaLive, fakeAlpacaLiveEnv, fakeMinuteBar, startFakeAlpacaLive } from '../test/fake-alpaca-live.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';
import { startFakeYahooIntraday, type FakeYahooIntraday } from '../test/fake-yahoo-intraday.js';
import { easternToUtc } from '../live/exchange-calendar.js';

/** What the agent was shown at each bar, kept for the checks. */
const seen: { date: string; history: Map<string, Bar[]>; open: Map<string, number> }[] = [];

/** Buys 1 share of each symbol at every bar and records what it was shown. */
const recordingAgent: Agent = {
  async decide(obs: Observation) {
    seen.push({ date: obs.date, history: new Map([...obs.history].map(([s, h]) => [s, [...h]])), open: new Map(obs.open) });
    return { orders: obs.symbols.map((symbol) => ({ symbol, side: 'buy' as const, quantity: 1 })), reasoning: 'one more share' };
  },
};

describe('intraday data sets and backtests', () => {
  let fake: FakeAlpacaLive;
  let yahoo: FakeYahooIntraday;
  let t: TestServer;
  let token: string;

  beforeAll(async () => {
    fake = await startFakeAlpacaLive(() => Date.now(), { pageSize: 200 });
    yahoo = await startFakeYahooIntraday(() => Date.now());
    t = await startTestServer({ ...fakeAlpacaLiveEnv(fake), YAHOO_BASE_URL: yahoo.url, MARKET_FETCH_INTERVAL_MS: '0' }, undefined, { agents: () => recordingAgent });
    ({ token } = await signup(t));
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
    await yahoo?.close();
  });

  it('fetches 5-minute bars from Yahoo within the 60 days it keeps them, and says so when asked for more', async () => {
    const from = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    const job = await t.req('POST', '/api/market/fetch', { token, body: { provider: 'yahoo', symbols: ['AAPL'], dataset: 'yahoo-5m', timeframe: '5m', from } });
    expect(job.status).toBe(202);
    await until(async () => (await t.req('GET', `/api/market/fetch/${job.body.job_id}`, { token })).body.status === 'completed', 'the fetch');
    const [result] = (await t.req('GET', `/api/market/fetch/${job.body.job_id}`, { token })).body.results;
    expect(result.error).toBeNull();
    expect(result.bars).toBeGreaterThan(0);
    expect(result.note).toMatch(/^Yahoo keeps 5m bars for 60 days: bars before \d{4}-\d{2}-\d{2} are not available$/);
    expect(Math.min(...yahoo.requests.map((r) => r.from))).toBeGreaterThanOrEqual(Date.now() - 61 * 86_400_000);
  });

  it('fetches 1-minute bars from Alpaca (paged), regular hours only, into a data set', async () => {
    const job = await t.req('POST', '/api/market/fetch', { token, body: { provider: 'alpaca', symbols: ['AAPL', 'MSFT'], dataset: 'minutes', timeframe: '1m', from: '2026-11-23', to: '2026-11-24' } });
    expect(job.status).toBe(202);
    await until(async () => (await t.req('GET', `/api/market/fetch/${job.body.job_id}`, { token })).body.status === 'completed', 'the fetch');
    const done = (await t.req('GET', `/api/market/fetch/${job.body.job_id}`, { token })).body;
    expect(done.errors).toEqual([]);
    expect(done.results.map((r: { bars: number }) => r.bars)).toEqual([780, 780]);
    expect(fake.requests.some((r) => r.includes('page_token='))).toBe(true);
    const stored = await t.server.ctx.storage.market.intradayBars('minutes', 'AAPL', '1m');
    expect(stored[0]!.date).toBe(new Date(easternToUtc('2026-11-23', '09:30')).toISOString().replace('.000', ''));
    expect(stored.at(-1)!.date).toBe(new Date(easternToUtc('2026-11-24', '15:59')).toISOString().replace('.000', ''));
  });

  it('backtests on 5-minute bars resampled from them, never showing the agent a bar from its future', async () => {
    const model = await t.req('POST', '/api/models', {
      token,
      body: { name: 'Intraday', agent: { kind: 'buy_and_hold', params: {} }, allowed_symbols: ['AAPL', 'MSFT'], dataset: 'minutes', slippage_bps: 10, initial_cash: 1_000_000, risk: { max_position_pct: 100, max_orders_per_step: 10 } },
    });
    expect(model.status).toBe(201);
    const start = await t.req('POST', `/api/trading/start/${model.body.id}`, { token, body: { timeframe: '5m', start_date: '2026-11-24', end_date: '2026-11-24', pace_ms: 0 } });
    expect(start.status).toBe(202);
    expect(start.body.timeframe).toBe('5m');
    await until(async () => (await t.req('GET', `/api/trading/status/${model.body.id}`, { token })).body.status === 'idle', 'the run to end');

    // 78 five-minute bars from 09:30 to 15:55 on the 24th, each decided once.
    expect(seen).toHaveLength(78);
    const open0 = easternToUtc('2026-11-24', '09:30');
    expect(seen.map((s) => s.date)).toEqual(Array.from({ length: 78 }, (_, i) => new Date(open0 + i * 300_000).toISOString().replace('.000', '')));
    for (const s of seen) {
      for (const [symbol, history] of s.history) {
        // Only complete bars that began before bar t; of bar t, only its open.
        expect(history.every((b) => b.date < s.date)).toBe(true);
        // ... and every one of them: the bar just before t is the last one shown (the day before's close at the open).
        const previous = Date.parse(s.date) === open0 ? new Date(easternToUtc('2026-11-23', '15:55')) : new Date(Date.parse(s.date) - 300_000);
        expect(history.at(-1)!.date).toBe(previous.toISOString().replace('.000', ''));
        expect(s.open.get(symbol)).toBe(fakeMinuteBar(symbol, Date.parse(s.date)).o);
      }
    }
    // The day before is in the history (for indicators), resampled to 5 minutes: 78 bars.
    expect(seen[0]!.history.get('AAPL')!.filter((b) => b.date.startsWith('2026-11-23'))).toHaveLength(78);
    // Each fill is at its bar's open plus 10 bps of slippage.
    const trades = (await t.req('GET', `/api/models/${model.body.id}/trades?limit=1000`, { token })).body.items as { date: string; symbol: string; price: number; status: string }[];
    const filled = trades.filter((x) => x.status === 'filled');
    expect(filled.length).toBeGreaterThan(0);
    for (const f of filled) expect(f.price).toBeCloseTo(fakeMinuteBar(f.symbol, Date.parse(f.date)).o * 1.001, 2);
  });

  it('closes every position on each day’s last bar when the run asks for it', async () => {
    const model = await t.req('POST', '/api/models', {
      token,
      body: { name: 'Flat', agent: { kind: 'buy_and_hold', params: {} }, allowed_symbols: ['AAPL'], dataset: 'minutes', initial_cash: 1_000_000, risk: { max_position_pct: 100, max_orders_per_step: 10 } },
    });
    const daily = await t.req('POST', `/api/trading/start/${model.body.id}`, { token, body: { flat_at_close: true, pace_ms: 0 } });
    expect(daily.status).toBe(400);
    expect(daily.body.error.message).toMatch(/^flat_at_close: /);
    const start = await t.req('POST', `/api/trading/start/${model.body.id}`, { token, body: { timeframe: '15m', flat_at_close: true, start_date: '2026-11-23', end_date: '2026-11-24', pace_ms: 0 } });
    expect(start.status).toBe(202);
    await until(async () => (await t.req('GET', `/api/trading/status/${model.body.id}`, { token })).body.status === 'idle', 'the run to end');
    const trades = (await t.req('GET', `/api/models/${model.body.id}/trades?limit=1000`, { token })).body.items as { date: string; action: string; quantity: number; status: string }[];
    const sells = trades.filter((x) => x.action === 'sell' && x.status === 'filled');
    // Both days end flat: a sell of everything at 15:45, the day's last quarter, and no buy then.
    expect(sells.map((x) => x.date).sort()).toEqual(['2026-11-23', '2026-11-24'].map((d) => new Date(easternToUtc(d, '15:45')).toISOString().replace('.000', '')));
    const bought = (date: string) => trades.filter((x) => x.action === 'buy' && x.status === 'filled' && x.date < date).reduce((n, x) => n + x.quantity, 0);
    expect(sells[0]!.quantity + (sells[1]?.quantity ?? 0)).toBe(bought('9999'));
    expect((await t.req('GET', `/api/models/${model.body.id}/positions/latest`, { token })).body.positions).toEqual([]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeBar } from '../test/fake-providers.js';
import { type FakeAlpacaLive, fakeAlpacaLiveEnv, startFakeAlpacaLive } from '../test/fake-alpaca-live.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';
import { easternToUtc } from './exchange-calendar.js';
import { VirtualClock } from './virtual-clock.js';

// Thanksgiving week 2026: Wednesday trades, Thursday 26th is a holiday, Friday 27th closes at
// 13:00, then a weekend; Monday 30th is a regular day.
const et = (date: string, hhmm: string) => easternToUtc(date, hhmm);

interface Step {
  step: number;
  date: string;
}

describe('live runs on 5-minute bars against a fake Alpaca, driven by a virtual clock', () => {
  let clock: VirtualClock;
  let fake: FakeAlpacaLive;
  let t: TestServer;
  let dir: string;
  let token: string;
  let modelId: number;
  let runId: number;

  const env = () => ({ ...fakeAlpacaLiveEnv(fake), MARKET_FETCH_BACKOFF_MS: '10' });
  const status = async () => (await t.req('GET', `/api/trading/status/${modelId}`, { token })).body;
  const steps = async (): Promise<Step[]> => (await t.server.ctx.storage.runs.equityCurve(runId)).map((p) => ({ step: p.step, date: p.date }));
  const trades = async () => (await t.req('GET', `/api/models/${modelId}/trades?run_id=${runId}&limit=1000`, { token })).body.items as { date: string; action: string; symbol: string }[];

  beforeAll(async () => {
    clock = new VirtualClock(et('2026-11-25', '15:00'));
    fake = await startFakeAlpacaLive(() => clock.now(), { holidays: ['2026-11-26'], earlyCloses: ['2026-11-27'], pageSize: 50 });
    dir = mkdtempSync(join(tmpdir(), 'tradewire-live-'));
    t = await startTestServer(env(), dir, { clock });
    ({ token } = await signup(t));
    await t.server.ctx.storage.market.save({ name: 'alpaca', source: 'provider', provider: 'alpaca', adjusted: true }, [
      { info: { symbol: 'AAPL', name: 'Apple', sector: '', source: 'alpaca' }, bars: [fakeBar('AAPL', '2026-11-24')] },
      { info: { symbol: 'MSFT', name: 'Microsoft', sector: '', source: 'alpaca' }, bars: [fakeBar('MSFT', '2026-11-24')] },
    ]);
    const model = await t.req('POST', '/api/models', {
      token,
      body: { name: 'Live 5m', agent: { kind: 'buy_and_hold', params: {} }, allowed_symbols: ['AAPL', 'MSFT'], dataset: 'alpaca', slippage_bps: 0 },
    });
    expect(model.status).toBe(201);
    modelId = model.body.id;
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a live start it cannot honour, naming the field', async () => {
    const bad = await t.req('POST', `/api/trading/start/${modelId}`, { token, body: { mode: 'live', timeframe: '5m', start_date: '2026-01-02' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/start_date/);
    const tf = await t.req('POST', `/api/trading/start/${modelId}`, { token, body: { mode: 'live', timeframe: '2m' } });
    expect(tf.status).toBe(400);
    expect(JSON.stringify(tf.body)).toMatch(/timeframe/);
    // With the server's Alpaca keys the Alpaca paper account is a broker (live/live-wiring.test.ts); another is refused.
    const broker = await t.req('POST', `/api/trading/start/${modelId}`, { token, body: { mode: 'live', timeframe: '5m', broker: 'ibkr' } });
    expect(broker.status).toBe(400);
    expect(JSON.stringify(broker.body)).toMatch(/broker/);
    expect((await status()).status).toBe('idle');
  });

  it('decides bar by bar through a day, skips the holiday, stops at the early close and waits out the weekend', async () => {
    const start = await t.req('POST', `/api/trading/start/${modelId}`, { token, body: { mode: 'live', timeframe: '5m' } });
    expect(start.status).toBe(202);
    expect(start.body.mode).toBe('live');
    expect(start.body.timeframe).toBe('5m');
    runId = start.body.id;

    await clock.runTo(et('2026-11-25', '15:02'));
    const waiting = await status();
    expect(waiting.status).toBe('running');
    expect(waiting.live.message).toBe('next decision at 15:05 ET');
    expect(waiting.live.next_decision_at).toBe(new Date(et('2026-11-25', '15:05') + 3000).toISOString());

    // The rest of Wednesday: one step per bar, 15:00 to 15:55.
    await clock.runTo(et('2026-11-25', '17:00'));
    let s = await steps();
    expect(s.map((x) => x.date)).toEqual(Array.from({ length: 12 }, (_, i) => new Date(et('2026-11-25', '15:00') + i * 300_000).toISOString().replace('.000', '')));
    // Thursday is Thanksgiving: the next session is Friday's.
    expect((await status()).live.message).toBe('market closed until Fri 09:30 ET');

    // Buy-and-hold bought at the first decision, filled at the next bar's open.
    const bought = (await trades()).filter((x) => x.action === 'buy');
    expect(bought.map((x) => x.symbol).sort()).toEqual(['AAPL', 'MSFT']);
    expect(new Set(bought.map((x) => x.date))).toEqual(new Set(['2026-11-25T20:05:00Z']));

    // Friday closes at 13:00: 42 bars, none after the early close, then the weekend.
    await clock.runTo(et('2026-11-27', '18:00'));
    s = await steps();
    const friday = s.filter((x) => x.date.startsWith('2026-11-27'));
    expect(friday).toHaveLength(42);
    expect(friday.at(-1)!.date).toBe(new Date(et('2026-11-27', '12:55')).toISOString().replace('.000', ''));
    expect(s.some((x) => x.date.startsWith('2026-11-26'))).toBe(false);
    expect((await status()).live.message).toBe('market closed until Mon 09:30 ET');

    // The candle chart's feed: a `bar` event per new bar per symbol.
    const events = await t.server.ctx.storage.events.byRun(runId, { limit: 10_000 });
    const bars = events.filter((e) => e.type === 'bar');
    expect(bars.filter((e) => (e.data as { symbol: string }).symbol === 'AAPL').length).toBeGreaterThanOrEqual(54);
  });

  it('shows a provider outage in the status and recovers without deciding on bars that passed', async () => {
    await clock.runTo(et('2026-11-30', '10:01'));
    const before = (await steps()).length;
    fake.exchange.down = true;
    await clock.runTo(et('2026-11-30', '10:20'));
    const out = await status();
    expect(out.status).toBe('running');
    expect(out.live.healthy).toBe(false);
    expect(out.live.message).toMatch(/alpaca unreachable: .*503/);
    const during = (await steps()).length;
    fake.exchange.down = false;
    await clock.runTo(et('2026-11-30', '10:31'));
    const back = await status();
    expect(back.live.healthy).toBe(true);
    expect(back.live.message).toBe('next decision at 10:35 ET');
    const after = await steps();
    // No step for the bars that passed during the outage (10:05 to 10:15); decisions go on from 10:25.
    const dates = after.slice(during).map((x) => x.date);
    expect(dates.at(-1)).toBe(new Date(et('2026-11-30', '10:25')).toISOString().replace('.000', ''));
    expect(dates.some((d) => d.includes('T15:10') || d.includes('T15:05'))).toBe(false);
    expect(during).toBe(before);
  });

  it('carries on after a restart mid-day, neither trading twice nor deciding on missed bars', async () => {
    const tradesBefore = await trades();
    const stepsBefore = await steps();
    await t.close();
    clock = new VirtualClock(Math.max(clock.now(), et('2026-11-30', '10:47')));
    t = await startTestServer(env(), dir, { clock });
    expect((await status()).status).toBe('running');
    expect((await t.server.ctx.storage.runs.byId(runId))!.status).toBe('running');
    await clock.runTo(et('2026-11-30', '11:01'));
    const s = await steps();
    const added = s.slice(stepsBefore.length);
    // Restarted at 10:47: the 10:40 bar had passed, so the first decision after it is at 10:50.
    expect(added[0]!.date).toBe(new Date(et('2026-11-30', '10:45')).toISOString().replace('.000', ''));
    expect(new Set(s.map((x) => x.step)).size).toBe(s.length);
    expect([...s.map((x) => x.date)].sort()).toEqual(s.map((x) => x.date));
    const tradesAfter = await trades();
    expect(tradesAfter.filter((x) => x.action === 'buy')).toHaveLength(tradesBefore.filter((x) => x.action === 'buy').length);
    expect((await status()).live.message).toBe('next decision at 11:05 ET');

    const stopped = await t.req('POST', `/api/trading/stop/${modelId}`, { token });
    expect(stopped.body.status).toBe('idle');
    expect(stopped.body.run.status).toBe('stopped');
  });

  it('races models live in an arena, bar by bar, until they are stopped', async () => {
    const other = await t.req('POST', '/api/models', {
      token,
      body: { name: 'Live rival', agent: { kind: 'random', params: { seed: 5, probability: 0.5 } }, allowed_symbols: ['MSFT'], dataset: 'alpaca' },
    });
    const started = await t.req('POST', '/api/arena', { token, body: { model_ids: [modelId, other.body.id], mode: 'live', timeframe: '5m' } });
    expect(started.status).toBe(202);
    expect(started.body.arena.mode).toBe('live');
    expect(started.body.runs.map((r: { mode: string }) => r.mode)).toEqual(['live', 'live']);
    // Both runs were started by a request, outside the clock: let them reach their first wait.
    const waiting = async (id: number) => (await t.req('GET', `/api/trading/status/${id}`, { token })).body.live?.next_decision_at != null;
    await until(async () => (await waiting(modelId)) && (await waiting(other.body.id)), 'both runs to wait for their first bar');
    await clock.runTo(et('2026-11-30', '11:21'));
    const arena = (await t.req('GET', `/api/arenas/${started.body.arena.id}`, { token })).body;
    expect(arena.status).toBe('running');
    for (const entry of arena.entries) {
      expect(entry.status).toBe('running');
      expect(entry.equity_curve.map((p: { date: string }) => p.date)).toEqual(['11:00', '11:05', '11:10', '11:15'].map((h) => new Date(et('2026-11-30', h)).toISOString().replace('.000', '')));
    }
    await t.req('POST', `/api/trading/stop/${modelId}`, { token });
    await t.req('POST', `/api/trading/stop/${other.body.id}`, { token });
    expect((await t.req('GET', `/api/arenas/${started.body.arena.id}`, { token })).body.status).toBe('finished');
  });

  it('trades daily bars after the close, for the next session’s open', async () => {
    const daily = await t.req('POST', '/api/models', {
      token,
      body: { name: 'Live daily', agent: { kind: 'buy_and_hold', params: {} }, allowed_symbols: ['AAPL'], dataset: 'alpaca', slippage_bps: 0 },
    });
    const started = await t.req('POST', `/api/trading/start/${daily.body.id}`, { token, body: { mode: 'live' } });
    expect(started.body.timeframe).toBe('1d');
    const live = async () => (await t.req('GET', `/api/trading/status/${daily.body.id}`, { token })).body.live;
    await until(async () => (await live())?.next_decision_at != null, 'the daily run to wait for the close');
    expect((await live()).message).toMatch(/^next decision at 16:15 ET$/);
    await clock.runTo(et('2026-12-01', '17:00'));
    const curve = await t.server.ctx.storage.runs.equityCurve(started.body.id);
    // Decided after Monday's close and Tuesday's; Monday's buy filled at Tuesday's open.
    expect(curve.map((p) => p.date)).toEqual(['2026-11-30', '2026-12-01']);
    const trades = (await t.req('GET', `/api/models/${daily.body.id}/trades?limit=100`, { token })).body.items as { date: string; action: string; price: number }[];
    expect(trades.map((x) => [x.date, x.action])).toEqual([['2026-12-01', 'buy']]);
    expect(trades[0]!.price).toBe(fakeBar('AAPL', '2026-12-01').open);
    expect((await live()).message).toBe('market closed until Wed 09:30 ET; next decision at Wed 16:15 ET');
    await t.req('POST', `/api/trading/stop/${daily.body.id}`, { token });
  });
});

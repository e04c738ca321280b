import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ALPACA_KEY, fakeBar } from '../test/fake-providers.js';
import { type FakeAlpacaLive, fakeAlpacaLiveEnv, fakeMinuteBar, startFakeAlpacaLive } from '../test/fake-alpaca-live.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { alpacaBarSource } from './bar-sources.js';
import { easternToUtc } from './exchange-calendar.js';
import type { BarHandlers, Clock, LiveBarSource } from './ports.js';
import { isoMinute } from './timeframe.js';
import { VirtualClock } from './virtual-clock.js';

const et = (hhmm: string) => easternToUtc('2026-11-30', hhmm);
const MINUTE = 60_000;

/**
 * Alpaca's REST bars plus a push stream of 1-minute bars, as the websocket client gives them:
 * each minute's bar is pushed as soon as the clock has passed its end (while `streaming`).
 */
function streamingSource(fake: FakeAlpacaLive, clock: Clock) {
  const subscribers: { symbols: readonly string[]; handlers: BarHandlers }[] = [];
  let pushedUpTo = 0;
  const state = { streaming: true, subscribed: 0 };
  const rest = alpacaBarSource({ dataUrl: fake.url, keyId: FAKE_ALPACA_KEY.id, secretKey: FAKE_ALPACA_KEY.secret, retry: { retries: 0, backoffMs: 1 }, clock });
  const source: LiveBarSource = {
    name: 'alpaca',
    poll: (request, signal) => rest.poll(request, signal),
    subscribe(symbols, handlers) {
      const sub = { symbols, handlers };
      subscribers.push(sub);
      state.subscribed++;
      handlers.onStatus?.({ state: 'live', message: 'connected to the fake stream' });
      pushedUpTo = Math.max(pushedUpTo, Math.floor(clock.now() / MINUTE) * MINUTE);
      return { close: async () => void subscribers.splice(subscribers.indexOf(sub), 1) };
    },
  };
  /** Pushes every minute bar that has ended by now (skipped while not streaming: a dropped connection). */
  const push = () => {
    const upTo = Math.floor(clock.now() / MINUTE) * MINUTE;
    for (let t = pushedUpTo; t < upTo; t += MINUTE) {
      if (!state.streaming) continue;
      for (const { symbols, handlers } of subscribers) {
        for (const symbol of symbols) {
          const b = fakeMinuteBar(symbol, t);
          handlers.onBar({ symbol, timeframe: '1m', start: isoMinute(t), open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v });
        }
      }
    }
    pushedUpTo = Math.max(pushedUpTo, upTo);
  };
  return { source, push, state };
}

describe('a live run with a push stream of bars', () => {
  let clock: VirtualClock;
  let fake: FakeAlpacaLive;
  let t: TestServer;
  let token: string;
  let stream: ReturnType<typeof streamingSource>;

  beforeAll(async () => {
    clock = new VirtualClock(et('09:50'));
    fake = await startFakeAlpacaLive(() => clock.now());
    // The session's clock: the stream pushes what has ended each time the session wakes.
    const sessionClock: Clock = {
      now: () => clock.now(),
      sleepUntil: async (until, signal) => {
        await clock.sleepUntil(until, signal);
        stream.push();
      },
    };
    stream = streamingSource(fake, sessionClock);
    t = await startTestServer(fakeAlpacaLiveEnv(fake), undefined, { clock: sessionClock, liveSource: () => stream.source });
    ({ token } = await signup(t));
    await t.server.ctx.storage.market.save({ name: 'alpaca', source: 'provider', provider: 'alpaca', adjusted: true }, [
      { info: { symbol: 'AAPL', name: 'Apple', sector: '', source: 'alpaca' }, bars: [fakeBar('AAPL', '2026-11-27')] },
    ]);
  });

  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('decides on the streamed bars without polling, and polls for the bars the stream missed', async () => {
    const model = await t.req('POST', '/api/models', { token, body: { name: 'Streamer', agent: { kind: 'buy_and_hold', params: {} }, allowed_symbols: ['AAPL'], dataset: 'alpaca' } });
    const start = await t.req('POST', `/api/trading/start/${model.body.id}`, { token, body: { mode: 'live', timeframe: '5m' } });
    expect(start.status).toBe(202);
    const runId = start.body.id;
    const barPolls = () => fake.requests.filter((r) => r.startsWith('/v2/stocks/bars')).length;

    await clock.runTo(et('09:51'));
    expect(stream.state.subscribed).toBe(1);
    const afterHistory = barPolls();
    expect((await t.req('GET', `/api/trading/status/${model.body.id}`, { token })).body.live.source).toBe('alpaca (stream live)');

    await clock.runTo(et('10:16'));
    const steps = await t.server.ctx.storage.runs.equityCurve(runId);
    expect(steps.map((s) => s.date)).toEqual(['09:50', '09:55', '10:00', '10:05', '10:10'].map((h) => new Date(et(h)).toISOString().replace('.000', '')));
    // Every one of them came from the stream, resampled from its minutes to five.
    expect(barPolls()).toBe(afterHistory);
    const candles = (await t.server.ctx.storage.events.byRun(runId, { limit: 1000 })).filter((e) => e.type === 'bar');
    const tenOClock = candles.find((e) => (e.data as { date: string }).date === new Date(et('10:00')).toISOString().replace('.000', ''))!.data as { open: number; close: number };
    expect(tenOClock.open).toBe(fakeMinuteBar('AAPL', et('10:00')).o);
    expect(tenOClock.close).toBe(fakeMinuteBar('AAPL', et('10:04')).c);

    // The stream drops bars: the run polls for them and goes on deciding, bar by bar.
    stream.state.streaming = false;
    await clock.runTo(et('10:26'));
    expect(barPolls()).toBeGreaterThan(afterHistory);
    const later = await t.server.ctx.storage.runs.equityCurve(runId);
    expect(later.map((s) => s.date).slice(-2)).toEqual(['10:15', '10:20'].map((h) => new Date(et(h)).toISOString().replace('.000', '')));
    await t.req('POST', `/api/trading/stop/${model.body.id}`, { token });
  });
});

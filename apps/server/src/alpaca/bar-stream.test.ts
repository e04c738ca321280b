import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { FeedStatus, LiveBar } from '../live/ports.js';
import { FAKE_ALPACA_KEYS, type FakeAlpacaStream, type FakeStreamBar, startFakeAlpacaStream } from '../test/fake-alpaca.js';
import { until } from '../test/until.js';
import { AlpacaBarStream, withAlpacaStream } from './bar-stream.js';
import { streamUrl } from './hosts.js';

let fake: FakeAlpacaStream;
let stream: AlpacaBarStream;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  fake = await startFakeAlpacaStream();
  stream = streamOn(fake);
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await fake.close();
});

function streamOn(f: FakeAlpacaStream, keys = FAKE_ALPACA_KEYS) {
  return new AlpacaBarStream({ url: streamUrl(f.url, 'iex', { allowLoopback: true }), feed: 'iex', ...keys, initialReconnectMs: 20, maxReconnectMs: 100 });
}

/** A subscription recording its bars and statuses. */
function listen(s: AlpacaBarStream, symbols: string[]) {
  const bars: LiveBar[] = [];
  const statuses: FeedStatus[] = [];
  const sub = s.subscribe(symbols, { onBar: (b) => bars.push(b), onStatus: (st) => statuses.push(st) });
  closers.push(() => sub.close());
  const last = () => statuses.at(-1);
  return { bars, statuses, sub, last, live: () => until(() => last()?.state === 'live', 'a live status') };
}

const bar = (symbol: string, minute: number, close = 100 + minute): FakeStreamBar => ({
  symbol,
  start: new Date(Date.UTC(2026, 10, 27, 14, 30 + minute)).toISOString(),
  open: close - 0.5,
  high: close + 1,
  low: close - 1,
  close,
  volume: 1000 + minute,
});

describe('Alpaca bar stream', () => {
  it('logs in, subscribes to bars and turns Alpaca bar frames into LiveBars', async () => {
    const a = listen(stream, ['AAPL', 'MSFT']);
    expect(a.statuses[0]).toEqual({ state: 'connecting', message: 'connecting to Alpaca (iex)' });
    await a.live();
    expect(a.last()!.message).toBe('connected to Alpaca (iex): bars of AAPL, MSFT');
    expect(fake.paths).toEqual(['/v2/iex']);
    expect(fake.received.slice(0, 2)).toEqual([
      { action: 'auth', key: FAKE_ALPACA_KEYS.keyId, secret: FAKE_ALPACA_KEYS.secretKey },
      { action: 'subscribe', bars: ['AAPL', 'MSFT'] },
    ]);

    fake.sendBar(bar('AAPL', 0));
    fake.sendBar(bar('MSFT', 0, 410));
    fake.sendBar(bar('TSLA', 0)); // not subscribed: the fake does not send it
    await until(() => a.bars.length === 2, 'two bars');
    expect(a.bars).toEqual([
      { symbol: 'AAPL', timeframe: '1m', start: '2026-11-27T14:30:00Z', open: 99.5, high: 101, low: 99, close: 100, volume: 1000 },
      { symbol: 'MSFT', timeframe: '1m', start: '2026-11-27T14:30:00Z', open: 409.5, high: 411, low: 409, close: 410, volume: 1000 },
    ]);
  });

  it('drops a bar it already delivered, an older one, and a malformed one', async () => {
    const a = listen(stream, ['AAPL']);
    await a.live();
    fake.sendBar(bar('AAPL', 1));
    fake.sendBar(bar('AAPL', 1));
    fake.sendBar(bar('AAPL', 0));
    fake.sendFrames([{ T: 'b', S: 'AAPL', o: 1, h: 0.5, l: 2, c: 1, v: 1, t: '2026-11-27T14:33:00Z' }]);
    fake.sendBar(bar('AAPL', 2));
    await until(() => a.bars.length === 2, 'the second good bar');
    expect(a.bars.map((b) => b.start)).toEqual(['2026-11-27T14:31:00Z', '2026-11-27T14:32:00Z']);
  });

  it('reconnects after a dropped connection, logs in again, re-subscribes and says so', async () => {
    const a = listen(stream, ['AAPL']);
    await a.live();
    fake.sendBar(bar('AAPL', 0));
    await until(() => a.bars.length === 1, 'the first bar');

    fake.drop();
    await until(() => a.statuses.some((s) => s.state === 'reconnecting'), 'a reconnecting status');
    await until(() => fake.logins === 2 && a.last()?.state === 'live', 'the second login');
    expect(a.statuses.find((s) => s.state === 'reconnecting')!.message).toMatch(/^reconnecting to Alpaca \(iex\)/);
    expect(a.last()!.message).toBe('connected to Alpaca (iex) again: bars of AAPL');
    expect(fake.subscribed()).toEqual(['AAPL']);
    expect(fake.received.filter((m) => m.action === 'subscribe')).toEqual([
      { action: 'subscribe', bars: ['AAPL'] },
      { action: 'subscribe', bars: ['AAPL'] },
    ]);

    // Alpaca does not replay: a bar resent after the reconnect is dropped, the next one flows.
    fake.sendBar(bar('AAPL', 0));
    fake.sendBar(bar('AAPL', 1));
    await until(() => a.bars.length === 2, 'a bar after the reconnect');
    expect(a.bars.map((b) => b.start)).toEqual(['2026-11-27T14:30:00Z', '2026-11-27T14:31:00Z']);
  });

  it('keeps reconnecting while Alpaca is unreachable, then recovers', async () => {
    const a = listen(stream, ['AAPL']);
    await a.live();
    const port = new URL(fake.url).port;
    await fake.close();
    await until(() => a.statuses.filter((s) => s.state === 'reconnecting').length >= 2, 'reconnect attempts');
    expect(a.last()!.message).toMatch(/ECONNREFUSED|dropped/);
    fake = await startFakeAlpacaStream(FAKE_ALPACA_KEYS, Number(port));
    await until(() => fake.logins === 1 && a.last()?.state === 'live', 'a login to the new server');
    fake.sendBar(bar('AAPL', 5));
    await until(() => a.bars.length === 1, 'a bar from the new server');
  });

  it('stops with a clear status when Alpaca refuses the keys, and does not retry them', async () => {
    const wrong = streamOn(fake, { keyId: 'PKWRONG', secretKey: 'nope' });
    const a = listen(wrong, ['AAPL']);
    await until(() => a.last()?.state === 'closed', 'a closed status');
    expect(a.last()!.message).toBe('Alpaca refused the keys (402 auth failed): check the Alpaca key id and secret');
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.connections).toBe(1);
    expect(a.statuses.map((s) => s.state)).toEqual(['connecting', 'closed']);
  });

  it('stops, saying so, when the data plan does not include the feed', async () => {
    fake.refuseLogin = { code: 409, msg: 'insufficient subscription' };
    const a = listen(stream, ['AAPL']);
    await until(() => a.last()?.state === 'closed', 'a closed status');
    expect(a.last()!.message).toBe('the Alpaca data plan does not include this feed (409 insufficient subscription): use iex');
    expect(fake.connections).toBe(1);
  });

  it('shares one connection among subscribers, each getting its own symbols, and closes after the last', async () => {
    const a = listen(stream, ['AAPL']);
    await a.live();
    const b = listen(stream, ['MSFT', 'AAPL']);
    await b.live();
    expect(b.last()!.message).toBe('connected to Alpaca (iex): bars of AAPL, MSFT');
    expect(fake.connections).toBe(1);
    expect(fake.subscribed()).toEqual(['AAPL', 'MSFT']);

    fake.sendBar(bar('AAPL', 0));
    fake.sendBar(bar('MSFT', 0));
    await until(() => a.bars.length === 1 && b.bars.length === 2, 'bars to both');
    expect(a.bars.map((x) => x.symbol)).toEqual(['AAPL']);

    await b.sub.close();
    await until(() => fake.subscribed().join() === 'AAPL', 'MSFT unsubscribed');
    expect(b.last()).toEqual({ state: 'closed', message: 'unsubscribed from Alpaca' });
    fake.sendBar(bar('AAPL', 1));
    await until(() => a.bars.length === 2, 'the next AAPL bar');
    expect(b.bars).toHaveLength(2);

    await a.sub.close();
    await until(() => fake.authenticated() === 0, 'the connection closed');
    await a.sub.close(); // idempotent
  });

  it('reports a connection refused for the account limit and keeps trying', async () => {
    const other = streamOn(fake);
    const first = listen(other, ['MSFT']);
    await first.live();
    const a = listen(stream, ['AAPL']);
    await until(() => a.last()?.state === 'reconnecting' && /406/.test(a.last()!.message), 'a 406 status');
    expect(a.last()!.message).toContain('Alpaca allows one stream connection per account');
    await first.sub.close();
    await a.live();
    expect(a.last()!.message).toBe('connected to Alpaca (iex) again: bars of AAPL');
  });

  it('backs a polling source with the push stream', async () => {
    const polled: unknown[] = [];
    const source = withAlpacaStream({ name: 'alpaca', poll: async (r) => (polled.push(r), []) }, stream);
    expect(source.name).toBe('alpaca');
    await source.poll({ symbols: ['AAPL'], timeframe: '1m', since: '2026-11-27T14:30:00Z', until: '2026-11-27T14:40:00Z' });
    expect(polled).toHaveLength(1);
    const bars: LiveBar[] = [];
    const sub = source.subscribe!(['AAPL'], { onBar: (b) => bars.push(b) });
    closers.push(() => sub.close());
    await until(() => fake.subscribed().includes('AAPL'), 'the subscription');
    fake.sendBar(bar('AAPL', 3));
    await until(() => bars.length === 1, 'a bar');
  });
});

describe('the fake Alpaca stream', () => {
  it("speaks Alpaca's documented JSON protocol to a client that does not ask for msgpack", async () => {
    const ws = new WebSocket(`${fake.url}/v2/iex`);
    const frames: unknown[] = [];
    ws.on('message', (data: Buffer) => frames.push(...(JSON.parse(data.toString('utf8')) as unknown[])));
    await until(() => frames.length === 1, 'the welcome');
    ws.send(JSON.stringify({ action: 'subscribe', bars: ['AAPL'] }));
    ws.send(JSON.stringify({ action: 'auth', key: FAKE_ALPACA_KEYS.keyId, secret: FAKE_ALPACA_KEYS.secretKey }));
    ws.send(JSON.stringify({ action: 'subscribe', bars: ['AAPL'] }));
    await until(() => frames.length === 4, 'three answers');
    fake.sendBar(bar('AAPL', 0));
    await until(() => frames.length === 5, 'a bar');
    ws.close();
    expect(frames).toEqual([
      { T: 'success', msg: 'connected' },
      { T: 'error', code: 401, msg: 'not authenticated' },
      { T: 'success', msg: 'authenticated' },
      { T: 'subscription', trades: [], quotes: [], bars: ['AAPL'], updatedBars: [], dailyBars: [], statuses: [], lulds: [], corrections: [], cancelErrors: [] },
      { T: 'b', S: 'AAPL', o: 99.5, h: 101, l: 99, c: 100, v: 1000, t: '2026-11-27T14:30:00Z', n: 42, vw: 100 },
    ]);
  });
});

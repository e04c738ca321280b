import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { openStream } from '../test/sse.js';

let t: TestServer;
beforeAll(async () => {
  // Ten years of a trade-every-step agent: more bytes than the kernel's socket buffers absorb.
  t = await startTestServer({ STREAM_MAX_BUFFER_BYTES: '65536', MARKET_YEARS: '10' });
});
afterAll(() => t.close());

it('cuts off a client that stops reading while a normal client keeps receiving', async () => {
  const { token } = await signup(t);
  const id = (
    await t.req('POST', '/api/models', {
      token,
      body: { name: 'Firehose', agent: { kind: 'random', params: { seed: 7, probability: 1 } }, risk: { max_orders_per_step: 1000, max_position_pct: 100 } },
    })
  ).body.id;

  // A raw TCP client that sends the request and never reads: its unsent bytes pile up on the server.
  const paused = connect(Number(new URL(t.url).port), '127.0.0.1');
  paused.pause();
  let closed = false;
  paused.on('close', () => (closed = true));
  paused.on('error', () => undefined);
  paused.write(`GET /api/trading/stream/${id}?token=${token} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n`);

  const normal = openStream(`${t.url}/api/trading/stream/${id}?token=${token}`);
  await normal.opened;
  // The raw client's request is served on its own schedule: wait until both streams are counted.
  await expect.poll(async () => (await t.req('GET', '/api/health')).body.streams.subscribers, { timeout: 10_000 }).toBe(2);
  await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2016-01-04', pace_ms: 0 } });
  const complete = await normal.waitFor((e) => e.type === 'complete', 60_000);
  normal.close();
  expect(complete.data).toMatchObject({ status: 'completed' });
  await new Promise((r) => setTimeout(r, 100));

  // The server dropped the paused client: it no longer counts as a subscriber, and what it can
  // still read ends before the run's end.
  expect((await t.req('GET', '/api/health')).body.streams.subscribers).toBe(0);
  let received = '';
  paused.on('data', (c) => (received += c));
  paused.resume();
  await new Promise<void>((resolve) => (closed ? resolve() : paused.on('close', () => resolve())));
  expect(received).toContain('"type":"connected"');
  expect(received).not.toContain('"type":"complete"');
});

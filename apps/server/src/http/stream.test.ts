import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TradingEvent } from '@tradewire/contract';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { openStream } from '../test/sse.js';

const isEnd = (e: TradingEvent) => e.type === 'complete';

describe('live event stream', () => {
  let t: TestServer;
  let token: string;
  let symbols: string[];

  const model = async (name: string, tok = token, agent: object = { kind: 'sma_crossover', params: { fast: 3, slow: 8 } }) => {
    const res = await t.req('POST', '/api/models', { token: tok, body: { name, agent, allowed_symbols: symbols.slice(0, 3) } });
    return res.body.id as number;
  };
  const start = (id: number, body: object = { start_date: '2026-09-01', pace_ms: 0 }, tok = token) =>
    t.req('POST', `/api/trading/start/${id}`, { token: tok, body });
  const streamUrl = (id: number, q = `token=${token}`) => `${t.url}/api/trading/stream/${id}?${q}`;
  const storedEvents = async (id: number, runId: number) =>
    TradingEvent.array().parse((await t.req('GET', `/api/models/${id}/runs/${runId}/events`, { token })).body.items);

  beforeAll(async () => {
    t = await startTestServer({ STREAM_HEARTBEAT_MS: '100' });
    token = (await signup(t)).token;
    symbols = (await t.req('GET', '/api/market/symbols', { token })).body.symbols.map((s: { symbol: string }) => s.symbol);
  });
  afterAll(() => t.close());

  it('streams a whole session in order: connected, status, progress, trade, portfolio, session_complete, complete', async () => {
    const id = await model('Whole');
    const s = openStream(streamUrl(id));
    await s.opened;
    const connected = await s.waitFor((e) => e.type === 'connected');
    expect(connected).toMatchObject({ type: 'connected', model_id: id, data: { model_id: id, message: 'Connected to trading stream', status: 'idle' } });
    const run = (await start(id)).body;
    await s.waitFor(isEnd);
    s.close();

    const live = s.events.filter((e) => e.type !== 'connected');
    for (const e of s.events) {
      expect(typeof e.type).toBe('string');
      // ISO 8601 in UTC with microseconds: distinct and increasing within the connection.
      expect(e.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(typeof e.data.message).toBe('string');
    }
    const stamps = s.events.map((e) => e.timestamp);
    expect(stamps).toEqual([...stamps].sort());
    expect(new Set(stamps).size).toBe(stamps.length);
    expect(live.slice(0, 2).map((e) => e.data.message)).toEqual(['Initializing AI agent...', 'Starting trading session...']);
    const order = ['status', 'progress', 'trade', 'portfolio', 'session_complete', 'complete'];
    const firstIndex = order.map((type) => live.findIndex((e) => e.type === type));
    expect(firstIndex.every((i) => i >= 0)).toBe(true);
    expect(live.at(-1)!.type).toBe('complete');
    expect(live.at(-2)!.type).toBe('session_complete');
    const trade = live.find((e) => e.type === 'trade')!;
    expect(trade.data).toMatchObject({ status: 'filled' });
    expect(trade.data).toHaveProperty('symbol');
    expect(trade.data).toHaveProperty('cash_after');
    // Exactly what was stored, in id order.
    expect(live.map((e) => e.id)).toEqual((await storedEvents(id, run.id)).map((e) => e.id));
  });

  it('keeps several models apart and carries all of them on one /api/stream connection', async () => {
    const [a, b] = [await model('Apart A'), await model('Apart B')];
    const ticket = (await t.req('POST', '/api/stream/ticket', { token })).body.ticket;
    const sa = openStream(streamUrl(a));
    const sb = openStream(streamUrl(b));
    const both = openStream(`${t.url}/api/stream?models=${a},${b}&ticket=${ticket}`);
    await Promise.all([sa.opened, sb.opened, both.opened]);
    await Promise.all([start(a), start(b)]);
    await Promise.all([sa.waitFor(isEnd), sb.waitFor(isEnd), both.waitFor((e) => isEnd(e) && e.model_id === a), both.waitFor((e) => isEnd(e) && e.model_id === b)]);
    [sa, sb, both].forEach((s) => s.close());
    expect(sa.events.every((e) => e.model_id === a)).toBe(true);
    expect(sb.events.every((e) => e.model_id === b)).toBe(true);
    const ids = both.events.slice(1).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(both.events.filter((e) => e.model_id === a).length).toBe(sa.events.length - 1);
    const connected = both.events[0]!;
    expect(connected.type).toBe('connected');
    expect(connected.data).toMatchObject({ snapshots: [{ model_id: a }, { model_id: b }] });
  });

  it('resumes after a disconnect with exactly the missed events (header and query forms)', async () => {
    const id = await model('Resume');
    const first = openStream(streamUrl(id));
    await first.opened;
    const run = (await start(id, { start_date: '2026-08-03', pace_ms: 5 })).body;
    const cut = await first.waitFor((e) => e.type === 'progress' && e.data.step === 5);
    first.close();
    const lastSeen = Number(first.events.at(-1)!.id);
    expect(Number(cut.id)).toBeLessThanOrEqual(lastSeen);
    await new Promise((r) => setTimeout(r, 150));

    const byHeader = openStream(streamUrl(id), { 'Last-Event-ID': String(lastSeen) });
    const byQuery = openStream(streamUrl(id, `token=${token}&last_event_id=${lastSeen}`));
    await Promise.all([byHeader.waitFor(isEnd), byQuery.waitFor(isEnd)]);
    byHeader.close();
    byQuery.close();

    const stored = (await storedEvents(id, run.id)).map((e) => e.id);
    for (const resumed of [byHeader, byQuery]) {
      expect(resumed.events[0]).toMatchObject({ type: 'connected', id: String(lastSeen) });
      const seen = [...first.events.slice(1), ...resumed.events.slice(1)].map((e) => e.id);
      expect(seen).toEqual(stored);
    }
  });

  it('sends reset first when the resume point is older than the buffer and storage replay allows', async () => {
    const small = await startTestServer({ STREAM_BUFFER_EVENTS: '10', STREAM_REPLAY_MAX_EVENTS: '10' });
    try {
      const tok = (await signup(small)).token;
      const id = (await small.req('POST', '/api/models', { token: tok, body: { name: 'Busy', agent: { kind: 'buy_and_hold' }, allowed_symbols: symbols.slice(0, 2) } })).body.id;
      await small.req('POST', `/api/trading/start/${id}`, { token: tok, body: { start_date: '2026-09-01', pace_ms: 0 } });
      const s0 = openStream(`${small.url}/api/trading/stream/${id}?token=${tok}`);
      await s0.opened;
      await new Promise((r) => setTimeout(r, 50));
      s0.close();
      const status = await small.req('GET', `/api/trading/status/${id}`, { token: tok });
      expect(status.status).toBe(200);
      const s = openStream(`${small.url}/api/trading/stream/${id}?token=${tok}&last_event_id=1`);
      const reset = await s.waitFor((e) => e.type === 'reset');
      s.close();
      expect(s.events[0]).toBe(reset);
      expect(s.events[1]!.type).toBe('connected');
    } finally {
      await small.close();
    }
  });

  it('streams an agent error', async () => {
    const own = await startTestServer({}, undefined, {
      agents: () => ({
        decide: async () => {
          throw new Error('model server unreachable');
        },
      }),
    });
    try {
      const { token: ownToken } = await signup(own);
      const id = (await own.req('POST', '/api/models', { token: ownToken, body: { name: 'Broken', agent: { kind: 'buy_and_hold' }, allowed_symbols: symbols.slice(0, 3) } })).body.id;
      const s = openStream(`${own.url}/api/trading/stream/${id}?token=${ownToken}`);
      await s.opened;
      await own.req('POST', `/api/trading/start/${id}`, { token: ownToken, body: { start_date: '2026-09-01', pace_ms: 0 } });
      const err = await s.waitFor((e) => e.type === 'error');
      expect(err.data.message).toBe('Agent error: model server unreachable');
      expect((await s.waitFor(isEnd)).data).toMatchObject({ status: 'failed' });
      s.close();
    } finally {
      await own.close();
    }
  });

  it('accepts ?token= and ?ticket= but never logs them', async () => {
    const id = await model('Secret');
    const ticket = (await t.req('POST', '/api/stream/ticket', { token })).body.ticket;
    const a = openStream(streamUrl(id));
    const b = openStream(streamUrl(id, `ticket=${ticket}`));
    await Promise.all([a.opened, b.opened]);
    a.close();
    b.close();
    expect(t.logs.some((l) => l.includes('[REDACTED]'))).toBe(true);
    expect(t.logs.some((l) => l.includes(token))).toBe(false);
    expect(t.logs.some((l) => l.includes(ticket))).toBe(false);
  });

  it('sends SSE headers, retry, and heartbeats', async () => {
    const id = await model('Heartbeat');
    const raw = await new Promise<{ headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = request(streamUrl(id), (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        setTimeout(() => {
          req.destroy();
          resolve({ headers: res.headers, body });
        }, 450);
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(raw.headers['cache-control']).toBe('no-cache, no-transform');
    expect(raw.headers['x-accel-buffering']).toBe('no');
    expect(raw.headers['connection']).toBe('keep-alive');
    expect(raw.headers['content-encoding']).toBeUndefined();
    expect(raw.body.startsWith('retry: 3000\n\n')).toBe(true);
    expect(raw.body.match(/^: ping$/gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
  });

  it('answers 401 before any stream bytes, 404 for another user, and lets an admin watch', async () => {
    const id = await model('Private');
    const other = await signup(t);
    const noAuth = await t.req('GET', `/api/trading/stream/${id}`);
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('content-type')).toMatch(/application\/json/);
    expect((await t.req('GET', `/api/trading/stream/${id}?token=garbage`)).status).toBe(401);
    expect((await t.req('GET', `/api/stream?ticket=${token}`)).status).toBe(401);
    expect((await t.req('GET', `/api/trading/stream/${id}?token=${other.token}`)).status).toBe(404);
    expect((await t.req('GET', `/api/stream?models=${id}&token=${other.token}`)).status).toBe(404);
    expect((await t.req('GET', `/api/stream?models=1,x&token=${token}`)).status).toBe(400);
    // The first account of the server is the admin: `token` is an admin watching another user's model.
    const theirs = (await t.req('POST', '/api/models', { token: other.token, body: { name: 'Theirs', agent: { kind: 'buy_and_hold' } } })).body.id;
    const admin = openStream(streamUrl(theirs));
    await admin.opened;
    admin.close();
    const notAdmin = await t.req('GET', `/api/trading/stream/${id}?token=${other.token}`);
    expect(notAdmin.status).toBe(404);
  });

  it('carries models created after a user-wide stream connected', async () => {
    const u = await signup(t);
    const s = openStream(`${t.url}/api/stream?token=${u.token}`);
    await s.opened;
    const id = (await t.req('POST', '/api/models', { token: u.token, body: { name: 'Later', agent: { kind: 'buy_and_hold' }, allowed_symbols: symbols.slice(0, 2) } })).body.id;
    await t.req('POST', `/api/trading/start/${id}`, { token: u.token, body: { start_date: '2026-10-01', pace_ms: 0 } });
    await s.waitFor((e) => isEnd(e) && e.model_id === id);
    s.close();
  });

  it('ends the stream when its model is deleted or its ticket expires, and counts subscribers back to 0', async () => {
    const id = await model('Doomed');
    const s = openStream(streamUrl(id));
    await s.opened;
    expect((await t.req('GET', '/api/health')).body.streams.subscribers).toBeGreaterThan(0);
    await t.req('DELETE', `/api/models/${id}`, { token });
    await s.ended;

    const short = await startTestServer({ STREAM_TICKET_TTL_S: '1' });
    try {
      const tok = (await signup(short)).token;
      const mid = (await short.req('POST', '/api/models', { token: tok, body: { name: 'Short', agent: { kind: 'buy_and_hold' } } })).body.id;
      const ticket = (await short.req('POST', '/api/stream/ticket', { token: tok })).body.ticket;
      const st = openStream(`${short.url}/api/trading/stream/${mid}?ticket=${ticket}`);
      await st.opened;
      await st.ended;
      await new Promise((r) => setTimeout(r, 1100));
      expect((await short.req('GET', `/api/trading/stream/${mid}?ticket=${ticket}`)).status).toBe(401);
    } finally {
      await short.close();
    }
    await new Promise((r) => setTimeout(r, 50));
    expect((await t.req('GET', '/api/health')).body.streams.subscribers).toBe(0);
  });

  it('ends streams cleanly on shutdown, after the interrupted run\'s final complete event', async () => {
    const own = await startTestServer();
    const tok = (await signup(own)).token;
    const id = (await own.req('POST', '/api/models', { token: tok, body: { name: 'Shutdown', agent: { kind: 'buy_and_hold' } } })).body.id;
    const s = openStream(`${own.url}/api/trading/stream/${id}?token=${tok}`);
    await s.opened;
    await own.req('POST', `/api/trading/start/${id}`, { token: tok, body: { pace_ms: 200 } });
    await s.waitFor((e) => e.type === 'progress');
    await own.close();
    await s.ended;
    expect(s.events.at(-1)).toMatchObject({ type: 'complete', data: { status: 'interrupted' } });
  });
});

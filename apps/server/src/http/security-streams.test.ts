import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/postgres.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { openStream, type SseClient } from '../test/sse.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The status a stream request answers with (the body is dropped: a 200 would stream forever). */
async function streamStatus(url: string) {
  const ctl = new AbortController();
  const res = await fetch(url, { signal: ctl.signal });
  ctl.abort();
  return res.status;
}

const ticketOf = async (t: TestServer, token: string) => {
  const res = await t.req('POST', '/api/stream/ticket', { token });
  expect(res.status).toBe(200);
  return res.body.ticket as string;
};

const open = async (url: string): Promise<SseClient> => {
  const s = openStream(url);
  await s.opened;
  return s;
};

const login = async (t: TestServer, email: string) => (await t.req('POST', '/api/auth/login', { body: { email, password: 'correct horse battery' } })).body.access_token as string;

const sma = { kind: 'sma_crossover', params: { fast: 3, slow: 8 } };

describe('streams end with the credential that authorised them (one process)', () => {
  let t: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    t = await startTestServer({ LOG_LEVEL: 'warn' });
    // The first account is the admin.
    adminToken = (await signup(t)).token;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logout closes the streams opened with the token and its tickets at once; a ticket issued before logout opens nothing; other sign-ins go on', async () => {
    const { token, user } = await signup(t);
    const other = await login(t, user.email);
    const model = (await t.req('POST', '/api/models', { token, body: { name: 'Watched', agent: sma } })).body;

    const byToken = await open(`${t.url}/api/trading/stream/${model.id}?token=${token}`);
    const byTicket = await open(`${t.url}/api/stream?ticket=${await ticketOf(t, token)}`);
    const unused = await ticketOf(t, token);
    const otherSession = await open(`${t.url}/api/trading/stream/${model.id}?token=${other}`);

    expect((await t.req('POST', '/api/auth/logout', { token })).status).toBe(204);
    await Promise.all([byToken.ended, byTicket.ended]);
    expect(await streamStatus(`${t.url}/api/stream?ticket=${unused}`)).toBe(401);
    expect(await streamStatus(`${t.url}/api/trading/stream/${model.id}?token=${token}`)).toBe(401);

    // The other sign-in's stream still carries the model's events.
    const start = await t.req('POST', `/api/trading/start/${model.id}`, { token: other, body: { start_date: '2026-09-01', end_date: '2026-09-10', pace_ms: 0 } });
    expect(start.status).toBe(202);
    await otherSession.waitFor((e) => e.type === 'complete');
    otherSession.close();
  });

  it("demoting an admin closes their stream of another user's model; their ticket from before opens nothing of it", async () => {
    const deputy = await signup(t);
    expect((await t.req('PUT', `/api/admin/users/${deputy.user.id}/role`, { token: adminToken, body: { role: 'admin' } })).status).toBe(200);
    const owner = await signup(t);
    const model = (await t.req('POST', '/api/models', { token: owner.token, body: { name: 'Not yours', agent: sma } })).body;

    const watching = await open(`${t.url}/api/trading/stream/${model.id}?token=${deputy.token}`);
    const ticket = await ticketOf(t, deputy.token);
    expect((await t.req('PUT', `/api/admin/users/${deputy.user.id}/role`, { token: adminToken, body: { role: 'user' } })).status).toBe(200);
    await watching.ended;
    expect(await streamStatus(`${t.url}/api/trading/stream/${model.id}?token=${deputy.token}`)).toBe(404);
    expect(await streamStatus(`${t.url}/api/trading/stream/${model.id}?ticket=${ticket}`)).toBe(404);
    // Their own streams open again at once under the new role.
    expect(await streamStatus(`${t.url}/api/stream?token=${deputy.token}`)).toBe(200);
  });
});

describe('streams end on every node (two API nodes on one PostgreSQL and one Redis)', () => {
  const prefix = `tw-test-${randomBytes(6).toString('hex')}`;
  let db: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { LOG_LEVEL: 'warn', DATABASE_URL: db.url, REDIS_URL, REDIS_PREFIX: prefix, JWT_SECRET: randomBytes(32).toString('hex'), WORKERS: '0' };
    a = await startTestServer(env);
    b = await startTestServer(env);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('logout on node A closes the stream on node B; role changes on A close streams on B', async () => {
    const admin = await signup(a);
    expect(admin.user.role).toBe('admin');
    const user = await signup(a);
    const model = (await a.req('POST', '/api/models', { token: user.token, body: { name: 'Shared', agent: sma } })).body;

    const onB = await open(`${b.url}/api/trading/stream/${model.id}?token=${user.token}`);
    const ticketFromB = await ticketOf(b, user.token);
    expect((await a.req('POST', '/api/auth/logout', { token: user.token })).status).toBe(204);
    await onB.ended;
    expect(await streamStatus(`${b.url}/api/stream?ticket=${ticketFromB}`)).toBe(401);

    const deputy = await signup(b);
    expect((await a.req('PUT', `/api/admin/users/${deputy.user.id}/role`, { token: admin.token, body: { role: 'admin' } })).status).toBe(200);
    const watching = await open(`${b.url}/api/trading/stream/${model.id}?token=${deputy.token}`);
    expect((await a.req('PUT', `/api/admin/users/${deputy.user.id}/role`, { token: admin.token, body: { role: 'user' } })).status).toBe(200);
    await watching.ended;
    expect(await streamStatus(`${b.url}/api/trading/stream/${model.id}?token=${deputy.token}`)).toBe(404);
  }, 30_000);
});

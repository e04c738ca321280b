import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';

describe('admin routes', () => {
  let t: TestServer;
  let admin: { token: string; user: { id: number } };
  let alice: { token: string; user: { id: number } };

  const createModel = async (token: string, name: string) => {
    const res = await t.req('POST', '/api/models', { token, body: { name, agent: { kind: 'buy_and_hold', params: {} } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as number;
  };
  /** Runs a model to completion over a short range and returns the run id. */
  const completeRun = async (token: string, id: number) => {
    const start = await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2026-03-02', end_date: '2026-04-30', pace_ms: 0 } });
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    await until(async () => (await t.req('GET', `/api/trading/status/${id}`, { token })).body.status === 'idle');
    return start.body.id as number;
  };

  beforeAll(async () => {
    t = await startTestServer();
    admin = await signup(t, 'root@example.com');
    alice = await signup(t, 'alice@example.com');
  });
  afterAll(() => t.close());

  const routes: [string, string, unknown?][] = [
    ['GET', '/api/admin/users'],
    ['PUT', '/api/admin/users/1/role', { role: 'user' }],
    ['GET', '/api/admin/models'],
    ['GET', '/api/admin/stats'],
    ['GET', '/api/admin/leaderboard'],
  ];

  it('answers 401 without a token and 403 to a normal user on every route', async () => {
    for (const [method, path, body] of routes) {
      expect((await t.req(method, path, { body })).status, `${method} ${path}`).toBe(401);
      const res = await t.req(method, path, { token: alice.token, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    expect((await t.req('GET', `/api/admin/users`, { token: admin.token })).body.items.find((u: { id: number }) => u.id === 1).role).toBe('admin');
  });

  it('lists users with their model counts', async () => {
    await createModel(alice.token, 'Alice One');
    const res = await t.req('GET', '/api/admin/users', { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.next_cursor).toBeNull();
    const byEmail = Object.fromEntries(res.body.items.map((u: { email: string }) => [u.email, u]));
    expect(byEmail['root@example.com']).toEqual({
      id: admin.user.id,
      email: 'root@example.com',
      display_name: expect.any(String),
      role: 'admin',
      created_at: expect.any(String),
      model_count: 0,
    });
    expect(byEmail['alice@example.com']).toMatchObject({ id: alice.user.id, role: 'user', model_count: 1 });
    expect(JSON.stringify(res.body)).not.toContain('password');
  });

  it('changes roles, refuses bad values and unknown users, and keeps the last admin', async () => {
    for (const body of [{ role: 'owner' }, {}, { role: 'admin', extra: 1 }]) {
      const bad = await t.req('PUT', `/api/admin/users/${alice.user.id}/role`, { token: admin.token, body });
      expect(bad.status, JSON.stringify(bad.body)).toBe(400);
      expect(bad.body.error.message).toMatch(/role|extra/);
    }
    const badRole = await t.req('PUT', `/api/admin/users/${alice.user.id}/role`, { token: admin.token, body: { role: 'owner' } });
    expect(badRole.body.error.message).toContain('role');
    expect((await t.req('PUT', '/api/admin/users/999999/role', { token: admin.token, body: { role: 'admin' } })).status).toBe(404);
    expect((await t.req('PUT', '/api/admin/users/abc/role', { token: admin.token, body: { role: 'admin' } })).status).toBe(400);

    const last = await t.req('PUT', `/api/admin/users/${admin.user.id}/role`, { token: admin.token, body: { role: 'user' } });
    expect(last.status).toBe(409);
    expect(last.body.error.message).toContain('last admin');
    expect((await t.server.ctx.storage.users.byId(admin.user.id))?.role).toBe('admin');

    const promoted = await t.req('PUT', `/api/admin/users/${alice.user.id}/role`, { token: admin.token, body: { role: 'admin' } });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ id: alice.user.id, email: 'alice@example.com', role: 'admin', model_count: 1 });
    // Alice's old token says "user"; the guard reads the token, so she signs in again to act as admin.
    const aliceAdmin = (await t.req('POST', '/api/auth/login', { body: { email: 'alice@example.com', password: 'correct horse battery' } })).body.access_token;
    expect((await t.req('GET', '/api/admin/stats', { token: aliceAdmin })).status).toBe(200);

    // With two admins, the first may step down; its token stops working for admin routes at once.
    const down = await t.req('PUT', `/api/admin/users/${admin.user.id}/role`, { token: admin.token, body: { role: 'user' } });
    expect(down.status).toBe(200);
    expect(down.body.role).toBe('user');
    expect((await t.req('GET', '/api/admin/users', { token: admin.token })).status).toBe(403);

    // Restore: alice makes root admin again and then steps down herself.
    expect((await t.req('PUT', `/api/admin/users/${admin.user.id}/role`, { token: aliceAdmin, body: { role: 'admin' } })).status).toBe(200);
    expect((await t.req('PUT', `/api/admin/users/${alice.user.id}/role`, { token: aliceAdmin, body: { role: 'user' } })).status).toBe(200);
    expect((await t.req('GET', '/api/admin/users', { token: admin.token })).status).toBe(200);
  });

  it('lists every model with its owner and status', async () => {
    const own = await createModel(admin.token, 'Root Model');
    const res = await t.req('GET', '/api/admin/models', { token: admin.token });
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.items.map((m: { name: string }) => [m.name, m]));
    expect(byName['Alice One']).toMatchObject({ user_id: alice.user.id, owner_email: 'alice@example.com', status: 'idle' });
    expect(byName['Root Model']).toMatchObject({ id: own, owner_email: 'root@example.com', status: 'idle' });
  });

  it('reports platform stats', async () => {
    const res = await t.req('GET', '/api/admin/stats', { token: admin.token });
    expect(res.status).toBe(200);
    const models = (await t.req('GET', '/api/admin/models', { token: admin.token })).body.items.length;
    expect(res.body).toEqual({ users: 2, models, running_runs: 0, events_per_s: expect.any(Number), connected_streams: expect.any(Number) });

    const id = await createModel(alice.token, 'Slow One');
    expect((await t.req('POST', `/api/trading/start/${id}`, { token: alice.token, body: { pace_ms: 1000 } })).status).toBe(202);
    const stream = await fetch(`${t.url}/api/trading/stream/${id}?token=${alice.token}`);
    try {
      await until(async () => (await t.req('GET', '/api/admin/stats', { token: admin.token })).body.connected_streams >= 1);
      const live = (await t.req('GET', '/api/admin/stats', { token: admin.token })).body;
      expect(live).toMatchObject({ running_runs: 1, models: models + 1 });
      expect((await t.req('GET', '/api/admin/models', { token: admin.token })).body.items.find((m: { id: number }) => m.id === id).status).toBe('running');
    } finally {
      await stream.body?.cancel();
      await t.req('POST', `/api/trading/stop/${id}`, { token: alice.token });
    }
  });

  it("ranks models by their latest completed run's return or Sharpe", async () => {
    const ids = [await createModel(alice.token, 'Board A'), await createModel(admin.token, 'Board B')];
    const runs = [await completeRun(alice.token, ids[0]!), await completeRun(admin.token, ids[1]!)];
    const res = await t.req('GET', '/api/admin/leaderboard', { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body.by).toBe('return');
    const items = res.body.items as { rank: number; model_id: number; run_id: number; return_pct: number; sharpe: number | null; owner: string; model_name: string }[];
    expect(items.map((e) => e.rank)).toEqual(items.map((_, i) => i + 1));
    expect(items.map((e) => e.return_pct)).toEqual([...items.map((e) => e.return_pct)].sort((a, b) => b - a));
    const a = items.find((e) => e.model_id === ids[0]);
    expect(a).toMatchObject({ model_name: 'Board A', owner: 'alice@example.com', run_id: runs[0], trade_count: expect.any(Number), max_drawdown_pct: expect.any(Number) });
    const metrics = (await t.req('GET', `/api/models/${ids[0]}/performance`, { token: alice.token })).body.metrics;
    expect(a!.return_pct).toBe(metrics.total_return_pct);

    const bySharpe = await t.req('GET', '/api/admin/leaderboard?by=sharpe&limit=1', { token: admin.token });
    expect(bySharpe.status).toBe(200);
    expect(bySharpe.body.by).toBe('sharpe');
    expect(bySharpe.body.items).toHaveLength(1);
    const best = Math.max(...items.map((e) => e.sharpe ?? -Infinity));
    expect(bySharpe.body.items[0].sharpe).toBe(best);

    for (const q of ['by=alpha', 'limit=0', 'limit=x', 'other=1']) {
      const bad = await t.req('GET', `/api/admin/leaderboard?${q}`, { token: admin.token });
      expect(bad.status, q).toBe(400);
    }
  });

  it('applies a role change to tokens issued before it', async () => {
    const bob = await signup(t, 'bob@example.com');
    expect((await t.req('GET', '/api/admin/stats', { token: bob.token })).status).toBe(403);
    expect((await t.req('PUT', `/api/admin/users/${bob.user.id}/role`, { token: admin.token, body: { role: 'admin' } })).status).toBe(200);
    expect((await t.req('GET', '/api/admin/stats', { token: bob.token })).status).toBe(200);
    const theirs = await createModel(alice.token, 'Watched by a new admin');
    expect((await t.req('GET', `/api/models/${theirs}`, { token: bob.token })).status).toBe(200);
    expect((await t.req('PUT', `/api/admin/users/${bob.user.id}/role`, { token: admin.token, body: { role: 'user' } })).status).toBe(200);
    expect((await t.req('GET', `/api/models/${theirs}`, { token: bob.token })).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';

describe('POST /api/arena', () => {
  let t: TestServer;
  let token: string;
  let symbols: string[];
  const range = { start_date: '2026-01-02', end_date: '2026-03-31' };

  const createModel = async (name: string, as = token) => {
    const res = await t.req('POST', '/api/models', {
      token: as,
      body: { name, agent: { kind: 'sma_crossover', params: { fast: 5, slow: 20 } }, allowed_symbols: symbols.slice(0, 3) },
    });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  const statusOf = async (id: number) => (await t.req('GET', `/api/trading/status/${id}`, { token })).body;
  const runCount = async (id: number) => (await t.req('GET', `/api/models/${id}/runs`, { token })).body.items.length as number;
  const stopAll = async (ids: number[]) => {
    await Promise.all(ids.map((id) => t.req('POST', `/api/trading/stop/${id}`, { token })));
    await until(async () => (await Promise.all(ids.map(statusOf))).every((s) => s.status === 'idle'));
  };

  beforeAll(async () => {
    t = await startTestServer();
    token = (await signup(t)).token;
    symbols = (await t.req('GET', '/api/market/symbols', { token })).body.symbols.map((s: { symbol: string }) => s.symbol);
  });
  afterAll(() => t.close());

  it('starts every model on the same dates and answers 202 with their runs', async () => {
    const ids = [await createModel('Arena A'), await createModel('Arena B'), await createModel('Arena C')];
    const res = await t.req('POST', '/api/arena', { token, body: { model_ids: ids, ...range, pace_ms: 50 } });
    expect(res.status).toBe(202);
    expect(res.body.runs.map((r: { model_id: number }) => r.model_id)).toEqual(ids);
    for (const run of res.body.runs) expect(run).toMatchObject({ status: 'running', pace_ms: 50, end_date: '2026-03-31' });
    expect(new Set(res.body.runs.map((r: { start_date: string }) => r.start_date)).size).toBe(1);
    for (const id of ids) expect((await statusOf(id)).status).toBe('running');
    await stopAll(ids);
  });

  it('keeps each arena: listed newest first with its outcomes, reopened with every run’s daily equity; only by its owner', async () => {
    const ids = [await createModel('Kept A'), await createModel('Kept B')];
    const started = await t.req('POST', '/api/arena', { token, body: { model_ids: ids, ...range, pace_ms: 0, name: '  Spring race  ' } });
    expect(started.status).toBe(202);
    const arena = started.body.arena;
    expect(arena).toMatchObject({ name: 'Spring race', end_date: '2026-03-31', pace_ms: 0 });
    expect(arena.entries.map((e: { model_id: number }) => e.model_id)).toEqual(ids);
    await until(async () => (await Promise.all(ids.map(statusOf))).every((s) => s.status === 'idle'));

    const unnamed = await t.req('POST', '/api/arena', { token, body: { model_ids: [...ids].reverse(), ...range, pace_ms: 0 } });
    expect(unnamed.body.arena.name).toBe('Kept B vs Kept A');
    await until(async () => (await Promise.all(ids.map(statusOf))).every((s) => s.status === 'idle'));

    const list = await t.req('GET', '/api/arenas', { token });
    expect(list.status).toBe(200);
    const mine = list.body.items.filter((a: { id: number }) => [arena.id, unnamed.body.arena.id].includes(a.id));
    expect(mine.map((a: { id: number }) => a.id)).toEqual([unnamed.body.arena.id, arena.id]);
    expect(mine[1]).toMatchObject({ status: 'finished', name: 'Spring race' });
    for (const e of mine[1].entries) {
      expect(e.status).toBe('completed');
      expect(typeof e.return_pct).toBe('number');
      expect(e.equity_curve).toBeUndefined();
    }

    const one = await t.req('GET', `/api/arenas/${arena.id}`, { token });
    expect(one.status).toBe(200);
    for (const e of one.body.entries) {
      const run = (await t.req('GET', `/api/models/${e.model_id}/runs/${e.run_id}`, { token })).body;
      expect(e.equity_curve).toEqual(run.equity_curve);
      expect(e.return_pct).toBe(run.metrics.total_return_pct);
    }
    const other = (await signup(t)).token;
    expect((await t.req('GET', `/api/arenas/${arena.id}`, { token: other })).status).toBe(404);
    expect((await t.req('GET', '/api/arenas', { token: other })).body.items).toEqual([]);
    expect((await t.req('GET', '/api/arenas/abc', { token })).status).toBe(400);
    expect((await t.req('GET', '/api/arenas?limit=0', { token })).status).toBe(400);
  });

  it('answers 409 and starts nothing when one model already runs', async () => {
    const [a, b, c] = [await createModel('Busy A'), await createModel('Busy B'), await createModel('Busy C')];
    expect((await t.req('POST', `/api/trading/start/${b}`, { token, body: { ...range, pace_ms: 1000 } })).status).toBe(202);
    const res = await t.req('POST', '/api/arena', { token, body: { model_ids: [a, b, c], ...range } });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(String(b));
    expect((await statusOf(a)).status).toBe('idle');
    expect((await statusOf(c)).status).toBe('idle');
    expect(await runCount(a)).toBe(0);
    expect(await runCount(c)).toBe(0);
    await stopAll([b]);
  });

  it("answers 404 for another user's model and starts nothing", async () => {
    const other = (await signup(t)).token;
    const theirs = await createModel('Theirs', other);
    const mine = await createModel('Mine');
    const res = await t.req('POST', '/api/arena', { token, body: { model_ids: [mine, theirs], ...range } });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(String(theirs));
    expect(await runCount(mine)).toBe(0);
  });

  it('answers 400 naming the field for bad input, and starts nothing', async () => {
    const [a, b] = [await createModel('Bad A'), await createModel('Bad B')];
    const cases: [unknown, RegExp][] = [
      [{ model_ids: [a] }, /model_ids/],
      [{}, /model_ids/],
      [{ model_ids: [a, a] }, /model_ids/],
      [{ model_ids: Array.from({ length: 21 }, (_, i) => i + 1) }, /model_ids/],
      [{ model_ids: [a, 'x'] }, /model_ids/],
      [{ model_ids: [a, b], start_date: '2026-13-01' }, /start_date/],
      [{ model_ids: [a, b], pace_ms: -1 }, /pace_ms/],
      [{ model_ids: [a, b], start_date: '2026-03-01', end_date: '2026-01-01' }, /start_date/],
      [{ model_ids: [a, b], colour: 'red' }, /colour/],
    ];
    for (const [body, field] of cases) {
      const res = await t.req('POST', '/api/arena', { token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message, JSON.stringify(body)).toMatch(field);
    }
    expect(await runCount(a)).toBe(0);
    expect(await runCount(b)).toBe(0);
  });

  it('needs a signed-in user', async () => {
    expect((await t.req('POST', '/api/arena', { body: { model_ids: [1, 2] } })).status).toBe(401);
  });
});

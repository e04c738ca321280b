import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/postgres.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';


describe('the server on PostgreSQL (DATABASE_URL)', () => {
  let database: TestDatabase;
  let t: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestServer({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  it('reports postgres storage on /api/health', async () => {
    const health = await t.req('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body.storage).toBe('postgres');
  });

  it('signs up, creates a model and runs a session to completion with trades', async () => {
    const { token, user } = await signup(t);
    expect(user.role).toBe('admin');
    const symbols = (await t.req('GET', '/api/market/symbols', { token })).body.symbols.map((s: { symbol: string }) => s.symbol);
    const allowed = symbols.slice(0, 2);
    const created = await t.req('POST', '/api/models', {
      token,
      body: { name: 'Pg Momentum', agent: { kind: 'sma_crossover', params: { fast: 5, slow: 20 } }, allowed_symbols: allowed },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    const start = await t.req('POST', `/api/trading/start/${id}`, { token, body: { start_date: '2026-10-01', pace_ms: 0 } });
    expect(start.status).toBe(202);
    expect(start.body).toMatchObject({ model_id: id, run_number: 1, status: 'running' });
    await until(async () => (await t.req('GET', `/api/trading/status/${id}`, { token })).body.status === 'idle');

    const run = (await t.req('GET', `/api/models/${id}/runs/${start.body.id}`, { token })).body;
    expect(run.status).toBe('completed');
    expect(run.equity_curve.length).toBeGreaterThan(0);
    const trades = (await t.req('GET', `/api/models/${id}/trades?run_id=${run.id}&limit=1000`, { token })).body.items;
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.filter((x: { status: string }) => x.status === 'filled')).toHaveLength(run.metrics.trade_count);
    for (const trade of trades) {
      expect(allowed).toContain(trade.symbol);
      expect(typeof trade.price).toBe('number');
    }
    const events = (await t.req('GET', `/api/models/${id}/runs/${run.id}/events`, { token })).body.items;
    expect(events.map((e: { type: string }) => e.type).slice(-2)).toEqual(['session_complete', 'complete']);
  });
});

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TradingEvent } from '@tradewire/contract';
import { createTestDatabase, type TestDatabase } from '../test/postgres.js';
import { type Proc, startProcess } from '../test/processes.js';
import { type RedisServer, startRedisServer } from '../test/redis-server.js';
import { ResumingClient } from '../test/resuming-client.js';
import { until } from '../test/until.js';

/**
 * Faults of the scaled setup, with real processes, a PostgreSQL database and a redis-server of
 * the suite's own: dropped database connections, Redis dying and coming back empty, an API node
 * killed while starting a run, the only worker killed. Nothing may be lost, duplicated or left
 * running.
 */
describe('faults: PostgreSQL drops, Redis outages, killed processes', () => {
  const LOCK_MS = 2_000;
  const base = 20_000 + Math.floor(Math.random() * 10_000);
  const apiPort = base;
  let redis: RedisServer;
  let db: TestDatabase;
  let env: Record<string, string>;
  let api: Proc;
  let worker: Proc;
  let token: string;
  let symbols: string[];

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${apiPort}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };
  const model = async (name: string) =>
    (await call('POST', '/api/models', { name, agent: { kind: 'sma_crossover', params: { fast: 3, slow: 8 } }, allowed_symbols: symbols })).body.id as number;
  const runOf = async (modelId: number) => (await call('GET', `/api/models/${modelId}/runs`)).body.items[0];
  const storedEvents = async (modelId: number, runId: number) => TradingEvent.array().parse((await call('GET', `/api/models/${modelId}/runs/${runId}/events`)).body.items);
  const settled = (modelId: number, ms = 60_000) => until(async () => (await runOf(modelId))?.status !== 'running', `run of model ${modelId} to end`, ms);
  /** Ends every connection of the suite's own database but the asking one. */
  const terminateConnections = async () => {
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const { rowCount } = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    await admin.end();
    return rowCount ?? 0;
  };

  beforeAll(async () => {
    [redis, db] = await Promise.all([startRedisServer(base + 1), createTestDatabase()]);
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `tw-faults-${randomBytes(4).toString('hex')}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      MARKET_YEARS: '3',
      HOST: '127.0.0.1',
      DATA_DIR: `/tmp/tw-faults-${randomBytes(4).toString('hex')}`,
      WORKER_LOCK_MS: String(LOCK_MS),
      LOG_LEVEL: 'warn',
    };
    api = startProcess('main', { ...env, PORT: String(apiPort), WORKERS: '0', LOG_LEVEL: 'info' });
    worker = startProcess('worker', env);
    await Promise.all([api.waitFor(/Server listening/, 60_000), worker.waitFor(/worker started/, 60_000)]);
    const res = await fetch(`http://127.0.0.1:${apiPort}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'faults@example.com', password: 'correct horse battery staple' }),
    });
    token = ((await res.json()) as { access_token: string }).access_token;
    symbols = (await call('GET', '/api/market/symbols')).body.symbols.slice(0, 3).map((s: { symbol: string }) => s.symbol);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api?.kill(), worker?.kill()]);
    await redis?.kill();
    await db?.drop();
  });

  it('runs carry on when PostgreSQL drops every connection mid-run, writing nothing twice', async () => {
    const ids = [await model('Drop A'), await model('Drop B')];
    for (const id of ids) expect((await call('POST', `/api/trading/start/${id}`, { start_date: '2026-06-01', pace_ms: 30 })).status).toBe(202);
    await until(async () => (await call('GET', `/api/trading/status/${ids[0]}`)).body.progress?.step >= 5, 'the runs to be under way');
    expect(await terminateConnections()).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    await terminateConnections();
    for (const id of ids) await settled(id);
    for (const id of ids) {
      const run = await runOf(id);
      expect(run.status).toBe('completed');
      const events = await storedEvents(id, run.id);
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      // Every step recorded once, in order.
      const steps = events.flatMap((e) => (e.type === 'progress' ? [e.data.step] : []));
      expect(steps).toEqual(steps.map((_, i) => i + 1));
      expect(events.at(-1)).toMatchObject({ type: 'complete', data: { status: 'completed' } });
      const trades = (await call('GET', `/api/models/${id}/trades?run_id=${run.id}&limit=1000`)).body.items;
      expect(trades.filter((t: { status: string }) => t.status === 'filled')).toHaveLength(run.metrics.trade_count);
    }
    expect(worker.child.exitCode).toBeNull();
  }, 90_000);

  it('a 40 s Redis outage and an empty restart lose nothing: resuming clients get every stored event once, in id order', async () => {
    const id = await model('Outage');
    const url = () => `http://127.0.0.1:${apiPort}/api/trading/stream/${id}?token=${token}`;
    const clients = Array.from({ length: 4 }, () => new ResumingClient(url));
    await until(() => clients.every((c) => c.events.some((e) => e.type === 'connected')), 'four connected clients');
    const run = (await call('POST', `/api/trading/start/${id}`, { start_date: '2026-01-02', pace_ms: 60 })).body;
    await until(() => clients.every((c) => c.runEvents.some((e) => e.type === 'progress' && e.data.step >= 5)), 'the run under way on every client');

    await redis.kill();
    const health = await call('GET', '/api/health');
    expect(health.body).toMatchObject({ status: 'degraded', dependencies: { storage: 'ok', redis: 'down' } });
    expect((await call('POST', `/api/trading/start/${await model('While down')}`, {})).status).toBe(503);
    await new Promise((r) => setTimeout(r, 40_000));
    await redis.restart();

    await settled(id, 120_000);
    await until(() => clients.every((c) => c.runEvents.some((e) => e.type === 'complete')), 'every client to see the end', 30_000);
    clients.forEach((c) => c.close());
    const stored = await storedEvents(id, run.id);
    expect(stored.at(-1)).toMatchObject({ type: 'complete', data: { status: 'completed' } });
    for (const c of clients) {
      expect(c.resets).toBe(0);
      expect(c.runEvents.map((e) => e.id)).toEqual(stored.map((e) => e.id));
    }
    expect((await call('GET', '/api/health')).body.status).toBe('ok');
  }, 240_000);

  it('a run whose API node died before queueing it is closed within the lock time, with a complete event', async () => {
    const id = await model('Orphan');
    // What a node killed between writing the run and queueing it leaves: a running run with no job.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(
      `insert into runs (model_id, run_number, status, start_date, end_date, pace_ms, config, started_at, cash, step, total_steps, trade_count)
       values ($1, 1, 'running', '2026-01-02', '2026-03-31', 100, '{}', $2, 10000, 0, 60, 0) returning id`,
      [id, new Date().toISOString()],
    );
    await client.end();
    const runId = Number(rows[0].id);
    const started = Date.now();
    await settled(id, 5 * LOCK_MS + 10_000);
    expect(Date.now() - started).toBeLessThan(5 * LOCK_MS + 10_000);
    const run = await runOf(id);
    expect(run).toMatchObject({ id: runId, status: 'interrupted' });
    expect((await storedEvents(id, runId)).at(-1)).toMatchObject({ type: 'complete', data: { status: 'interrupted' } });
  }, 60_000);

  it('killing the only worker mid-run closes its run with a complete event', async () => {
    const id = await model('Lonely');
    const run = (await call('POST', `/api/trading/start/${id}`, { start_date: '2026-01-02', pace_ms: 100 })).body;
    await until(async () => (await call('GET', `/api/trading/status/${id}`)).body.progress?.step >= 3, 'the run under way');
    await worker.kill();
    await settled(id, 10 * LOCK_MS + 10_000);
    expect((await runOf(id)).status).toBe('interrupted');
    expect((await storedEvents(id, run.id)).at(-1)).toMatchObject({ type: 'complete', data: { status: 'interrupted' } });
  }, 60_000);
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TradingEvent } from '@tradewire/contract';
import { Redis } from 'ioredis';
import { createTestDatabase } from '../test/postgres.js';
import { type Proc, startProcess } from '../test/processes.js';
import { openStream } from '../test/sse.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Two API nodes and one worker on one PostgreSQL database and one Redis: a client streams from
 * node A while the worker runs the session; A is killed mid-run; the client resumes on node B.
 */
describe('scaled out: PostgreSQL, Redis Streams, BullMQ workers', () => {
  const procs: Proc[] = [];
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const prefix = `tw-test-${randomBytes(6).toString('hex')}`;
  const ports = [18_000 + Math.floor(Math.random() * 2000), 0];
  ports[1] = ports[0]! + 1;
  let env: Record<string, string>;

  const api = async (port: number, method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      MARKET_YEARS: '3',
      HOST: '127.0.0.1',
      DATA_DIR: `/tmp/${prefix}`,
      WORKER_LOCK_MS: '2000',
      LOG_LEVEL: 'info',
    };
    const nodes = ports.map((port) => startProcess('main', { ...env, PORT: String(port), WORKERS: '0' }));
    const worker = startProcess('worker', env);
    procs.push(...nodes, worker);
    await Promise.all([...nodes.map((n) => n.waitFor(/Server listening/)), worker.waitFor(/worker started/)]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.kill()));
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('a client resumes on node B after node A dies mid-run and sees every event exactly once', async () => {
    const [a, b] = ports as [number, number];
    const signup = await api(a, 'POST', '/api/auth/signup', undefined, { email: 'scale@example.com', password: 'correct horse battery' });
    const token = signup.body.access_token as string;
    const symbols = (await api(b, 'GET', '/api/market/symbols', token)).body.symbols.slice(0, 3).map((s: { symbol: string }) => s.symbol);
    const model = (await api(a, 'POST', '/api/models', token, { name: 'Scaled', agent: { kind: 'sma_crossover', params: { fast: 3, slow: 8 } }, allowed_symbols: symbols })).body;

    const onA = openStream(`http://127.0.0.1:${a}/api/trading/stream/${model.id}?token=${token}`);
    await onA.opened;
    const run = (await api(b, 'POST', `/api/trading/start/${model.id}`, token, { start_date: '2026-08-03', pace_ms: 40 })).body;
    expect(run.status).toBe('running');
    await onA.waitFor((e) => e.type === 'progress' && e.data.step >= 5);
    await procs[0]!.kill();
    await onA.ended;
    const seenOnA = onA.events.filter((e) => e.type !== 'connected');
    const last = seenOnA.at(-1)!.id;

    const onB = openStream(`http://127.0.0.1:${b}/api/trading/stream/${model.id}?token=${token}`, { 'Last-Event-ID': last });
    await onB.waitFor((e) => e.type === 'complete', 60_000);
    onB.close();
    const seen: TradingEvent[] = [...seenOnA, ...onB.events.filter((e) => e.type !== 'connected')];
    const stored = TradingEvent.array().parse((await api(b, 'GET', `/api/models/${model.id}/runs/${run.id}/events`, token)).body.items);
    expect(seen.map((e) => e.id)).toEqual(stored.map((e) => e.id));
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    expect(stored.at(-1)).toMatchObject({ type: 'complete', data: { status: 'completed' } });
    expect((await api(b, 'GET', '/api/health')).body.storage).toBe('postgres');
  }, 90_000);

  it('stop reaches the worker within a second, and a dead worker leaves its run interrupted', async () => {
    const b = ports[1]!;
    const token = (await api(b, 'POST', '/api/auth/login', undefined, { email: 'scale@example.com', password: 'correct horse battery' })).body.access_token;
    const model = (await api(b, 'POST', '/api/models', token, { name: 'Stoppable', agent: { kind: 'buy_and_hold' } })).body;
    await api(b, 'POST', `/api/trading/start/${model.id}`, token, { pace_ms: 200 });
    const stream = openStream(`http://127.0.0.1:${b}/api/trading/stream/${model.id}?token=${token}`);
    await stream.waitFor((e) => e.type === 'progress');
    const stopAt = performance.now();
    const stopped = await api(b, 'POST', `/api/trading/stop/${model.id}`, token);
    console.log(`stop via node B reached the worker and closed the run in ${Math.round(performance.now() - stopAt)} ms`);
    expect(stopped.body).toMatchObject({ status: 'idle', run: { status: 'stopped' } });
    await stream.waitFor((e) => e.type === 'complete' && e.data.status === 'stopped');
    stream.close();

    // Kill the worker mid-run; a new worker finds the stalled job and closes the run as interrupted.
    const run = (await api(b, 'POST', `/api/trading/start/${model.id}`, token, { pace_ms: 200 })).body;
    const worker = procs[2]!;
    await new Promise((r) => setTimeout(r, 800));
    await worker.kill();
    const replacement = startProcess('worker', env);
    procs.push(replacement);
    const deadline = Date.now() + 30_000;
    let status = 'running';
    while (Date.now() < deadline && status === 'running') {
      await new Promise((r) => setTimeout(r, 250));
      status = (await api(b, 'GET', `/api/models/${model.id}/runs/${run.id}`, token)).body.status;
    }
    expect(status).toBe('interrupted');
  }, 90_000);
});

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { weekdays } from '../market/calendar.js';
import { fakeBar } from '../test/fake-providers.js';
import { signup, startTestServer, type TestServer } from '../test/server.js';
import { until } from '../test/until.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('queued runs', () => {
  const prefix = `tw-test-${randomBytes(6).toString('hex')}`;
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ REDIS_URL, REDIS_PREFIX: prefix, WORKERS: '1' });
  });
  afterAll(async () => {
    await t?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('are played by the worker on the data set the start request chose, not the model’s', async () => {
    const admin = (await signup(t, 'admin@example.com')).token;
    const rows = weekdays('2024-01-01', '2024-02-29').map((d) => {
      const b = fakeBar('FIXT', d);
      return [d, b.open, b.high, b.low, b.close, b.volume].join(',');
    });
    const csv = ['date,open,high,low,close,volume', ...rows].join('\n');
    const imported = await t.req('POST', '/api/market/import?symbol=FIXT&dataset=fixture', { token: admin, raw: csv, headers: { 'content-type': 'text/csv' } });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);

    const model = await t.req('POST', '/api/models', { token: admin, body: { name: 'Queued', agent: { kind: 'buy_and_hold' } } });
    expect(model.body.dataset).toBe('simulated');
    const start = await t.req('POST', `/api/trading/start/${model.body.id}`, {
      token: admin,
      body: { dataset: 'fixture', start_date: '2024-02-01', end_date: '2024-02-29', pace_ms: 0 },
    });
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    const run = async () => (await t.req('GET', `/api/models/${model.body.id}/runs/${start.body.id}`, { token: admin })).body;
    await until(async () => (await run()).status !== 'running', 'the queued run to end');
    expect(await run()).toMatchObject({ status: 'completed', config: { dataset: 'fixture', symbols: ['FIXT'] } });
    const trades = (await t.req('GET', `/api/models/${model.body.id}/trades?limit=100`, { token: admin })).body.items;
    expect(trades.filter((x: { status: string }) => x.status === 'filled').map((x: { symbol: string }) => x.symbol)).toEqual(['FIXT']);
  });
});

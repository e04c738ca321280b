import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { openSqlite } from '../../storage/sqlite.js';
import type { Storage } from '../../storage/storage.js';
import { modelWrite } from '../../test/fixtures.js';
import { until } from '../../test/until.js';
import { Recorder, busContract } from '../bus.contract.js';
import type { EventDraft } from '../event-bus.js';
import { RedisEventBus, type RedisEventBusOptions } from './redis-bus.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefixOf = (cluster: string) => `tw-test-${cluster}`;

let admin: Redis;
beforeAll(() => {
  admin = new Redis(REDIS_URL);
});
afterAll(() => admin.quit());

async function dropKeys(prefix: string) {
  const keys = await admin.keys(`${prefix}:*`);
  if (keys.length > 0) await admin.del(...keys);
}

busContract(
  'redis',
  (storage, { cluster, bufferSize }) => RedisEventBus.create({ url: REDIS_URL, prefix: prefixOf(cluster), storage, bufferSize }),
  { multiNode: true, cleanup: (cluster) => dropKeys(prefixOf(cluster)) },
);

describe('redis event bus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradewire-redis-bus-'));
  const prefix = prefixOf(randomBytes(6).toString('hex'));
  const ns = `${prefix}:bus:`;
  const buses: RedisEventBus[] = [];
  let storage: Storage;
  let userId: number;
  let models = 0;

  beforeAll(async () => {
    storage = await openSqlite(join(dir, 'bus.db'));
    userId = (await storage.users.create({ email: 'redis@example.com', password_hash: 'x', display_name: 'R' })).id;
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
  });
  afterAll(async () => {
    await dropKeys(prefix);
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const node = async (opts: Partial<RedisEventBusOptions> = {}) => {
    const bus = await RedisEventBus.create({ url: REDIS_URL, prefix, storage, bufferSize: 10, ...opts });
    buses.push(bus);
    return bus;
  };
  const model = async () => {
    const m = await storage.models.create(userId, modelWrite(`R${++models}`));
    return { id: m.id, user_id: m.user_id };
  };
  const draft = (m: { id: number; user_id: number }, message = 'x'): EventDraft => ({
    type: 'error',
    model_id: m.id,
    user_id: m.user_id,
    run_id: null,
    data: { message },
  });
  const store = async (events: TradingEvent[]) => {
    for (const e of events) await storage.events.add({ id: Number(e.id), model_id: e.model_id!, run_id: null, type: e.type, timestamp: e.timestamp, data: e.data });
  };

  it('keeps one counter, and one trimmed stream per model whose entry ids are the event ids', async () => {
    const bus = await node();
    const m = await model();
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) ids.push(...(await bus.commit([draft(m, `e${i}`)], store)).map((e) => Number(e.id)));
    expect(Number(await admin.get(`${ns}seq`))).toBe(ids.at(-1));
    const len = await admin.xlen(`${ns}model:${m.id}`);
    expect(len).toBeGreaterThanOrEqual(10);
    expect(len).toBeLessThan(20);
    const [newest] = await admin.xrevrange(`${ns}model:${m.id}`, '+', '-', 'COUNT', 1);
    expect(newest![0]).toBe(`${ids.at(-1)}-0`);
    const fields = newest![1];
    expect(JSON.parse(fields[fields.indexOf('e') + 1]!)).toMatchObject({ id: String(ids.at(-1)), type: 'error', model_id: m.id, data: { message: 'e49' } });
    expect(await admin.xlen(`${ns}user:${userId}`)).toBeLessThan(20);
  });

  it('reads with one connection per node, however many clients and models it serves', async () => {
    const bus = await node();
    const ms = await Promise.all(Array.from({ length: 8 }, () => model()));
    const recs = Array.from({ length: 24 }, () => new Recorder());
    await Promise.all(recs.map((r, i) => bus.subscribe({ modelIds: [ms[i % 8]!.id], userId }, undefined, r)));
    await bus.subscribe({ userId }, undefined, new Recorder());
    const named = async () => String(await admin.client('LIST')).split('\n').filter((line) => line.includes(` name=${ns}`));
    // Earlier tests' nodes may take a moment to leave the list.
    await until(async () => (await named()).length === 2, 'two connections');
    expect((await named()).filter((line) => line.includes(` name=${ns}reader `))).toHaveLength(1);
    for (const m of ms) await bus.commit([draft(m)], store);
    await until(() => recs.every((r) => r.events.length === 1), 'every client');
  });

  it('serves a newly watched stream at once, without waiting for the blocked read to time out', async () => {
    const bus = await node({ blockMs: 60_000 });
    const [a, b] = [await model(), await model()];
    await bus.subscribe({ modelIds: [a.id], userId }, undefined, new Recorder());
    await sleep(50);
    const rec = new Recorder();
    await bus.subscribe({ modelIds: [b.id], userId }, undefined, rec);
    await bus.commit([draft(b)], store);
    await until(() => rec.events.length === 1, 'the event on the new stream');
  });

  it('never reissues a stored id when Redis lost its data, and rebuilds the streams from storage', async () => {
    const bus = await node();
    const m = await model();
    const before = (await bus.commit([draft(m), draft(m), draft(m)], store)).map((e) => Number(e.id));
    await dropKeys(prefix);
    const [next] = await bus.commit([draft(m)], store);
    expect(Number(next!.id)).toBeGreaterThan(before[2]!);
    const rec = new Recorder();
    const sub = await bus.subscribe({ modelIds: [m.id], userId }, before[0], rec);
    expect(sub.reset).toBe(false);
    expect(sub.replay.map((e) => Number(e.event.id))).toEqual([before[1], before[2], Number(next!.id)]);
  });

  it('keeps one owner in order while a commit outlives its lease renewal period', async () => {
    const [a, b] = [await node({ lock: { ttlMs: 150 } }), await node({ lock: { ttlMs: 150 } })];
    const m = await model();
    const rec = new Recorder();
    await b.subscribe({ modelIds: [m.id], userId }, undefined, rec);
    const slow = a.commit([draft(m, 'slow')], async (events) => {
      await sleep(600);
      await store(events);
    });
    await sleep(50);
    const fast = b.commit([draft(m, 'fast')], store);
    const [[s], [f]] = await Promise.all([slow, fast]);
    expect(Number(f!.id)).toBeGreaterThan(Number(s!.id));
    await until(() => rec.events.length === 2, 'both events');
    expect(rec.events.map((e) => e.data.message)).toEqual(['slow', 'fast']);
  });

  it('makes clients that went past a late event (lost lease) resume and reset instead of missing it', async () => {
    const errors: unknown[] = [];
    const a = await node({ onError: (e) => errors.push(e) });
    const b = await node();
    const m = await model();
    const live = new Recorder();
    await b.subscribe({ modelIds: [m.id], userId }, undefined, live);
    const userWide = new Recorder();
    await b.subscribe({ userId }, undefined, userWide);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const late = a.commit([draft(m, 'late')], async (events) => {
      await gate;
      await store(events);
    });
    await until(async () => (await admin.exists(`${ns}lock:user:${userId}`)) === 1, 'the lease');
    // The lease is lost (as when a node stalls past its TTL): another node commits meanwhile.
    await admin.del(`${ns}lock:user:${userId}`);
    const [early] = await b.commit([draft(m, 'early')], store);
    await until(() => live.events.length === 1, 'the early event');
    release();
    const [lateEvent] = await late;
    expect(Number(lateEvent!.id)).toBeLessThan(Number(early!.id));
    expect(String(errors[0])).toMatch(/out of id order/);
    await until(() => live.closed.length === 1 && userWide.closed.length === 1, 'live streams to end');
    const resumed = await b.subscribe({ modelIds: [m.id], userId }, Number(early!.id), new Recorder());
    expect(resumed.reset).toBe(true);
  });
});

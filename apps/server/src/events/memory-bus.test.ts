import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { openSqlite } from '../storage/sqlite.js';
import { modelWrite } from '../test/fixtures.js';
import { until } from '../test/until.js';
import { busContract, Recorder } from './bus.contract.js';
import type { EventDraft } from './event-bus.js';
import { MemoryEventBus } from './memory-bus.js';

busContract('memory', (storage, { bufferSize }) => MemoryEventBus.create(storage, bufferSize), { multiNode: false });

describe('memory bus: stores concurrently, delivers in id order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradewire-membus-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds a commit stored early until the one before it settles, and never delivers one whose storing failed', async () => {
    const storage = await openSqlite(join(dir, 'a.db'));
    const user = await storage.users.create({ email: 'm@example.com', password_hash: 'x', display_name: 'M' });
    const model = await storage.models.create(user.id, modelWrite('M'));
    const bus = await MemoryEventBus.create(storage, 100);
    const rec = new Recorder();
    await bus.subscribe({ modelIds: [model.id], userId: user.id }, undefined, rec);

    const draft = (message: string): EventDraft => ({ type: 'status', data: { message }, model_id: model.id, user_id: user.id, run_id: null });
    const store = async (events: TradingEvent[]) => {
      await Promise.all(events.map((e) => storage.events.add({ id: Number(e.id), model_id: model.id, run_id: null, type: e.type, timestamp: e.timestamp, data: e.data })));
    };
    let releaseFirst!: () => void;
    const firstMayStore = new Promise<void>((r) => (releaseFirst = r));
    let storing = 0;

    // A: ids first, stored last. B: stored while A waits. C: fails to store. D: stored at once.
    const a = bus.commit([draft('a')], async (events) => {
      storing++;
      await firstMayStore;
      await store(events);
    });
    await until(() => storing === 1, 'A storing');
    const b = bus.commit([draft('b1'), draft('b2')], async (events) => {
      storing++;
      await store(events);
    });
    const c = bus.commit([draft('c')], async () => {
      storing++;
      throw Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT' });
    });
    const d = bus.commit([draft('d')], store);
    // B and C were let in to store while A still holds its write: the lock is not held across storing.
    await until(() => storing === 3, 'B and C storing while A waits');
    await new Promise((r) => setTimeout(r, 50));
    expect(rec.events).toEqual([]);

    releaseFirst();
    const [ea, eb, ed] = await Promise.all([a, b, d]);
    await expect(c).rejects.toThrow(/storing events failed/);
    expect(rec.events.map((e) => e.data)).toEqual([
      { message: 'a' },
      { message: 'b1' },
      { message: 'b2' },
      { message: 'd' },
    ]);
    const ids = rec.events.map((e) => Number(e.id));
    expect(ids).toEqual([...ea!, ...eb!, ...ed!].map((e) => Number(e.id)));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    // C's id was issued and never delivered; a client resuming from before it gets what was stored.
    const resumed = new Recorder();
    const sub = await bus.subscribe({ modelIds: [model.id], userId: user.id }, ids[0]! - 1, resumed);
    expect(sub.replay.map((e) => Number(e.event.id))).toEqual(ids);
    await bus.close();
    await storage.close();
  });
});

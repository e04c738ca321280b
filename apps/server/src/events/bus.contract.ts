import { modelWrite } from '../test/fixtures.js';
import { until } from '../test/until.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { TradingEvent } from '@tradewire/contract';
import { openSqlite } from '../storage/sqlite.js';
import type { Storage } from '../storage/storage.js';
import type { BusEvent, EventBus, EventDraft, Subscriber, Subscription } from './event-bus.js';
import { sseFrame } from './frame.js';

/**
 * Makes one bus instance ("node") of `cluster`: instances made for the same cluster share their
 * events when the implementation spans processes; a new cluster starts with no bus state.
 */
export type MakeBus = (storage: Storage, opts: { cluster: string; bufferSize: number }) => Promise<EventBus>;

export interface BusContractOptions {
  /** Nodes of one cluster see each other's events (Redis); false for the in-process bus. */
  multiNode: boolean;
  /** Removes whatever a cluster left behind (Redis keys). */
  cleanup?: (cluster: string) => Promise<void>;
}

/** A subscriber that records what it is given. */
export class Recorder implements Subscriber {
  readonly events: TradingEvent[] = [];
  readonly frames: string[] = [];
  readonly closed: string[] = [];
  onEvent(e: BusEvent) {
    this.events.push(e.event);
    this.frames.push(e.frame.text);
  }
  onClose(reason: string) {
    this.closed.push(reason);
  }
}

/** A client: what it was sent, in the order an SSE connection sends it (replay, then live). */
interface Client {
  sub: Subscription;
  rec: Recorder;
  ids(): number[];
}

/** Lets timers run: SQLite answers within microtasks, so a tight commit loop would starve them. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

const ascending = (ids: number[]) => ids.every((id, i) => i === 0 || id > ids[i - 1]!);

export function busContract(name: string, makeBus: MakeBus, opts: BusContractOptions) {
  describe(`event bus contract: ${name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tradewire-bus-'));
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const fn of cleanups.splice(0).reverse()) await fn();
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** A fresh storage and cluster; `node()` adds a bus instance to it. */
    async function setup(bufferSize = 1000) {
      const storage = await openSqlite(join(dir, `${randomBytes(6).toString('hex')}.db`));
      cleanups.push(() => storage.close());
      const newCluster = () => {
        const c = randomBytes(6).toString('hex');
        if (opts.cleanup) cleanups.push(() => opts.cleanup!(c));
        return c;
      };
      const cluster = newCluster();
      let users = 0;
      const t = {
        storage,
        newCluster,
        node: (c = cluster) => t.nodeOf(c),
        nodeOf: async (c: string) => {
          const bus = await makeBus(storage, { cluster: c, bufferSize });
          cleanups.push(() => bus.close());
          return bus;
        },
        user: async () => (await storage.users.create({ email: `u${++users}@example.com`, password_hash: 'x', display_name: `U${users}` })).id,
        model: async (userId: number, name = `M${randomBytes(3).toString('hex')}`) => {
          const m = await storage.models.create(userId, modelWrite(name));
          return { id: m.id, user_id: m.user_id };
        },
        /** Commits `n` progress events of one model in one batch, stored like a session does. */
        commit: (bus: EventBus, model: { id: number; user_id: number }, n = 1) => {
          const drafts: EventDraft[] = Array.from({ length: n }, (_, i) => ({
            type: 'progress',
            model_id: model.id,
            user_id: model.user_id,
            run_id: null,
            data: { message: `step ${i}`, step: i, total_steps: n, date: '2026-01-02', cash: 1000, equity: 1000, return_pct: 0 },
          }));
          return bus.commit(drafts, async (events) => {
            for (const e of events) {
              await storage.events.add({ id: Number(e.id), model_id: e.model_id!, run_id: e.run_id, type: e.type, timestamp: e.timestamp, data: e.data });
            }
          });
        },
        subscribe: async (bus: EventBus, filter: { modelIds?: number[]; userId: number }, afterId?: number): Promise<Client> => {
          const rec = new Recorder();
          const sub = await bus.subscribe(filter, afterId, rec);
          cleanups.push(async () => sub.unsubscribe());
          return { sub, rec, ids: () => [...sub.replay.map((e) => Number(e.event.id)), ...rec.events.map((e) => Number(e.id))] };
        },
        /** Ids stored for these models after `afterId`, in order. */
        stored: async (modelIds: number[], afterId = 0) => (await storage.events.after(modelIds, afterId, 100_000)).map((e) => e.id),
      };
      return t;
    }

    it('issues strictly increasing ids and delivers them in id order, also to concurrent commits', async () => {
      const t = await setup();
      const bus = await t.node();
      const m = await t.model(await t.user());
      const c = await t.subscribe(bus, { modelIds: [m.id], userId: m.user_id });
      const first = await t.commit(bus, m, 3);
      expect(first.map((e) => e.type)).toEqual(['progress', 'progress', 'progress']);
      await Promise.all(Array.from({ length: 8 }, (_, i) => t.commit(bus, m, 1 + (i % 3))));
      const stored = await t.stored([m.id]);
      expect(stored).toHaveLength(3 + 15);
      expect(ascending(stored)).toBe(true);
      expect(first.map((e) => Number(e.id))).toEqual(stored.slice(0, 3));
      await until(() => c.ids().length === stored.length, 'every event');
      expect(c.ids()).toEqual(stored);
      expect(c.rec.events[0]).toMatchObject({ type: 'progress', model_id: m.id, run_id: null, data: { message: 'step 0' } });
      expect(c.rec.frames).toEqual(c.rec.events.map((e) => sseFrame(e).text));
      const resumed = await t.subscribe(bus, { modelIds: [m.id], userId: m.user_id }, 0);
      expect(resumed.sub.replay.map((e) => e.frame.text)).toEqual(c.rec.frames);
    });

    it('delivers nothing whose persist failed, and still works afterwards', async () => {
      const t = await setup();
      const bus = await t.node();
      const m = await t.model(await t.user());
      const c = await t.subscribe(bus, { userId: m.user_id });
      const draft: EventDraft = { type: 'error', model_id: m.id, user_id: m.user_id, run_id: null, data: { message: 'lost' } };
      await expect(bus.commit([draft], async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
      const [ok] = await t.commit(bus, m);
      await until(() => c.ids().includes(Number(ok!.id)), 'the stored event');
      await sleep(50);
      expect(c.rec.events.map((e) => e.type)).toEqual(['progress']);
      const again = await t.subscribe(bus, { modelIds: [m.id], userId: m.user_id }, 0);
      expect(again.sub.replay.map((e) => e.event.id)).toEqual([ok!.id]);
    });

    it('replays exactly what follows the resume point while events keep flowing', async () => {
      const t = await setup();
      const bus = await t.node();
      const user = await t.user();
      const [a, b] = [await t.model(user), await t.model(user)];
      let producing = true;
      const producer = (async () => {
        for (let i = 0; producing || i < 10; i++) {
          await t.commit(bus, i % 2 ? a : b, 1 + (i % 3));
          await tick();
        }
      })();
      const clients: { afterId: number; explicit: Client; userWide: Client }[] = [];
      for (let k = 0; k < 6; k++) {
        await until(async () => (await t.stored([a.id, b.id])).length > 10 * (k + 1), 'more events');
        const stored = await t.stored([a.id, b.id]);
        const afterId = stored[Math.floor(stored.length / 2)]!;
        clients.push({
          afterId,
          explicit: await t.subscribe(bus, { modelIds: [a.id, b.id], userId: user }, afterId),
          userWide: await t.subscribe(bus, { userId: user }, afterId),
        });
      }
      producing = false;
      await producer;
      const all = await t.stored([a.id, b.id]);
      for (const { afterId, explicit, userWide } of clients) {
        const expected = all.filter((id) => id > afterId);
        await until(() => explicit.ids().length >= expected.length && userWide.ids().length >= expected.length, 'the rest');
        await sleep(20);
        expect(explicit.sub.reset).toBe(false);
        expect(explicit.ids()).toEqual(expected);
        expect(userWide.ids()).toEqual(expected);
      }
    });

    it('replays a resume point older than the buffer from storage, and resets one too old or newer than the head', async () => {
      const t = await setup(10);
      const bus = await t.node();
      const m = await t.model(await t.user());
      for (let i = 0; i < 50; i++) await t.commit(bus, m);
      const ids = await t.stored([m.id]);
      const filter = { modelIds: [m.id], userId: m.user_id };
      // Ten buffers (100 events) may come from storage.
      const old = await t.subscribe(bus, filter, ids[0]);
      expect(old.sub.reset).toBe(false);
      expect(old.ids()).toEqual(ids.slice(1));
      const recent = await t.subscribe(bus, filter, ids[44]);
      expect(recent.sub.reset).toBe(false);
      expect(recent.ids()).toEqual(ids.slice(45));
      const future = await t.subscribe(bus, filter, ids[49]! + 5);
      expect(future.sub.reset).toBe(true);
      expect(future.sub.replay).toEqual([]);
      const userWide = await t.subscribe(bus, { userId: m.user_id }, ids[0]);
      expect(userWide.sub.reset).toBe(false);
      expect(userWide.ids()).toEqual(ids.slice(1));
      for (let i = 0; i < 80; i++) await t.commit(bus, m);
      const tooOld = await t.subscribe(bus, filter, ids[0]);
      expect(tooOld.sub.reset).toBe(true);
      expect(tooOld.sub.replay).toEqual([]);
      // A reset client still gets live events.
      const [next] = await t.commit(bus, m);
      await until(() => tooOld.ids().includes(Number(next!.id)) && userWide.ids().includes(Number(next!.id)), 'live events after a reset');
    });

    it('gives a fresh client a head id to resume from', async () => {
      const t = await setup();
      const bus = await t.node();
      const m = await t.model(await t.user());
      await t.commit(bus, m, 2);
      const fresh = await t.subscribe(bus, { modelIds: [m.id], userId: m.user_id });
      expect(fresh.sub.replay).toEqual([]);
      expect(fresh.sub.headId).toBe((await t.stored([m.id])).at(-1));
      fresh.sub.unsubscribe();
      const later = await t.commit(bus, m, 3);
      const resumed = await t.subscribe(bus, { modelIds: [m.id], userId: m.user_id }, fresh.sub.headId);
      expect(resumed.sub.reset).toBe(false);
      expect(resumed.ids()).toEqual(later.map((e) => Number(e.id)));
    });

    it("keeps models apart and gives a user-wide stream every model of its user, also ones created after it connected", async () => {
      const t = await setup();
      const bus = await t.node();
      const [u1, u2] = [await t.user(), await t.user()];
      const first = await t.model(u1);
      const userWide = await t.subscribe(bus, { userId: u1 });
      const single = await t.subscribe(bus, { modelIds: [first.id], userId: u1 });
      const other = await t.subscribe(bus, { userId: u2 });
      const created = await t.model(u1);
      const foreign = await t.model(u2);
      await t.commit(bus, first);
      await t.commit(bus, created, 2);
      await t.commit(bus, foreign);
      const mine = await t.stored([first.id, created.id]);
      await until(() => userWide.ids().length === 3 && other.ids().length === 1 && single.ids().length === 1, 'events of each stream');
      await sleep(50);
      expect(userWide.ids()).toEqual(mine);
      expect(userWide.rec.events.map((e) => e.model_id)).toEqual([first.id, created.id, created.id]);
      expect(single.rec.events.map((e) => e.model_id)).toEqual([first.id]);
      expect(other.rec.events.map((e) => e.model_id)).toEqual([foreign.id]);
      const resumed = await t.subscribe(bus, { userId: u1 }, 0);
      expect(resumed.ids()).toEqual(mine);
    });

    it('ends the streams that name a deleted model, not user-wide ones', async () => {
      const t = await setup();
      const bus = await t.node();
      const m = await t.model(await t.user());
      const single = await t.subscribe(bus, { modelIds: [m.id], userId: m.user_id });
      const userWide = await t.subscribe(bus, { userId: m.user_id });
      await t.commit(bus, m);
      await until(() => single.ids().length === 1, 'an event');
      bus.closeModel(m.id, 'model deleted');
      await until(() => single.rec.closed.length === 1, 'the stream to end');
      expect(single.rec.closed).toEqual(['model deleted']);
      await sleep(50);
      expect(userWide.rec.closed).toEqual([]);
    });

    it('resumes from storage after a restart (or a Redis that lost its data)', async () => {
      const t = await setup();
      const before = await t.node();
      const m = await t.model(await t.user());
      const ids = (await t.commit(before, m, 5)).map((e) => Number(e.id));
      await before.close();
      const after = await t.nodeOf(t.newCluster());
      const resumed = await t.subscribe(after, { modelIds: [m.id], userId: m.user_id }, ids[1]);
      expect(resumed.sub.reset).toBe(false);
      expect(resumed.ids()).toEqual(ids.slice(2));
      const [next] = await t.commit(after, m);
      expect(Number(next!.id)).toBeGreaterThan(ids[4]!);
      await until(() => resumed.ids().includes(Number(next!.id)), 'a live event after the restart');
    });

    it('counts subscribers and ends every stream on close', async () => {
      const t = await setup();
      const bus = await t.node();
      const m = await t.model(await t.user());
      const a = await t.subscribe(bus, { modelIds: [m.id], userId: m.user_id });
      const b = await t.subscribe(bus, { userId: m.user_id });
      expect(bus.stats().subscribers).toBe(2);
      a.sub.unsubscribe();
      a.sub.unsubscribe();
      expect(bus.stats().subscribers).toBe(1);
      await t.commit(bus, m, 3);
      await until(() => b.ids().length === 3, 'events');
      expect(bus.stats().events_per_s).toBeGreaterThan(0);
      await bus.close();
      expect(b.rec.closed).toHaveLength(1);
    });

    if (!opts.multiNode) return;

    describe('several nodes', () => {
      it('delivers events committed on one node to subscribers on another, in id order', async () => {
        const t = await setup();
        const [a, b, c] = [await t.node(), await t.node(), await t.node()];
        const user = await t.user();
        const [m1, m2] = [await t.model(user), await t.model(user)];
        const onB = await t.subscribe(b, { modelIds: [m1.id], userId: user });
        const userWide = await t.subscribe(c, { userId: user });
        // Two nodes commit for one user at once: the lease keeps that user's streams in id order.
        await Promise.all([
          (async () => {
            for (let i = 0; i < 30; i++) await t.commit(a, i % 2 ? m1 : m2, 1 + (i % 2));
          })(),
          (async () => {
            for (let i = 0; i < 30; i++) await t.commit(b, i % 2 ? m2 : m1, 1 + (i % 3));
          })(),
        ]);
        const all = await t.stored([m1.id, m2.id]);
        const only1 = await t.stored([m1.id]);
        await until(() => userWide.ids().length === all.length && onB.ids().length === only1.length, 'every event on every node');
        expect(userWide.ids()).toEqual(all);
        expect(onB.ids()).toEqual(only1);
      });

      it('resumes on another node with exactly the rest', async () => {
        const t = await setup();
        const [a, b] = [await t.node(), await t.node()];
        const m = await t.model(await t.user());
        const filter = { modelIds: [m.id], userId: m.user_id };
        let producing = true;
        const producer = (async () => {
          for (let i = 0; producing || i < 20; i++) {
            await t.commit(i % 2 ? a : b, m, 1 + (i % 2));
            await tick();
          }
        })();
        const onA = await t.subscribe(a, filter);
        await until(() => onA.ids().length >= 15, 'some events on A');
        onA.sub.unsubscribe();
        const seen = onA.ids();
        const lastId = seen.at(-1)!;
        const onB = await t.subscribe(b, filter, lastId);
        producing = false;
        await producer;
        const rest = await t.stored([m.id], lastId);
        await until(() => onB.ids().length >= rest.length, 'the rest on B');
        await sleep(20);
        expect(onB.sub.reset).toBe(false);
        expect(onB.ids()).toEqual(rest);
        expect([...seen, ...onB.ids()]).toEqual((await t.stored([m.id])).filter((id) => id > seen[0]! - 1));
      });

      it('ends streams of a deleted model on every node', async () => {
        const t = await setup();
        const [a, b] = [await t.node(), await t.node()];
        const m = await t.model(await t.user());
        const onB = await t.subscribe(b, { modelIds: [m.id], userId: m.user_id });
        const userWide = await t.subscribe(b, { userId: m.user_id });
        a.closeModel(m.id, 'model deleted');
        await until(() => onB.rec.closed.length === 1, 'the stream on B to end');
        expect(onB.rec.closed).toEqual(['model deleted']);
        expect(userWide.rec.closed).toEqual([]);
      });
    });
  });
}

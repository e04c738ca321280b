import { Mutex } from 'async-mutex';
import type { TradingEvent } from '@tradewire/contract';
import type { Storage } from '../storage/storage.js';
import { EventClock, fromStored, issueEvents, microsOf } from './codec.js';
import { persistOnce } from './persist.js';
import { replayFromStorage } from './storage-replay.js';
import type { BusEvent, EventBus, EventDraft, Subscriber, Subscription, SubscriptionFilter } from './event-bus.js';
import { sseFrame } from './frame.js';
import { RateMeter } from './rate-meter.js';

/** At least the newest `size` events of one model, plus the id of the newest one it let go. */
class ModelBuffer {
  events: BusEvent[] = [];
  evictedId = 0;

  constructor(private readonly size: number) {}

  push(e: BusEvent) {
    this.events.push(e);
    // Trim in batches so a push stays O(1) amortised.
    if (this.events.length >= this.size * 2) {
      const drop = this.events.length - this.size;
      this.evictedId = Number(this.events[drop - 1]!.event.id);
      this.events = this.events.slice(drop);
    }
  }

  /** Events after `afterId`; `complete` is false when some of them were already let go. */
  after(afterId: number): { events: BusEvent[]; complete: boolean } {
    return { events: this.events.filter((e) => Number(e.event.id) > afterId), complete: afterId >= this.evictedId };
  }
}

/** A commit between its ids and its delivery. */
interface InFlight {
  events: TradingEvent[];
  userIds: number[];
  settled: boolean;
  /** Why storing it failed; its events are then never delivered. */
  error?: unknown;
  resolve(events: TradingEvent[]): void;
  reject(e: unknown): void;
}

/**
 * In-process bus: one id sequence, a bounded buffer per model (warmed from storage on first use,
 * so resume works across restarts), fan-out by model and by owner. The lock is held to issue ids
 * and to deliver, not while storing: commits store concurrently (on PostgreSQL, each on its own
 * connection) and are delivered in id order, each once it and every commit before it settled.
 */
export class MemoryEventBus implements EventBus {
  private readonly lock = new Mutex();
  private readonly buffers = new Map<number, ModelBuffer>();
  private readonly byModel = new Map<number, Set<Subscriber>>();
  private readonly byUser = new Map<number, Set<Subscriber>>();
  private readonly meter = new RateMeter(10);
  private readonly clock = new EventClock();
  private subscribers = 0;
  /** Commits in id order whose delivery is pending (storing, or waiting for an earlier one). */
  private readonly inFlight: InFlight[] = [];
  /** Every id up to here is settled: delivered, or never stored. */
  private delivered: number;

  private constructor(
    private readonly storage: Storage,
    private readonly bufferSize: number,
    private readonly maxReplay: number,
    private seq: number,
  ) {
    this.delivered = seq;
  }

  /**
   * `maxReplay`: most events a resuming client is sent from storage when the buffer no longer
   * holds its resume point; beyond it the client gets `reset` (default: ten buffers).
   */
  static async create(storage: Storage, bufferSize: number, maxReplay = bufferSize * 10) {
    return new MemoryEventBus(storage, bufferSize, maxReplay, await storage.events.maxId());
  }

  async commit(drafts: EventDraft[], persist: (events: TradingEvent[]) => Promise<void>): Promise<TradingEvent[]> {
    let entry!: InFlight;
    const delivered = new Promise<TradingEvent[]>((resolve, reject) => {
      entry = { events: [], userIds: drafts.map((d) => d.user_id), settled: false, resolve, reject };
    });
    await this.lock.runExclusive(async () => {
      for (const d of drafts) await this.buffer(d.model_id, d.user_id);
      entry.events = issueEvents(drafts, this.seq + 1, this.clock.reserve(drafts.length));
      this.seq += drafts.length;
      this.inFlight.push(entry);
    });
    try {
      await persistOnce(this.storage, entry.events, persist);
    } catch (e) {
      entry.error = e;
    }
    entry.settled = true;
    await this.lock.runExclusive(() => this.flush());
    return delivered;
  }

  /**
   * A stamp after every delivered event and before every one still to be delivered: just before
   * the first event in flight, or a fresh one from the clock when nothing is.
   */
  private controlStamp(): number {
    const pending = this.inFlight.find((c) => c.events.length > 0);
    return pending ? microsOf(pending.events[0]!.timestamp) - 1 : this.clock.reserve();
  }

  /** Delivers the settled commits at the head of the line, in id order (caller holds the lock). */
  private flush() {
    while (this.inFlight[0]?.settled) {
      const c = this.inFlight.shift()!;
      if (c.error === undefined) {
        c.events.forEach((event, i) => this.deliver({ event, user_id: c.userIds[i]!, frame: sseFrame(event) }));
        c.resolve(c.events);
      } else c.reject(c.error);
      if (c.events.length > 0) this.delivered = Number(c.events.at(-1)!.id);
    }
  }

  subscribe(filter: SubscriptionFilter, afterId: number | undefined, sub: Subscriber): Promise<Subscription> {
    return this.lock.runExclusive(async () => {
      const models = filter.models
        ? filter.models
        : filter.modelIds
        ? await Promise.all(filter.modelIds.map(async (id) => ({ id, user_id: (await this.storage.models.byId(id))?.user_id })))
        : (await this.storage.models.listByUser(filter.userId)).map((m) => ({ id: m.id, user_id: m.user_id }));
      let replay: BusEvent[] = [];
      let reset = afterId !== undefined && afterId > this.seq;
      if (afterId !== undefined && !reset) {
        let buffered = true;
        for (const m of models) {
          if (m.user_id === undefined) continue;
          const { events, complete } = (await this.buffer(m.id, m.user_id)).after(afterId);
          buffered &&= complete;
          replay.push(...events);
        }
        replay.sort((a, b) => Number(a.event.id) - Number(b.event.id));
        if (!buffered) {
          // Older than the buffer: what was missed comes from storage (every id up to `delivered` is settled;
          // later ones still being stored reach this subscriber live).
          const owners = new Map(models.flatMap((m) => (m.user_id === undefined ? [] : [[m.id, m.user_id] as const])));
          const missed = await replayFromStorage(this.storage, owners, afterId, this.delivered, this.maxReplay);
          reset = missed === null;
          replay = missed ?? [];
        }
      }
      if (reset) replay = [];
      const index = filter.modelIds ? filter.modelIds.map((id) => this.index(this.byModel, id)) : [this.index(this.byUser, filter.userId)];
      index.forEach((set) => set.add(sub));
      this.subscribers++;
      let active = true;
      return {
        replay,
        reset,
        headId: this.delivered,
        stampMicros: this.controlStamp(),
        unsubscribe: () => {
          if (!active) return;
          active = false;
          this.subscribers--;
          index.forEach((set) => set.delete(sub));
        },
      };
    });
  }

  closeModel(modelId: number, reason: string) {
    this.buffers.delete(modelId);
    for (const sub of [...(this.byModel.get(modelId) ?? [])]) sub.onClose(reason);
    this.byModel.delete(modelId);
  }

  stats() {
    return { subscribers: this.subscribers, events_per_s: this.meter.perSecond() };
  }

  reachable() {
    return undefined;
  }

  async close() {
    for (const set of [...this.byModel.values(), ...this.byUser.values()]) {
      for (const sub of [...set]) sub.onClose('server shutting down');
    }
  }

  private index(map: Map<number, Set<Subscriber>>, key: number) {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    return set;
  }

  /** The model's buffer, loaded from storage the first time (caller holds the lock). */
  private async buffer(modelId: number, userId: number): Promise<ModelBuffer> {
    let buf = this.buffers.get(modelId);
    if (buf) return buf;
    buf = new ModelBuffer(this.bufferSize);
    const stored = await this.storage.events.recentByModel(modelId, this.bufferSize + 1);
    if (stored.length > this.bufferSize) buf.evictedId = stored.shift()!.id;
    for (const s of stored) {
      // Stamps continue past what storage holds, even if the wall clock went back since.
      this.clock.advancePast(microsOf(s.timestamp));
      const event = fromStored(s);
      if (event) buf.events.push({ event, user_id: userId, frame: sseFrame(event) });
    }
    this.buffers.set(modelId, buf);
    return buf;
  }

  private deliver(e: BusEvent) {
    this.meter.add(1);
    this.buffers.get(e.event.model_id!)?.push(e);
    for (const sub of this.byModel.get(e.event.model_id!) ?? []) sub.onEvent(e);
    for (const sub of this.byUser.get(e.user_id) ?? []) sub.onEvent(e);
  }
}

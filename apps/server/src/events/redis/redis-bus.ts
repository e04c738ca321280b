import { Redis } from 'ioredis';
import type { TradingEvent } from '@tradewire/contract';
import type { Storage } from '../../storage/storage.js';
import { fromStored, issueEvents } from '../codec.js';
import { AppError } from '../../domain/errors.js';
import { retryTransient } from '../../storage/transient.js';
import { CommitFailed, DEPENDENCY_RETRY_MS, persistOnce } from '../persist.js';
import { replayFromStorage } from '../storage-replay.js';
import type { BusEvent, EventBus, EventDraft, Subscriber, Subscription, SubscriptionFilter } from '../event-bus.js';
import { StreamFanout, entryNumber, parseEntry } from './redis-fanout.js';
import { OwnerLock, type OwnerLockOptions } from './redis-lock.js';
import { type RunScript, type SnapshotReply, busScripts } from './redis-scripts.js';

export interface RedisEventBusOptions {
  /** `redis://` or `rediss://` URL of one Redis server (not Cluster: scripts span several keys). */
  url: string;
  /** Namespace (e.g. `tradewire`): every key lives under `<prefix>:bus:`; nodes sharing it form one bus. */
  prefix: string;
  storage: Storage;
  /** Events kept per model for resume: at least this many (trimmed in batches, like the memory bus). */
  bufferSize: number;
  /** Most events a resuming client is sent from storage when Redis no longer holds its resume point (default: ten buffers). */
  maxReplay?: number;
  /** Longest XREAD block; a change of the watched streams interrupts it at once. */
  blockMs?: number;
  lock?: OwnerLockOptions;
  /** Connection and reader failures (they also end this node's streams so clients resume). */
  onError?: (err: unknown) => void;
}

/**
 * Ids skipped when Redis lost its counter: other nodes may hold ids issued just before that
 * are not stored yet, and no id may be issued twice.
 */
const LOST_COUNTER_MARGIN = 100_000;

/** How long a deleted model's stream stays, so readers on every node see its end marker. */
const CLOSED_TTL_MS = 60_000;
/** Streams of models without events this long leave Redis; they are rebuilt from storage on demand. */
const IDLE_TTL_MS = 86_400_000;

/**
 * Event bus on Redis Streams, for several API nodes and workers sharing one Redis:
 * - ids come from one counter; each model has a stream trimmed to the buffer size (entry id =
 *   event id), so any node replays any model;
 * - commits are serialised per owner across the cluster (a lease), so each user's events enter
 *   the streams in id order and a client resuming after id N never skips an earlier one. A
 *   stream mixing several users' models (an admin's) may see their events out of id order;
 * - each node runs one reader over the streams its clients watch: a model's stream for explicit
 *   subscriptions, a per-user stream (every event of the user's models, trimmed too) for
 *   user-wide ones, which therefore include models created after they connected.
 */
export class RedisEventBus implements EventBus {
  private readonly run: RunScript;
  private readonly lock: OwnerLock;
  private readonly fanout: StreamFanout;
  private readonly onError: (err: unknown) => void;

  private constructor(
    private readonly cmd: Redis,
    reader: Redis,
    private readonly opts: RedisEventBusOptions,
    /** Key prefix of the bus: `<prefix>:bus:`. */
    private readonly ns: string,
    /** No id at or below this is ever issued: the newest this node has stored or seen. */
    private floor: number,
  ) {
    this.onError = opts.onError ?? (() => {});
    this.run = busScripts(cmd);
    this.lock = new OwnerLock(cmd, this.run, ns, opts.lock);
    this.fanout = new StreamFanout(reader, cmd, opts.blockMs ?? 5_000, this.onError);
  }

  static async create(opts: RedisEventBusOptions): Promise<RedisEventBus> {
    const ns = `${opts.prefix.replace(/:$/, '')}:bus:`;
    const cmd = new Redis(opts.url, { lazyConnect: true, connectionName: `${ns}cmd` });
    // The reader fails fast when the connection drops: its clients reconnect and resume instead.
    const reader = new Redis(opts.url, {
      lazyConnect: true,
      connectionName: `${ns}reader`,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
    });
    if (opts.onError) [cmd, reader].forEach((r) => r.on('error', opts.onError!));
    try {
      await cmd.connect();
      return new RedisEventBus(cmd, reader, opts, ns, await opts.storage.events.maxId());
    } catch (err) {
      cmd.disconnect();
      reader.disconnect();
      throw err;
    }
  }

  /**
   * Waits out a Redis or storage outage (up to DEPENDENCY_RETRY_MS): the lease and ids are taken
   * again until they can be; once the events may be stored, only storing and appending are
   * retried, so nothing is issued or written twice.
   */
  commit(drafts: EventDraft[], persist: (events: TradingEvent[]) => Promise<void>): Promise<TradingEvent[]> {
    if (drafts.length === 0) return persist([]).then(() => []);
    const retry = { maxMs: DEPENDENCY_RETRY_MS, onRetry: (e: unknown) => this.onError(e) };
    return retryTransient(
      () =>
        this.lock.withOwners(
          drafts.map((d) => d.user_id),
          async () => {
            const events = await this.allocate(drafts);
            await persistOnce(this.opts.storage, events, persist, retry);
            const late = await retryTransient(
              () =>
                this.run('twBusAppend', [
                  this.ns,
                  this.opts.bufferSize,
                  IDLE_TTL_MS,
                  ...events.flatMap((e, i) => [e.id, e.model_id!, drafts[i]!.user_id, JSON.stringify(e)]),
                ]),
              retry,
            ).catch((e: unknown) => {
              throw new CommitFailed(`events ${events[0]!.id}-${events.at(-1)!.id} are stored but Redis did not take them: ${String(e)}`, { cause: e });
            });
            if (late !== 0) this.onError(new Error(`event bus: ${late} entries arrived out of id order (commit lease expired?)`));
            return events;
          },
        ),
      retry,
    );
  }

  /** Ids and timestamps for the drafts; both come from Redis, so every node's events share one order and one clock. */
  private async allocate(drafts: EventDraft[]): Promise<TradingEvent[]> {
    const models = [...new Set(drafts.map((d) => d.model_id))];
    let reply = (await this.run('twBusAllocate', [this.ns, drafts.length, this.floor, ...models])) as string[];
    if (reply[0] === 'lost') {
      // Redis lost the counter: start past every id in the database and any still being stored.
      const stored = await this.opts.storage.events.maxId();
      await this.run('twBusSeed', [this.ns, Math.max(this.floor, stored) + (stored > 0 ? LOST_COUNTER_MARGIN : 0)]);
      reply = (await this.run('twBusAllocate', [this.ns, drafts.length, this.floor, ...models])) as string[];
    }
    const [last, firstMicros, ...cold] = reply;
    for (const m of cold) await this.warm(Number(m), drafts.find((d) => d.model_id === Number(m))!.user_id);
    this.floor = Math.max(this.floor, Number(last));
    return issueEvents(drafts, Number(last) - drafts.length + 1, Number(firstMicros));
  }

  async subscribe(filter: SubscriptionFilter, afterId: number | undefined, sub: Subscriber): Promise<Subscription> {
    // Fail fast rather than hold the request while Redis reconnects: the client retries.
    if (!this.reachable()) throw new AppError('dependency_unavailable', 'the event stream is unavailable: Redis is unreachable, try again shortly');
    const userWide = !filter.modelIds;
    const modelIds = [...new Set(filter.modelIds ?? [])];
    const owned = filter.models
      ? filter.models
      : userWide
      ? (await this.opts.storage.models.listByUser(filter.userId)).map((m) => ({ id: m.id, user_id: m.user_id }))
      : await Promise.all(modelIds.map(async (id) => ({ id, user_id: (await this.opts.storage.models.byId(id))?.user_id })));
    // Stream state for every model a replay may need, rebuilt from storage if Redis lost it.
    await this.warmMissing(owned);
    const keys = userWide ? [this.userKey(filter.userId)] : modelIds.map((id) => this.modelKey(id));
    // Registered (buffering) before the replay is read: nothing falls between the two.
    const watcher = await this.fanout.watch(keys, sub);
    try {
      const [head, userTop, stamp, ...models] = (await this.run('twBusSnapshot', [
        this.ns,
        afterId ?? '',
        ...(userWide ? ['u', filter.userId] : ['m', ...modelIds]),
      ])) as SnapshotReply;
      const from = new Map<string, number>();
      let headId = entryNumber(userTop);
      if (userWide) from.set(keys[0]!, headId);
      // The counter may be younger than the database (Redis lost it and nobody committed since).
      this.floor = Math.max(this.floor, Number(head));
      // A resume point past every id this node knows of: after an empty Redis restart the counter
      // is gone until a writer seeds it again, and this node has not seen the ids it delivered
      // since its last snapshot. The database has: only an id past everything stored is bogus.
      if (afterId !== undefined && afterId > this.floor) this.floor = Math.max(this.floor, await this.opts.storage.events.maxId());
      let reset = afterId !== undefined && afterId > this.floor;
      let evictedPast = false;
      const replay: { id: number; event: BusEvent }[] = [];
      for (const [model, evicted, top, entries, late] of models) {
        headId = Math.max(headId, entryNumber(top));
        if (!userWide) from.set(this.modelKey(Number(model)), entryNumber(top));
        if (afterId !== undefined && Number(evicted) > afterId) evictedPast = true;
        // A late event came with an id below ones already sent: ids alone cannot say who missed it.
        if (afterId !== undefined && Number(late) > afterId) reset = true;
        for (const entry of entries) {
          const { id, event } = parseEntry(entry);
          if (event) replay.push({ id, event });
        }
      }
      const { live, complete, missedUpTo } = this.fanout.activate(watcher, from);
      replay.sort((a, b) => a.id - b.id);
      let events = [...replay.map((e) => e.event), ...live];
      if (!reset && (evictedPast || !complete)) {
        if (afterId === undefined) reset = true;
        else {
          // Redis no longer holds the resume point (trimmed, or lost in a restart): the database has every event.
          const upTo = Math.max(missedUpTo, ...from.values());
          const owners = new Map(owned.flatMap((m) => (m.user_id === undefined ? [] : [[m.id, m.user_id] as const])));
          const missed = await replayFromStorage(this.opts.storage, owners, afterId, upTo, this.opts.maxReplay ?? this.opts.bufferSize * 10);
          if (missed === null) reset = true;
          else events = [...missed, ...live.filter((e) => Number(e.event.id) > upTo)];
        }
      }
      return {
        replay: reset ? live : events,
        reset,
        headId,
        stampMicros: Number(stamp),
        unsubscribe: () => this.fanout.unwatch(watcher),
      };
    } catch (err) {
      this.fanout.unwatch(watcher);
      throw err;
    }
  }

  closeModel(modelId: number, reason: string) {
    this.fanout.closeKey(this.modelKey(modelId), reason);
    // Other nodes end theirs when their reader reaches the end marker.
    this.run('twBusClose', [this.ns, modelId, reason, CLOSED_TTL_MS]).catch(this.onError);
  }

  stats() {
    return { subscribers: this.fanout.size, events_per_s: this.fanout.eventsPerSecond() };
  }

  reachable() {
    return this.cmd.status === 'ready';
  }

  async close() {
    this.fanout.closeAll('server shutting down');
    await this.fanout.stop();
    await this.cmd.quit().catch(() => this.cmd.disconnect());
  }

  private modelKey(id: number) {
    return `${this.ns}model:${id}`;
  }

  private userKey(id: number) {
    return `${this.ns}user:${id}`;
  }

  private async warmMissing(models: readonly { id: number; user_id?: number }[]) {
    if (models.length === 0) return;
    const pipe = this.cmd.pipeline();
    for (const m of models) pipe.exists(`${this.modelKey(m.id)}:meta`);
    const replies = (await pipe.exec()) ?? [];
    for (const [i, m] of models.entries()) {
      const [err, exists] = replies[i] ?? [new Error('no reply')];
      if (err) throw err;
      if (exists) continue;
      const userId = m.user_id ?? (await this.opts.storage.models.byId(m.id))?.user_id;
      if (userId !== undefined) await this.warm(m.id, userId);
    }
  }

  /** Fills a model's stream from storage (after a Redis restart, or on its first event). */
  private async warm(modelId: number, userId: number) {
    const { bufferSize } = this.opts;
    const stored = await this.opts.storage.events.recentByModel(modelId, bufferSize + 1);
    const evicted = stored.length > bufferSize ? stored.shift()!.id : 0;
    const events = stored.flatMap((s) => {
      const e = fromStored(s);
      return e ? [s.id, JSON.stringify(e)] : [];
    });
    await this.run('twBusWarm', [this.ns, modelId, userId, evicted, IDLE_TTL_MS, ...events]);
  }
}

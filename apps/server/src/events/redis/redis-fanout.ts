import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { fromWireJson } from '../codec.js';
import type { BusEvent, Subscriber } from '../event-bus.js';
import { sseFrame } from '../frame.js';
import { RateMeter } from '../rate-meter.js';
import type { StreamEntryReply } from './redis-scripts.js';

/** One stream entry: an event, the end marker of a deleted model, or a late-event marker (neither). */
export interface StreamEntry {
  id: number;
  /** Newest id the stream had trimmed (or lost) when this entry was added. */
  evicted: number;
  event?: BusEvent;
  closed?: string;
}

/** The event id of a stream entry id (`<event id>-<n>`). */
export const entryNumber = (entryId: string) => Number(entryId.slice(0, entryId.indexOf('-')));

const compareEntryIds = (a: string, b: string) => {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
};

export function parseEntry([entryId, fields]: StreamEntryReply, parsed?: Map<number, BusEvent>): StreamEntry {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  const id = entryNumber(entryId);
  const evicted = Number(f.v ?? 0);
  if (f.e === undefined) return { id, evicted, closed: f.c };
  let event = parsed?.get(id);
  if (!event) {
    const wire = fromWireJson(f.e);
    if (!wire) return { id, evicted };
    event = { event: wire, user_id: Number(f.u), frame: sseFrame(wire) };
    parsed?.set(id, event);
  }
  return { id, evicted, event };
}

/** A local subscriber of some stream keys. */
export interface Watcher {
  readonly sub: Subscriber;
  readonly keys: string[];
  /** Per key, the newest id its replay covers; null while the replay is being read. */
  from: Map<string, number> | null;
  /** Live events that arrived while the replay was being read. */
  pending: { key: string; id: number; event: BusEvent }[];
  /** Per key, the newest id trimmed before this node read it, noted while the replay was being read. */
  missed: Map<string, number>;
  state: 'pending' | 'active' | 'ended' | 'broken';
}

/**
 * One reader per node: a dedicated connection runs XREAD BLOCK over every stream a local
 * subscriber watches and fans each entry out, parsed and framed once, to those subscribers in
 * id order. A change of the watched set interrupts the block with CLIENT UNBLOCK.
 */
export class StreamFanout {
  private readonly watchers = new Map<string, Set<Watcher>>();
  /** Read position (last entry id read) of every watched key. */
  private readonly pos = new Map<string, string>();
  private readonly positioning = new Map<string, Promise<void>>();
  private readonly meter = new RateMeter(10);
  private count = 0;
  private readerId: number | undefined;
  private reading = false;
  private keysVersion = 0;
  private readVersion = 0;
  private unblocking = false;
  private idle: (() => void) | undefined;
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly reader: Redis,
    private readonly cmd: Redis,
    private readonly blockMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    reader.on('close', () => (this.readerId = undefined));
    this.loop = this.run();
  }

  get size() {
    return this.count;
  }

  eventsPerSecond() {
    return this.meter.perSecond();
  }

  /** Registers `sub` on `keys`, buffering live events; resolves once every key has a read position. */
  async watch(keys: string[], sub: Subscriber): Promise<Watcher> {
    const w: Watcher = { sub, keys, from: null, pending: [], missed: new Map(), state: 'pending' };
    for (const key of keys) {
      let set = this.watchers.get(key);
      if (!set) this.watchers.set(key, (set = new Set()));
      set.add(w);
    }
    this.count++;
    try {
      await Promise.all(this.position(keys));
    } catch (err) {
      this.unwatch(w);
      throw err;
    }
    return w;
  }

  /**
   * Ends the buffering once the replay (covering each key up to `from`) is read: returns the
   * buffered events after it, in id order, and whether the reader missed none of them.
   */
  activate(w: Watcher, from: Map<string, number>): { live: BusEvent[]; complete: boolean; missedUpTo: number } {
    if (w.state === 'broken') throw new Error('event stream interrupted');
    const after = (key: string) => from.get(key) ?? 0;
    const complete = [...w.missed].every(([key, id]) => id <= after(key));
    const missedUpTo = Math.max(0, ...w.missed.values());
    const live = w.pending
      .filter((e) => e.id > after(e.key))
      .sort((a, b) => a.id - b.id)
      .map((e) => e.event);
    w.pending = [];
    w.from = from;
    if (w.state === 'pending') w.state = 'active';
    return { live, complete, missedUpTo };
  }

  unwatch(w: Watcher) {
    if (w.state === 'ended' || w.state === 'broken') return;
    w.state = 'ended';
    this.count--;
    for (const key of w.keys) {
      const set = this.watchers.get(key);
      set?.delete(w);
      if (set?.size === 0) {
        this.watchers.delete(key);
        this.pos.delete(key);
      }
    }
  }

  /** Ends the local subscribers of one key (one still reading its replay is left, as if it came later). */
  closeKey(key: string, reason: string) {
    for (const w of [...(this.watchers.get(key) ?? [])]) if (w.state === 'active') this.end(w, reason);
  }

  /** Ends every local subscriber; those still reading their replay fail. */
  closeAll(reason: string) {
    for (const w of new Set([...this.watchers.values()].flatMap((s) => [...s]))) {
      if (w.state === 'pending') {
        this.unwatch(w);
        w.state = 'broken';
      } else this.end(w, reason);
    }
  }

  async stop() {
    this.stopped = true;
    this.idle?.();
    this.reader.disconnect();
    await this.loop;
  }

  private end(w: Watcher, reason: string) {
    if (w.state === 'ended') return;
    this.unwatch(w);
    w.sub.onClose(reason);
  }

  /** Gives new keys a read position: their stream's current top, read before any replay. */
  private position(keys: string[]): Promise<void>[] {
    const fresh = keys.filter((k) => !this.pos.has(k) && !this.positioning.has(k));
    if (fresh.length > 0) {
      const done = (async () => {
        const pipe = this.cmd.pipeline();
        for (const key of fresh) pipe.xrevrange(key, '+', '-', 'COUNT', 1);
        const replies = (await pipe.exec()) ?? [];
        const tops = fresh.map((_, i) => {
          const [err, top] = replies[i] ?? [new Error('no reply')];
          if (err) throw err;
          return (top as StreamEntryReply[])[0]?.[0] ?? '0-0';
        });
        fresh.forEach((key, i) => this.watchers.has(key) && this.pos.set(key, tops[i]!));
        this.wake();
      })().finally(() => fresh.forEach((key) => this.positioning.delete(key)));
      for (const key of fresh) this.positioning.set(key, done);
    }
    return keys.flatMap((k) => this.positioning.get(k) ?? []);
  }

  private wake() {
    this.keysVersion++;
    if (this.idle) this.idle();
    else void this.unblock();
  }

  /** Interrupts the running XREAD so the next one covers the new keys (retried: it may not be blocked yet). */
  private async unblock() {
    if (this.unblocking) return;
    this.unblocking = true;
    try {
      // Until the XREAD in flight is one issued after the change; a spare unblock only costs a loop.
      for (let delay = 1; this.reading && this.readVersion < this.keysVersion && !this.stopped; delay = Math.min(delay * 2, 100)) {
        if (this.readerId !== undefined) await this.cmd.client('UNBLOCK', this.readerId);
        await sleep(delay);
      }
    } catch (err) {
      this.onError(err);
    } finally {
      this.unblocking = false;
    }
  }

  private async run() {
    for (let failures = 0; !this.stopped; ) {
      if (this.pos.size === 0) {
        await new Promise<void>((resolve) => (this.idle = resolve));
        this.idle = undefined;
        continue;
      }
      try {
        this.readerId ??= await this.reader.client('ID');
        // Keys and version are taken together, after the last await: a later change unblocks this read.
        const keys = [...this.pos.keys()];
        if (keys.length === 0) continue;
        this.readVersion = this.keysVersion;
        this.reading = true;
        const reply = (await this.reader.xread('BLOCK', this.blockMs, 'STREAMS', ...keys, ...keys.map((k) => this.pos.get(k)!))) as
          | [key: string, entries: StreamEntryReply[]][]
          | null;
        this.reading = false;
        if (reply) this.dispatch(reply);
        failures = 0;
      } catch (err) {
        this.reading = false;
        this.readerId = undefined;
        if (this.stopped) break;
        this.onError(err);
        // Positions may no longer hold: every client reconnects and resumes by id.
        this.closeAll('event stream interrupted');
        await sleep(Math.min(100 * 2 ** failures++, 5_000));
      }
    }
  }

  private dispatch(reply: [key: string, entries: StreamEntryReply[]][]) {
    const parsed = new Map<number, BusEvent>();
    const batch: (StreamEntry & { key: string; order: string })[] = [];
    for (const [key, entries] of reply) {
      const at = this.pos.get(key);
      const last = entries.at(-1);
      if (at === undefined || !last) continue;
      const fresh = entries.filter(([entryId]) => compareEntryIds(entryId, at) > 0);
      if (fresh.length === 0) continue;
      this.pos.set(key, last[0]);
      // No COUNT: the last entry is the newest, so its `evicted` is what the stream has let go.
      const evicted = parseEntry(last, parsed).evicted;
      if (evicted > entryNumber(at)) this.missedUpTo(key, evicted);
      for (const entry of fresh) batch.push({ ...parseEntry(entry, parsed), key, order: entry[0] });
    }
    batch.sort((a, b) => compareEntryIds(a.order, b.order));
    const delivered = new Set<number>();
    for (const e of batch) {
      for (const w of [...(this.watchers.get(e.key) ?? [])]) {
        if (!e.event) {
          if (e.closed !== undefined && w.state === 'active') this.end(w, e.closed);
        } else if (w.state === 'pending') {
          w.pending.push({ key: e.key, id: e.id, event: e.event });
        } else if (w.state === 'active' && e.id > (w.from!.get(e.key) ?? 0)) {
          w.sub.onEvent(e.event);
          delivered.add(e.id);
        }
      }
    }
    this.meter.add(delivered.size);
  }

  /** Entries after this node's position were trimmed before it read them: those who needed them must resume. */
  private missedUpTo(key: string, evicted: number) {
    for (const w of [...(this.watchers.get(key) ?? [])]) {
      if (w.state === 'pending') w.missed.set(key, Math.max(w.missed.get(key) ?? 0, evicted));
      else if (w.state === 'active' && evicted > (w.from!.get(key) ?? 0)) this.end(w, 'fell behind the event stream');
    }
  }
}

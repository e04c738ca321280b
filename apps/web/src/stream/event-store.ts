import type { ModelSnapshot, TradingEvent } from '@tradewire/contract';
import { byEventId, insertEvent, newestOf } from './event-order';
import { applyEvent, EMPTY_LIVE, fromSnapshot, type ModelLive } from './live-state';

/** What listeners get, at most once per frame: new events in id order and any snapshots. */
export interface StreamBatch {
  /** Never `connected`: its snapshots are in `snapshots`. No duplicates, ordered by id. */
  events: TradingEvent[];
  snapshots: ModelSnapshot[];
}

const EMPTY: readonly TradingEvent[] = Object.freeze([]);

/**
 * What the stream has said, per model: the last events (ordered and de-duplicated by id,
 * capped) and the live state built from snapshots and events. Every read returns the same
 * object until it changes, so views can compare by reference.
 */
export class EventStore {
  private buffers = new Map<number | null, TradingEvent[]>();
  private live = new Map<number, ModelLive>();
  private recent: TradingEvent[] = [];
  private recentStale = false;

  constructor(
    private readonly maxPerModel: number,
    private readonly maxRecent: number,
  ) {}

  getEvents(modelId: number): readonly TradingEvent[] {
    return this.buffers.get(modelId) ?? EMPTY;
  }

  getRecentEvents(): readonly TradingEvent[] {
    if (this.recentStale) {
      const all: TradingEvent[] = [];
      for (const b of this.buffers.values()) all.push(...b);
      all.sort(byEventId);
      this.recent = all.slice(-this.maxRecent);
      this.recentStale = false;
    }
    return this.recent;
  }

  getLive(modelId: number): ModelLive | undefined {
    return this.live.get(modelId);
  }

  getAllLive(): ReadonlyMap<number, ModelLive> {
    return this.live;
  }

  /**
   * Takes stored history: kept like any event (ordered, de-duplicated, capped) but not told to
   * listeners as news and not applied to the live state (the `connected` snapshot is newer).
   * True when anything got in.
   */
  addHistory(events: readonly TradingEvent[]): boolean {
    let added = false;
    const copied = new Set<number | null>();
    for (const e of events) {
      if (e.type === 'connected' || e.type === 'reset') continue;
      const current = this.buffers.get(e.model_id);
      const buffer = copied.has(e.model_id) && current ? current : (current?.slice() ?? []);
      if (!insertEvent(buffer, e, this.maxPerModel)) continue;
      this.buffers.set(e.model_id, buffer);
      copied.add(e.model_id);
      added = true;
    }
    if (added) this.recentStale = true;
    return added;
  }

  /** Takes events in the order they arrived; returns what was new, or null when nothing was. */
  apply(arrived: TradingEvent[]): StreamBatch | null {
    // After a reset the kept events may belong to an id sequence that started over: keep only
    // what came from the reset on (the feed shows the gap), and let views refetch.
    const reset = arrived.findLastIndex((e) => e.type === 'reset');
    if (reset >= 0) {
      arrived = arrived.slice(reset);
      this.buffers = new Map();
      this.recentStale = true;
    }
    const incoming = [...arrived].sort(byEventId);

    const added: TradingEvent[] = [];
    const snapshots: ModelSnapshot[] = [];
    const copied = new Set<number | null>();
    let live: Map<number, ModelLive> | null = null;
    const writableLive = () => (live ??= new Map(this.live));

    for (const e of incoming) {
      if (e.type === 'connected') {
        const list = [...e.data.snapshots];
        // The single-model stream describes its model inline rather than in `snapshots`.
        if (list.length === 0 && e.data.model_id !== null && e.data.status !== undefined) {
          list.push({ model_id: e.data.model_id, status: e.data.status, run: e.data.run ?? null, portfolio: e.data.portfolio ?? null });
        }
        const target = writableLive();
        for (const s of list) {
          target.set(s.model_id, fromSnapshot(s, target.get(s.model_id)));
          snapshots.push(s);
        }
        continue;
      }
      // Copy a model's buffer once per batch, and only when an event gets in: views holding
      // the old array see a change only when there is one.
      const current = this.buffers.get(e.model_id);
      const buffer = copied.has(e.model_id) && current ? current : (current?.slice() ?? []);
      if (!insertEvent(buffer, e, this.maxPerModel)) continue;
      if (buffer !== current) {
        this.buffers.set(e.model_id, buffer);
        copied.add(e.model_id);
      }
      added.push(e);
      if (e.model_id === null) continue;
      const target = writableLive();
      target.set(e.model_id, applyEvent(target.get(e.model_id) ?? EMPTY_LIVE, e));
    }

    if (live) this.live = live;
    // The newest events of all models are the newest of those kept before and those added: an
    // event a buffer drops has `maxPerModel` newer ones of its model, so it is not among them.
    if (added.length > 0 && !this.recentStale) {
      if (this.maxRecent <= this.maxPerModel) this.recent = newestOf(this.recent, added, this.maxRecent);
      else this.recentStale = true;
    }
    return added.length > 0 || snapshots.length > 0 ? { events: added, snapshots } : null;
  }
}

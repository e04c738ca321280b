import { compareEventIds } from './event-order';
import type { EventSourceConstructor, EventSourceLike } from './types';

/** The part of BroadcastChannel the tabs talk through. */
export interface TabChannel {
  postMessage(message: TabMessage): void;
  onmessage: ((ev: MessageEvent<TabMessage>) => unknown) | null;
  close(): void;
}

/** The part of the Web Locks API used to elect the leader: the holder of the lock leads. */
export interface TabLocks {
  request(name: string, options: { signal: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

type Watched = number[] | 'all';

export type TabMessage =
  /** A follower's watch set; `fresh` when it has no resume point and needs a snapshot. */
  | { kind: 'watch'; tab: string; models: Watched; fresh: boolean }
  | { kind: 'bye'; tab: string }
  /** A tab took the lead: followers tell it what they watch. */
  | { kind: 'leader' }
  /** The leader's connection is open. */
  | { kind: 'open' }
  /** The leader's open connection failed; it is reconnecting. */
  | { kind: 'down' }
  | { kind: 'frame'; data: string };

export interface TabLeaderOptions {
  /** The real EventSource, used only while this tab leads. */
  EventSource: EventSourceConstructor;
  channel: TabChannel;
  locks: TabLocks;
  lockName: string;
  tabId?: string;
  /** Frames kept for the tab's client while it has no connection open (between reconnects). */
  maxBuffered?: number;
  /** How long a new leader rebroadcasts frames before any other tab has said what it watches (ms, default 5 s). */
  followerGraceMs?: number;
}

/** How long a new leader rebroadcasts before the other tabs have said what they watch. */
const FOLLOWER_GRACE_MS = 5_000;

const watchedOf = (url: string): Watched => {
  const models = new URL(url, 'http://tab.invalid').searchParams.get('models');
  return models ? models.split(',').map(Number) : 'all';
};

/** What a tab's StreamClient holds in place of an EventSource. */
class TabStream implements EventSourceLike {
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  opened = false;
  readonly watched: Watched;

  constructor(
    readonly url: string,
    private readonly onClose: (s: TabStream) => void,
  ) {
    this.watched = watchedOf(url);
  }

  wants(modelId: number | null) {
    return this.watched === 'all' || modelId === null || this.watched.includes(modelId);
  }

  fireOpen() {
    if (this.opened) return;
    this.opened = true;
    this.onopen?.(new Event('open'));
  }

  fireMessage(data: string) {
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  fireError() {
    this.onerror?.(new Event('error'));
  }

  close() {
    this.onClose(this);
  }
}

/**
 * Shares one stream connection between the tabs of a browser. Each tab's StreamClient gets
 * `EventSource` from here; the tab holding the lock opens the one real connection for the union
 * of what all tabs watch and rebroadcasts its frames; the others apply the frames they receive.
 * When the leader closes, the lock passes on and the next tab connects, resuming from the last
 * event id it has seen.
 */
export class TabLeader {
  readonly EventSource: EventSourceConstructor;
  private leading = false;
  private joined = false;
  private local: TabStream | null = null;
  private real: EventSourceLike | null = null;
  private realOpen = false;
  /** The leader's connection was seen open (followers only). */
  private leaderOpen = false;
  private readonly followers = new Map<string, Watched>();
  /** Until then (ms since epoch) the leader rebroadcasts even with no follower known: they announce themselves on 'leader'. */
  private rebroadcastUntil = 0;
  private lastSeenId: string | null = null;
  private buffered: string[] = [];
  private abort: AbortController | null = null;
  private release: (() => void) | null = null;
  private readonly tabId: string;
  private readonly leaderListeners = new Set<() => void>();

  constructor(private readonly opts: TabLeaderOptions) {
    this.tabId = opts.tabId ?? crypto.randomUUID();
    const openLocal = (url: string) => this.openLocal(url);
    // A class so `new` works on it as on EventSource; the constructor returns this tab's stream.
    this.EventSource = class {
      constructor(url: string) {
        return openLocal(url);
      }
    } as unknown as EventSourceConstructor;
    opts.channel.onmessage = (ev) => this.onChannel(ev.data);
  }

  get isLeader() {
    return this.leading;
  }

  /** Called when this tab takes the lead. */
  onLeader(fn: () => void) {
    this.leaderListeners.add(fn);
    return () => void this.leaderListeners.delete(fn);
  }

  /** Leaves the group: drops the connection and hands the lead to another tab. The next stream joins again. */
  close() {
    if (!this.joined) return;
    if (!this.leading) this.post({ kind: 'bye', tab: this.tabId });
    this.joined = false;
    this.leading = false;
    this.leaderOpen = false;
    this.dropReal();
    this.abort?.abort();
    this.abort = null;
    this.release?.();
    this.release = null;
  }

  /** Queues for the lock; the callback runs while this tab leads, until it leaves. */
  private join() {
    this.joined = true;
    const abort = new AbortController();
    this.abort = abort;
    this.opts.locks
      .request(this.opts.lockName, { signal: abort.signal }, () => {
        if (abort.signal.aborted) return Promise.resolve();
        return new Promise<void>((resolve) => {
          this.release = resolve;
          this.becomeLeader();
        });
      })
      .catch(() => undefined);
  }

  // ---- this tab's client ----------------------------------------------------------------------

  private openLocal(url: string): TabStream {
    const stream = new TabStream(url, (s) => this.closeLocal(s));
    this.local = stream;
    if (!this.joined) this.join();
    // EventSource never calls back inside its constructor: let the client set its handlers first.
    queueMicrotask(() => {
      if (this.local !== stream) return;
      const missed = this.buffered;
      this.buffered = [];
      for (const data of missed) this.deliver(data);
      if (this.leading) this.openReal();
      else {
        if (this.leaderOpen) stream.fireOpen();
        this.sendWatch(new URL(url, 'http://tab.invalid').searchParams.get('last_event_id') === null);
      }
    });
    return stream;
  }

  private closeLocal(stream: TabStream) {
    if (this.local !== stream) return;
    this.local = null;
    if (this.leading) this.dropReal();
  }

  private sendWatch(fresh: boolean) {
    if (this.local) this.post({ kind: 'watch', tab: this.tabId, models: this.local.watched, fresh });
  }

  // ---- leading ------------------------------------------------------------------------------

  private becomeLeader() {
    this.leading = true;
    this.leaderOpen = false;
    this.rebroadcastUntil = Date.now() + (this.opts.followerGraceMs ?? FOLLOWER_GRACE_MS);
    this.post({ kind: 'leader' });
    if (this.local) this.openReal();
    for (const fn of this.leaderListeners) fn();
  }

  private union(): Watched {
    const sets = [...this.followers.values(), ...(this.local ? [this.local.watched] : [])];
    if (sets.some((s) => s === 'all')) return 'all';
    return [...new Set(sets.flat() as number[])].sort((a, b) => a - b);
  }

  /** (Re)opens the one connection with the local client's ticket, for every tab's models. */
  private openReal() {
    this.dropReal();
    if (!this.local) return;
    const url = new URL(this.local.url, 'http://tab.invalid');
    const models = this.union();
    if (models === 'all') url.searchParams.delete('models');
    else url.searchParams.set('models', models.join(','));
    if (this.lastSeenId !== null) url.searchParams.set('last_event_id', this.lastSeenId);
    const absolute = /^[a-z]+:/i.test(this.local.url);
    const es = new this.opts.EventSource(absolute ? url.toString() : `${url.pathname}${url.search}`);
    this.real = es;
    es.onopen = () => {
      if (this.real !== es) return;
      this.realOpen = true;
      this.local?.fireOpen();
      this.post({ kind: 'open' });
    };
    es.onmessage = (ev) => {
      if (this.real !== es) return;
      const data = String(ev.data);
      this.deliver(data);
      // A tab alone has no one to tell: posting every frame to the channel costs a structured clone each.
      if (this.followers.size > 0 || Date.now() < this.rebroadcastUntil) this.post({ kind: 'frame', data });
    };
    es.onerror = () => {
      if (this.real !== es) return;
      if (this.realOpen) this.post({ kind: 'down' });
      this.dropReal();
      // The client decides when and with which ticket to try again: it opens a new stream here.
      this.local?.fireError();
    };
  }

  private dropReal() {
    this.realOpen = false;
    if (!this.real) return;
    this.real.onopen = this.real.onmessage = this.real.onerror = null;
    this.real.close();
    this.real = null;
  }

  // ---- frames -------------------------------------------------------------------------------

  private deliver(data: string) {
    let head: { id?: unknown; type?: unknown; model_id?: unknown };
    try {
      head = JSON.parse(data) as typeof head;
    } catch {
      head = {};
    }
    if (typeof head.id === 'string' && /^\d+$/.test(head.id)) {
      if (head.type === 'reset' || this.lastSeenId === null || compareEventIds(head.id, this.lastSeenId) > 0) this.lastSeenId = head.id;
    }
    if (!this.local) {
      // Between a drop and the client's next stream: keep the frames for it (its store de-duplicates).
      this.buffered.push(data);
      if (this.buffered.length > (this.opts.maxBuffered ?? 1000)) this.buffered.shift();
      return;
    }
    if (this.local.wants(typeof head.model_id === 'number' ? head.model_id : null)) this.local.fireMessage(data);
  }

  private onChannel(msg: TabMessage) {
    if (!this.joined) return;
    switch (msg.kind) {
      case 'frame':
        if (!this.leading) this.deliver(msg.data);
        return;
      case 'open':
        if (this.leading) return;
        this.leaderOpen = true;
        this.local?.fireOpen();
        return;
      case 'down':
        if (this.leading) return;
        this.leaderOpen = false;
        // The tab shows Reconnecting like the leader; frames that come meanwhile wait for its next stream.
        if (this.local?.opened) this.local.fireError();
        return;
      case 'leader':
        if (this.leading) return;
        this.leaderOpen = false;
        this.sendWatch(false);
        return;
      case 'watch': {
        if (!this.leading) return;
        const before = JSON.stringify(this.union());
        this.followers.set(msg.tab, msg.models);
        // A newcomer needs the snapshot a new connection starts with; a wider union needs the models.
        if (this.local && (msg.fresh || JSON.stringify(this.union()) !== before)) this.openReal();
        else if (this.realOpen) this.post({ kind: 'open' });
        return;
      }
      case 'bye':
        this.followers.delete(msg.tab);
        return;
    }
  }

  private post(msg: TabMessage) {
    this.opts.channel.postMessage(msg);
  }
}

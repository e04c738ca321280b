import { type TradingEvent, TradingEventMini } from '@tradewire/contract';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';
import { compareEventIds } from './event-order';
import { EventStore, type StreamBatch } from './event-store';
import type { ModelLive } from './live-state';
import type { EventSourceLike, StreamClientOptions, StreamEnvironment, StreamState, WatchTarget } from './types';

export type { StreamBatch } from './event-store';
export type * from './types';

const ALWAYS_ONLINE: StreamEnvironment = {
  isOnline: () => true,
  onOnline: () => () => {},
  onVisible: () => () => {},
};

interface Ticket {
  value: string;
  expiresAt: number;
  /** Connections opened with it; a ticket that worked before and fails now has likely expired. */
  uses: number;
}

/**
 * One live connection per tab to `/api/stream` for every model in view. Knows EventSource,
 * tickets, resume, backoff, de-duplication and batching; knows nothing of React.
 */
export class StreamClient {
  private readonly opts: Required<Omit<StreamClientOptions, 'environment' | 'fetchHistory'>> & Pick<StreamClientOptions, 'fetchHistory'> & { environment: StreamEnvironment };

  private state: StreamState = { status: 'offline', attempt: 0, lastEventId: null };
  private readonly stateListeners = new Set<() => void>();
  private readonly batchListeners = new Set<(batch: StreamBatch) => void>();

  private readonly interest = new Map<WatchTarget, number>();
  private reconcileCancel: (() => void) | null = null;
  /** The `models` query value of the current connection; '' for all; null when inactive. */
  private modelsParam: string | null = null;
  private detachEnvironment: (() => void) | null = null;

  private es: EventSourceLike | null = null;
  private opened = false;
  private generation = 0;
  private retryCancel: (() => void) | null = null;
  private ticket: Ticket | null = null;

  /** The resume point: the highest id seen, or the id a `reset` gave when ids started over. */
  private resumeId: string | null = null;
  private pending: TradingEvent[] = [];
  /** Whose history is in the store: every model's, or these models'. */
  private historyOf: 'all' | Set<number> = new Set();
  private frameRequested = false;
  private lastFlushAt = 0;

  private readonly store: EventStore;
  private readonly warnedTypes = new Set<string>();

  constructor(options: StreamClientOptions) {
    this.opts = {
      ...options,
      url: options.url ?? '/api/stream',
      maxEventsPerModel: options.maxEventsPerModel ?? 100,
      maxRecentEvents: options.maxRecentEvents ?? 100,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      ticketMarginMs: options.ticketMarginMs ?? 5_000,
      minDeliveryIntervalMs: options.minDeliveryIntervalMs ?? 0,
      environment: options.environment ?? ALWAYS_ONLINE,
      warn: options.warn ?? ((m) => console.warn(m)),
    };
    this.store = new EventStore(this.opts.maxEventsPerModel, this.opts.maxRecentEvents);
  }

  // ---- reading ----------------------------------------------------------------------------

  getState = (): StreamState => this.state;

  /** The model's last events (at most 100), ascending by id. The same array until it changes. */
  getEvents = (modelId: number): readonly TradingEvent[] => this.store.getEvents(modelId);

  /** The last events of all models together, ascending by id. */
  getRecentEvents = (): readonly TradingEvent[] => this.store.getRecentEvents();

  getLive = (modelId: number): ModelLive | undefined => this.store.getLive(modelId);

  /** Every model's live state. A new Map whenever any of them changes. */
  getAllLive = (): ReadonlyMap<number, ModelLive> => this.store.getAllLive();

  /** Called whenever the connection state changes. */
  subscribeState = (fn: () => void) => {
    this.stateListeners.add(fn);
    return () => void this.stateListeners.delete(fn);
  };

  /** Called at most once per frame with what arrived since the last call. */
  subscribe = (fn: (batch: StreamBatch) => void) => {
    this.batchListeners.add(fn);
    return () => void this.batchListeners.delete(fn);
  };

  // ---- what to stream ---------------------------------------------------------------------

  /**
   * Declares interest in a model (or all). The connection covers the union of all interests;
   * changes are gathered for a tick, so mounting many views reconnects at most once.
   */
  watch(target: WatchTarget): () => void {
    this.interest.set(target, (this.interest.get(target) ?? 0) + 1);
    this.scheduleReconcile();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const n = (this.interest.get(target) ?? 1) - 1;
      if (n <= 0) this.interest.delete(target);
      else this.interest.set(target, n);
      this.scheduleReconcile();
    };
  }

  /** Reconnects now, skipping any backoff wait (the Reconnect button). */
  reconnect() {
    if (this.modelsParam !== null) this.connect();
  }

  /** Closes the connection and stops everything; the client can start again on the next watch. */
  close() {
    this.interest.clear();
    this.reconcileCancel?.();
    this.reconcileCancel = null;
    this.deactivate();
  }

  private scheduleReconcile() {
    if (this.reconcileCancel) return;
    this.reconcileCancel = this.opts.scheduler.setTimeout(() => {
      this.reconcileCancel = null;
      this.reconcile();
    }, 0);
  }

  private reconcile() {
    const wanted = this.wantedModelsParam();
    if (wanted === null) return this.deactivate();
    if (wanted === this.modelsParam) return;
    this.modelsParam = wanted;
    if (!this.detachEnvironment) this.attachEnvironment();
    this.connect();
  }

  private wantedModelsParam(): string | null {
    if (this.interest.size === 0) return null;
    if (this.interest.has('all')) return '';
    return [...this.interest.keys()].sort((a, b) => (a as number) - (b as number)).join(',');
  }

  private attachEnvironment() {
    const env = this.opts.environment;
    // Back on the network: the old socket is likely dead even if it has not noticed yet.
    const offOnline = env.onOnline(() => this.reconnect());
    const offVisible = env.onVisible(() => {
      if (this.state.status !== 'live') this.reconnect();
    });
    this.detachEnvironment = () => {
      offOnline();
      offVisible();
    };
  }

  private deactivate() {
    this.detachEnvironment?.();
    this.detachEnvironment = null;
    this.modelsParam = null;
    this.generation++;
    this.dropConnection();
    this.setState({ status: 'offline', attempt: 0 });
  }

  // ---- connection -------------------------------------------------------------------------

  private dropConnection() {
    this.retryCancel?.();
    this.retryCancel = null;
    if (this.es) {
      this.es.onopen = this.es.onmessage = this.es.onerror = null;
      this.es.close();
      this.es = null;
    }
  }

  private connect() {
    this.dropConnection();
    const gen = ++this.generation;
    if (this.state.status === 'live' || this.state.status === 'offline') {
      this.setState({ status: this.state.attempt > 0 ? 'reconnecting' : 'connecting' });
    }
    Promise.all([this.currentTicket(), this.loadHistory()]).then(
      ([ticket]) => {
        if (gen === this.generation) this.open(gen, ticket);
      },
      () => {
        if (gen === this.generation) this.failed(gen, false);
      },
    );
  }

  /**
   * Puts the stored history of the models in view that the store lacks into it, once per model:
   * the first connection then resumes where that history ends, so views start from what
   * happened and follow on with no gap and no duplicate. A failed fetch is not fatal: the
   * stream opens anyway and the history is asked for again on the next connection.
   */
  private async loadHistory(): Promise<void> {
    const fetchHistory = this.opts.fetchHistory;
    if (!fetchHistory || this.modelsParam === null || this.historyOf === 'all') return;
    const covered = this.historyOf;
    const wanted = this.modelsParam === '' ? null : this.modelsParam.split(',').map(Number).filter((id) => !covered.has(id));
    if (wanted !== null && wanted.length === 0) return;
    let history: Awaited<ReturnType<typeof fetchHistory>>;
    try {
      history = await fetchHistory(wanted);
    } catch {
      return;
    }
    if (wanted === null) this.historyOf = 'all';
    else for (const id of wanted) covered.add(id);
    // Only a client that has heard nothing yet resumes from the history's end; one already
    // following the stream has everything after its own point and merges the rest by id.
    if (this.resumeId === null) this.resumeId = history.last_event_id;
    if (this.store.addHistory(history.events)) for (const fn of this.batchListeners) fn({ events: [], snapshots: [] });
    if (this.state.lastEventId !== this.resumeId) this.setState({ lastEventId: this.resumeId });
  }

  private ticketUsable(t: Ticket) {
    return this.opts.scheduler.now() < t.expiresAt - this.opts.ticketMarginMs;
  }

  private async currentTicket(): Promise<Ticket> {
    const t = this.ticket;
    if (t && this.ticketUsable(t)) return t;
    const fresh = await this.opts.fetchTicket();
    this.ticket = { value: fresh.ticket, expiresAt: this.opts.scheduler.now() + fresh.expires_in * 1000, uses: 0 };
    return this.ticket;
  }

  private open(gen: number, ticket: Ticket) {
    const params = new URLSearchParams();
    if (this.modelsParam) params.set('models', this.modelsParam);
    params.set('ticket', ticket.value);
    if (this.resumeId !== null) params.set('last_event_id', this.resumeId);
    const sep = this.opts.url.includes('?') ? '&' : '?';

    ticket.uses++;
    this.opened = false;
    const es = new this.opts.EventSource(`${this.opts.url}${sep}${params.toString()}`);
    this.es = es;
    es.onopen = () => {
      if (gen !== this.generation) return;
      this.opened = true;
      this.setState({ status: 'live', attempt: 0 });
    };
    es.onmessage = (ev) => {
      if (gen === this.generation) this.receive(ev.data);
    };
    es.onerror = () => {
      if (gen !== this.generation) return;
      // The browser would retry by itself with the same (maybe expired) ticket and no say over
      // the delay: close it and reconnect on our own terms.
      const reusedTicket = ticket.uses > 1;
      this.dropConnection();
      if (!this.opened) {
        // A refused connection is most often an expired or unknown ticket (a 401, which
        // EventSource does not show us): never offer the same ticket again.
        if (this.ticket === ticket) this.ticket = null;
        return this.failed(gen, reusedTicket);
      }
      // The server ends a stream when its ticket expires: routine, so reconnect now, quietly.
      if (!this.ticketUsable(ticket)) return this.connect();
      this.failed(gen, false);
    };
  }

  /** Schedules the next attempt: at once when only a stale ticket was at fault, else with backoff. */
  private failed(gen: number, retryAtOnce: boolean) {
    if (gen !== this.generation) return;
    const attempt = this.state.attempt + 1;
    const delay = retryAtOnce ? 0 : backoffDelay(attempt, this.opts.scheduler.random, this.opts.backoff);
    this.setState({ status: this.opts.environment.isOnline() ? 'reconnecting' : 'offline', attempt });
    this.retryCancel = this.opts.scheduler.setTimeout(() => {
      this.retryCancel = null;
      if (gen === this.generation) this.connect();
    }, delay);
  }

  // ---- events -----------------------------------------------------------------------------

  private receive(raw: unknown) {
    let json: unknown;
    try {
      json = JSON.parse(String(raw));
    } catch {
      return this.warnOnce('unparsable', 'Tradewire stream: ignored a frame that is not JSON');
    }
    const parsed = TradingEventMini.safeParse(json);
    if (!parsed.success) {
      const type = String((json as { type?: unknown } | null)?.type ?? 'unknown');
      return this.warnOnce(type, `Tradewire stream: ignored a "${type}" event the contract does not describe: ${parsed.error.message}`);
    }
    const event = parsed.data;
    if (event.type === 'reset') {
      // The server could not resume us (we were away too long, or it restarted and its ids began
      // again): its id is the new resume point even when lower than ours. What we kept is gone
      // with the old sequence: the next connection fetches the history again.
      this.resumeId = event.id;
      this.historyOf = new Set();
    } else if (this.resumeId === null || compareEventIds(event.id, this.resumeId) > 0) {
      // `connected` counts too: it carries the point its snapshot stands at.
      this.resumeId = event.id;
    }
    this.pending.push(event);
    if (!this.frameRequested) {
      this.frameRequested = true;
      const wait = this.lastFlushAt + this.opts.minDeliveryIntervalMs - this.opts.scheduler.now();
      if (wait > 0) this.opts.scheduler.setTimeout(() => this.opts.scheduler.requestFrame(() => this.flush()), wait);
      else this.opts.scheduler.requestFrame(() => this.flush());
    }
  }

  private flush() {
    this.frameRequested = false;
    this.lastFlushAt = this.opts.scheduler.now();
    const arrived = this.pending;
    this.pending = [];
    const batch = this.store.apply(arrived);
    if (this.state.lastEventId !== this.resumeId) this.setState({ lastEventId: this.resumeId });
    if (batch) for (const fn of this.batchListeners) fn(batch);
    // A reset emptied the store: what happened before it comes back from the stored history.
    if (arrived.some((e) => e.type === 'reset')) void this.loadHistory();
  }

  private warnOnce(key: string, message: string) {
    if (this.warnedTypes.has(key)) return;
    this.warnedTypes.add(key);
    this.opts.warn(message);
  }

  private setState(patch: Partial<StreamState>) {
    const next = { ...this.state, ...patch };
    if (next.status === this.state.status && next.attempt === this.state.attempt && next.lastEventId === this.state.lastEventId) {
      return;
    }
    this.state = next;
    for (const fn of this.stateListeners) fn();
  }
}


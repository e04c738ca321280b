import type { ServerResponse } from 'node:http';
import type { ModelSnapshot } from '@tradewire/contract';
import { controlEvent, isoMicros, microsOf } from './codec.js';
import type { Revocation } from './revocations.js';
import type { EventBus, SubscriptionFilter } from './event-bus.js';
import { type Frame, sseFrame } from './frame.js';
import { SseConnection } from './sse-connection.js';

/** How every stream of this node behaves; each option with its default in config. */
export interface SseOptions {
  /** Interval of `: ping` comments that keep proxies from closing idle streams (STREAM_HEARTBEAT_MS, 15 s). */
  heartbeatMs: number;
  /** Unsent bytes after which a slow client is cut off; it reconnects and resumes (STREAM_MAX_BUFFER_BYTES, 1 MiB). */
  maxBufferBytes: number;
  /** The `retry:` the client waits before reconnecting, ms (3 s). */
  retryMs: number;
}

/** One client's stream, as the route parsed and authorised it. */
export interface StreamRequest {
  /** Which events it carries. */
  filter: SubscriptionFilter;
  /** The one model of `/api/trading/stream/{id}` (its snapshot fields are inlined in `connected`); null for `/api/stream`. */
  single: number | null;
  /** The client's resume point (`Last-Event-ID` or `?last_event_id=`); undefined for a fresh client. */
  afterId: number | undefined;
  /** When the credential that opened the stream expires, ms since the epoch: the stream ends then. */
  expiresAt: number;
  /** Who opened it and under which sign-in: a revocation of either ends it. */
  credential: { userId: number; session: string };
  /**
   * When storage confirmed the credential (performance.now()), if every revocation since then is
   * sure to have reached this node: the revocations heard since are checked in memory. Undefined:
   * `stillAuthorised` asks storage again.
   */
  checkedAt: number | undefined;
  /**
   * Whether the credential still authorises the stream, asked once it is registered when
   * `checkedAt` cannot answer: a logout or role change that happened while it was being opened
   * ends it then.
   */
  stillAuthorised(): Promise<boolean>;
  /** The models' snapshots for `connected`, read after the subscription holds new events. */
  snapshots(): Promise<ModelSnapshot[]>;
}

/**
 * The streams of this node. Opening one: subscribe (new events are held from then on), read the
 * snapshots, send `reset` if the resume point is too old, `connected` with the snapshots, the
 * replay of missed events, the held events, then live events as they come — no gap, no
 * duplicate. One heartbeat keeps idle streams open (see Heartbeat); a stream ends when its
 * credential expires or is revoked (logout, role change), when its model is deleted, or when the
 * node shuts down.
 */
export class SseSessions {
  private readonly open = new Set<SseConnection>();
  private readonly bySession = new Map<string, Set<SseConnection>>();
  private readonly byUser = new Map<number, Set<SseConnection>>();
  private readonly heartbeat: Heartbeat;
  /** Revocations heard in the last REVOCATION_MEMORY_MS, oldest first, with when (performance.now()). */
  private recentRevocations: { at: number; r: Revocation }[] = [];

  constructor(
    private readonly bus: EventBus,
    private readonly options: SseOptions,
  ) {
    this.heartbeat = new Heartbeat(options.heartbeatMs);
  }

  /**
   * Serves one stream on `res`. `takeOver` is called once the stream is ready to start (the HTTP
   * framework must let go of the response); an error before then leaves the response untouched.
   */
  async serve(res: ServerResponse, request: StreamRequest, takeOver: () => void): Promise<void> {
    const conn = new SseConnection(res, this.options.maxBufferBytes);
    const held: Frame[] = [];
    let live = false;
    const sub = await this.bus.subscribe(request.filter, request.afterId, {
      onEvent: (e) => (live ? conn.send(e.frame) : held.push(e.frame)),
      onClose: (reason) => conn.end(reason),
    });
    let snapshots: ModelSnapshot[];
    try {
      snapshots = await request.snapshots();
    } catch (e) {
      sub.unsubscribe();
      throw e;
    }

    takeOver();
    conn.open({}, this.options.retryMs);
    this.open.add(conn);
    this.heartbeat.add(conn);
    const { userId, session } = request.credential;
    add(this.bySession, session, conn);
    add(this.byUser, userId, conn);
    // A token or ticket is only good until it expires; the client reconnects with a fresh one.
    const expiry = setTimeout(() => conn.end('credentials expired'), Math.max(0, request.expiresAt - Date.now()));
    expiry.unref();
    conn.onClose(() => {
      sub.unsubscribe();
      this.open.delete(conn);
      this.heartbeat.delete(conn);
      remove(this.bySession, session, conn);
      remove(this.byUser, userId, conn);
      clearTimeout(expiry);
    });
    // Registered now: a revocation from here on reaches it; one that came while it opened is caught here.
    const heard = this.revokedSince(request.credential, request.checkedAt);
    if (heard === undefined) {
      void request.stillAuthorised().then(
        (ok) => ok || conn.end('credentials revoked'),
        () => conn.end('credentials could not be checked'),
      );
    } else if (heard) conn.end('credentials revoked');

    // The resume point the client should keep if it drops before the replay arrives.
    const resumeId = String(request.afterId !== undefined && !sub.reset ? request.afterId : sub.headId);
    // Control events sort before everything this connection delivers after them.
    const first = sub.replay[0]?.event.timestamp;
    const stamp = first ? microsOf(first) - 1 : sub.stampMicros;
    if (sub.reset) {
      conn.send(sseFrame(controlEvent({ type: 'reset', data: { message: 'Your resume point is older than the server keeps: refetch' } }, resumeId, isoMicros(stamp - 1), request.single)));
    }
    const snapshot = request.single !== null ? snapshots[0] : undefined;
    const connected = controlEvent(
      {
        type: 'connected',
        data: {
          message: 'Connected to trading stream',
          model_id: request.single,
          snapshots,
          ...(snapshot ? { status: snapshot.status, run: snapshot.run, portfolio: snapshot.portfolio } : {}),
        },
      },
      resumeId,
      isoMicros(stamp),
      request.single,
    );
    conn.send(sseFrame(connected));
    for (const e of sub.replay) conn.send(e.frame);
    for (const f of held) conn.send(f);
    live = true;
    conn.flush();
  }

  /** Ends, at once, the streams a revocation names (by sign-in or by user). */
  revoke(r: Revocation) {
    const now = performance.now();
    this.recentRevocations = this.recentRevocations.filter((e) => now - e.at < REVOCATION_MEMORY_MS);
    this.recentRevocations.push({ at: now, r });
    const ended = new Set<SseConnection>();
    for (const s of r.sessions ?? []) this.bySession.get(s)?.forEach((c) => ended.add(c));
    for (const u of r.users ?? []) this.byUser.get(u)?.forEach((c) => ended.add(c));
    for (const c of ended) c.end(`credentials revoked: ${r.reason}`);
  }

  /**
   * Whether a revocation heard since `checkedAt` names the credential; undefined when memory
   * cannot say (no `checkedAt`, or it is older than what is remembered).
   */
  private revokedSince(credential: StreamRequest['credential'], checkedAt: number | undefined): boolean | undefined {
    if (checkedAt === undefined || performance.now() - checkedAt >= REVOCATION_MEMORY_MS) return undefined;
    return this.recentRevocations.some(
      ({ at, r }) => at >= checkedAt && (r.sessions?.includes(credential.session) || r.users?.includes(credential.userId)),
    );
  }

  /** Ends every stream (the node is shutting down); clients reconnect elsewhere or later. */
  closeAll(reason: string) {
    this.heartbeat.stop();
    this.open.forEach((c) => c.end(reason));
  }
}

/** How long revocations are remembered for streams that were being opened when they came. */
const REVOCATION_MEMORY_MS = 60_000;

/**
 * Pings every stream that has been quiet for most of `periodMs`, so none stays silent longer
 * than that, without a burst: streams are dealt into buckets and each tick visits one bucket,
 * the whole set once a quarter period; a stream that wrote recently is skipped.
 */
class Heartbeat {
  private readonly buckets: Set<SseConnection>[];
  private readonly idleMs: number;
  private readonly timer: NodeJS.Timeout;
  private next = 0;
  private tick = 0;

  constructor(periodMs: number) {
    const visitMs = periodMs / 4;
    // A visit every quarter period; quiet for 5/8 of it means the next visit would be too late.
    this.idleMs = (periodMs * 5) / 8;
    const count = Math.min(16, Math.max(1, Math.floor(visitMs / 100)));
    this.buckets = Array.from({ length: count }, () => new Set());
    this.timer = setInterval(() => this.visit(), visitMs / count);
    this.timer.unref();
  }

  add(conn: SseConnection) {
    this.buckets[this.next++ % this.buckets.length]!.add(conn);
  }

  delete(conn: SseConnection) {
    for (const b of this.buckets) if (b.delete(conn)) return;
  }

  stop() {
    clearInterval(this.timer);
  }

  private visit() {
    const now = performance.now();
    for (const c of this.buckets[this.tick++ % this.buckets.length]!) if (now - c.lastWriteAt >= this.idleMs) c.ping();
  }
}

function add<K>(map: Map<K, Set<SseConnection>>, key: K, conn: SseConnection) {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(conn);
}

function remove<K>(map: Map<K, Set<SseConnection>>, key: K, conn: SseConnection) {
  const set = map.get(key);
  if (!set) return;
  set.delete(conn);
  if (set.size === 0) map.delete(key);
}

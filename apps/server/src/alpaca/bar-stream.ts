// Alpaca's real-time bar stream (wss://stream.data.alpaca.markets/v2/{feed}) as the push side of
// a LiveBarSource. The official client (@alpacahq/alpaca-trade-api's StockDataStream) speaks the
// protocol: it authenticates with {"action":"auth"}, sends {"action":"subscribe","bars":[...]},
// decodes the {"T":"b",...} frames, pings, reconnects with backoff and re-subscribes after a
// drop, and gives up on refused keys (402) instead of looping. This module shares one connection
// among every subscriber (Alpaca allows one connection per account and feed: a second is refused
// with 406), turns its bars into LiveBars and its lifecycle into one status line.
import { streaming } from '@alpacahq/alpaca-trade-api';
import type { BarHandlers, BarSubscription, FeedStatus, LiveBar, LiveBarSource } from '../live/ports.js';

export interface AlpacaBarStreamOptions {
  /** The full endpoint, `wss://stream.data.alpaca.markets/v2/iex` (see streamUrl in hosts.ts). */
  url: string;
  /** The feed's name for status lines (`iex`). */
  feed: string;
  keyId: string;
  secretKey: string;
  /** First reconnect delay; it doubles per failed attempt up to `maxReconnectMs`. */
  initialReconnectMs?: number;
  maxReconnectMs?: number;
  /** Keepalive ping interval (a socket with no pong within 5 s is dropped and reconnected). */
  pingIntervalMs?: number;
}

/** What the stream reported in words a person can act on; the client's own wording otherwise. */
const ERROR_WORDS: Record<string, string> = {
  'auth failed': 'Alpaca refused the keys (402 auth failed): check the Alpaca key id and secret',
  'not authenticated': 'Alpaca refused the stream (401 not authenticated)',
  'auth timeout': 'Alpaca closed the stream: no login in time (404 auth timeout)',
  'connection limit exceeded': 'Alpaca allows one stream connection per account and these keys already have one (406 connection limit exceeded)',
  'insufficient subscription': 'the Alpaca data plan does not include this feed (409 insufficient subscription): use iex',
  'symbol limit exceeded': 'too many symbols for the Alpaca data plan (405 symbol limit exceeded)',
  'slow client': 'Alpaca dropped the stream: bars were not read fast enough (407 slow client)',
};
/** Refusals that trying again cannot cure: the stream stops and says why. */
const AUTH_FAILURES = new Set(['auth failed', 'not authenticated', 'auth timeout']);
const TERMINAL = new Set([...AUTH_FAILURES, 'insufficient subscription']);

interface Subscriber {
  symbols: ReadonlySet<string>;
  handlers: BarHandlers;
  closed: boolean;
}

/**
 * One Alpaca market data connection shared by every live session that subscribes with the same
 * keys: opened at the first subscription, closed after the last one, subscribed to the union of
 * their symbols. Each subscriber gets the bars of its own symbols only, each bar once, in time
 * order per symbol (a bar resent after a reconnect is dropped), and every status change.
 */
export class AlpacaBarStream {
  readonly name = 'alpaca';
  private stream: streaming.StockDataStream | undefined;
  private readonly subscribers = new Set<Subscriber>();
  private readonly lastStart = new Map<string, string>();
  private status: FeedStatus = { state: 'closed', message: 'not connected to Alpaca' };
  private lastError: string | undefined;
  private refused = false;
  private attempt = 0;

  constructor(private readonly opts: AlpacaBarStreamOptions) {}

  /** The connection's status now. */
  currentStatus(): FeedStatus {
    return this.status;
  }

  /** Pushes complete one-minute bars of `symbols` to `handlers` until the subscription is closed. */
  subscribe(symbols: readonly string[], handlers: BarHandlers): BarSubscription {
    const subscriber: Subscriber = { symbols: new Set(symbols.map((s) => s.toUpperCase())), handlers, closed: false };
    const added = [...subscriber.symbols].filter((s) => !this.wanted().has(s));
    this.subscribers.add(subscriber);
    if (!this.stream) {
      this.open();
    } else {
      // Joining an open connection: hear its state now, and `live` once Alpaca confirms the added symbols.
      const joining = this.status.state === 'live' && added.length > 0;
      this.tell(subscriber, joining ? { state: 'connecting', message: `subscribing to bars of ${added.join(', ')} on Alpaca (${this.opts.feed})` } : this.status);
      if (added.length > 0) this.stream.subscribeForBars(added);
    }
    return {
      close: async () => {
        if (subscriber.closed) return;
        subscriber.closed = true;
        this.subscribers.delete(subscriber);
        this.tell(subscriber, { state: 'closed', message: 'unsubscribed from Alpaca' }, true);
        if (this.subscribers.size === 0) return this.shut();
        const left = [...subscriber.symbols].filter((s) => !this.wanted().has(s));
        if (left.length > 0 && this.stream) this.stream.unsubscribeFromBars(left);
      },
    };
  }

  private wanted(): Set<string> {
    const all = new Set<string>();
    for (const s of this.subscribers) for (const symbol of s.symbols) all.add(symbol);
    return all;
  }

  private open(): void {
    this.lastError = undefined;
    this.refused = false;
    this.attempt = 0;
    const stream = new streaming.StockDataStream({
      credentials: { keyId: this.opts.keyId, secret: this.opts.secretKey },
      url: this.opts.url,
      maxReconnectAttempts: streaming.UNLIMITED_RECONNECT_ATTEMPTS,
      initialReconnectMs: this.opts.initialReconnectMs ?? 1000,
      maxReconnectMs: this.opts.maxReconnectMs ?? 30_000,
      pingIntervalMs: this.opts.pingIntervalMs ?? 10_000,
    });
    this.stream = stream;
    const current = () => this.stream === stream;
    const where = `Alpaca (${this.opts.feed})`;

    stream.onStateChange((state) => {
      if (!current()) return;
      switch (state) {
        case streaming.STATE.CONNECTING:
          if (this.status.state !== 'reconnecting') this.broadcast({ state: 'connecting', message: `connecting to ${where}` });
          break;
        case streaming.STATE.AUTHENTICATED:
          this.lastError = undefined;
          // Bars are subscribed right after login; with none to subscribe there is no confirmation to wait for.
          if (this.wanted().size === 0) this.broadcast({ state: 'live', message: `connected to ${where}` });
          break;
        case streaming.STATE.WAITING_TO_RECONNECT:
          this.broadcast({ state: 'reconnecting', message: `reconnecting to ${where}: ${this.lastError ?? 'the connection dropped'}` });
          break;
        case streaming.STATE.DISCONNECTED:
          // A drop is followed at once by WAITING_TO_RECONNECT; still disconnected after that, the client gave up (refused keys or feed).
          queueMicrotask(() => {
            if (!current() || stream.getState() !== streaming.STATE.DISCONNECTED) return;
            this.stream = undefined;
            const why = this.refused ? (this.lastError ?? 'Alpaca refused the stream') : `disconnected from ${where}: ${this.lastError ?? 'closed'}`;
            this.broadcast({ state: 'closed', message: why });
          });
          break;
      }
    });
    stream.onReconnecting((attempt) => {
      if (!current()) return;
      this.attempt = attempt;
      this.broadcast({ state: 'reconnecting', message: `reconnecting to ${where} (attempt ${attempt}): ${this.lastError ?? 'the connection dropped'}` });
    });
    stream.on(streaming.EVENT.SUBSCRIPTION, (subs: { bars?: string[] }) => {
      if (!current()) return;
      const bars = subs.bars ?? [];
      const again = this.attempt > 0 ? ' again' : '';
      this.attempt = 0;
      this.broadcast({ state: 'live', message: `connected to ${where}${again}: bars of ${bars.length ? bars.join(', ') : 'no symbol'}` });
    });
    stream.onError((message) => {
      if (!current()) return;
      this.lastError = ERROR_WORDS[message] ?? message;
      if (!TERMINAL.has(message)) return;
      this.refused = true;
      // The client stops by itself on refused keys; a feed the plan lacks would be retried forever.
      if (!AUTH_FAILURES.has(message)) stream.disconnect();
    });
    stream.onBar((raw) => {
      if (!current()) return;
      const bar = liveBarOf(raw);
      if (!bar) return;
      const last = this.lastStart.get(bar.symbol);
      if (last !== undefined && bar.start <= last) return;
      this.lastStart.set(bar.symbol, bar.start);
      for (const s of this.subscribers) {
        if (s.closed || !s.symbols.has(bar.symbol)) continue;
        try {
          s.handlers.onBar(bar);
        } catch {
          // One session's handler failing must not keep the bar from the others.
        }
      }
    });
    const symbols = [...this.wanted()];
    if (symbols.length > 0) stream.subscribeForBars(symbols);
    stream.connect();
  }

  private async shut(): Promise<void> {
    const stream = this.stream;
    this.stream = undefined;
    this.status = { state: 'closed', message: 'not connected to Alpaca' };
    stream?.disconnect();
  }

  private broadcast(status: FeedStatus): void {
    if (status.state === this.status.state && status.message === this.status.message) return;
    this.status = status;
    for (const s of this.subscribers) this.tell(s, status);
  }

  private tell(s: Subscriber, status: FeedStatus, evenClosed = false): void {
    if (s.closed && !evenClosed) return;
    try {
      s.handlers.onStatus?.(status);
    } catch {
      // onStatus never throws by contract; a subscriber breaking it must not break the stream.
    }
  }
}

/** A streamed bar as a LiveBar, or null when it is not a whole, sane bar. */
export function liveBarOf(raw: streaming.StreamBar): LiveBar | null {
  const { symbol, open, high, low, close, volume, timestamp } = raw;
  const prices = [open, high, low, close];
  if (typeof symbol !== 'string' || !symbol || !(timestamp instanceof Date) || Number.isNaN(timestamp.getTime())) return null;
  if (!prices.every((p) => Number.isFinite(p) && p > 0) || !Number.isFinite(volume) || volume < 0) return null;
  if (high < Math.max(open, close, low) || low > Math.min(open, close)) return null;
  return { symbol, timeframe: '1m', start: timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'), open, high, low, close, volume };
}

/**
 * A LiveBarSource that polls through `source` and pushes through Alpaca's stream: what a live
 * session is given when the model has Alpaca keys.
 */
export function withAlpacaStream(source: LiveBarSource, stream: AlpacaBarStream): LiveBarSource {
  return {
    name: source.name,
    poll: (request, signal) => source.poll(request, signal),
    subscribe: (symbols, handlers) => stream.subscribe(symbols, handlers),
  };
}

// The seams of live trading: where a live session's bars, fills and time come from. A live
// session depends on these interfaces only; the built-in implementations live beside this file,
// others (Alpaca's websocket bar stream, Alpaca's paper account) plug in through them.
import type { Book } from '../domain/book.js';
import type { Fill, Order } from '../domain/order.js';

/** A bar resolution: 1, 5 or 15 minutes, 1 hour, or 1 trading day. */
export type Timeframe = '1m' | '5m' | '15m' | '1h' | '1d';

/** One complete OHLCV bar of one symbol, stamped with the UTC instant it began. */
export interface LiveBar {
  /** The ticker, upper case as the provider spells it (`AAPL`). */
  symbol: string;
  /** The bar's resolution. A push stream sends the provider's native one (Alpaca: `1m`). */
  timeframe: Timeframe;
  /**
   * When the bar began, ISO 8601 UTC with seconds and a `Z` (`2026-11-27T14:30:00Z`). Daily bars
   * begin at 00:00 UTC of their trading day (`2026-11-27T00:00:00Z`).
   */
  start: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Which bars a poll asks for. */
export interface BarRequest {
  /** The symbols wanted; bars of other symbols are never returned. */
  symbols: readonly string[];
  timeframe: Timeframe;
  /** Only bars that began at or after this instant (ISO 8601 UTC). */
  since: string;
  /**
   * Only bars that began before this instant (ISO 8601 UTC, exclusive). A source returns complete
   * bars only: a bar still forming at the time of the call is left out whatever `until` says.
   */
  until: string;
}

/** How a push subscription is doing, for the model's status line. */
export interface FeedStatus {
  /** `connecting` until subscribed, `live` while bars flow, `reconnecting` after a drop, `closed` once closed. */
  state: 'connecting' | 'live' | 'reconnecting' | 'closed';
  /** One line for a person: `connected to Alpaca (iex)`, `reconnecting in 4 s: socket closed (1006)`. */
  message: string;
}

/** What a push subscription calls. */
export interface BarHandlers {
  /** Each complete bar of a subscribed symbol, as it arrives (bars of one symbol in time order). */
  onBar(bar: LiveBar): void;
  /** Each change of the connection's state; never throws, may be called often. */
  onStatus?(status: FeedStatus): void;
}

/** An open push subscription. */
export interface BarSubscription {
  /** Unsubscribes and closes the connection; idempotent; resolves once closed (no onBar after). */
  close(): Promise<void>;
}

/**
 * A source of the newest bars for live trading. Every source can be polled (REST); one that can
 * push (a websocket) also offers `subscribe`, which the session prefers and backs with polls to
 * fill gaps (after a reconnect, or a bar the stream missed).
 */
export interface LiveBarSource {
  /** The provider's name as data sets spell it (`alpaca`, `yahoo`), for statuses and logs. */
  readonly name: string;
  /**
   * The complete bars of `request`, oldest first (ties by symbol), each bar at most once.
   * Throws on an outage (network down, 5xx after the source's own retries, bad keys) with a
   * message fit for the model's status; the session retries with backoff.
   */
  poll(request: BarRequest, signal?: AbortSignal): Promise<LiveBar[]>;
  /**
   * Optional push: streams complete bars of `symbols` at the provider's native resolution
   * (bars carry their own `timeframe`; the session resamples to its own). Reconnects by itself
   * after a drop, telling `onStatus`. Absent when the source can only be polled.
   */
  subscribe?(symbols: readonly string[], handlers: BarHandlers): BarSubscription;
}

/** One step's orders as handed to a broker. */
export interface ExecutionRequest {
  /** The agent's market orders for this step, in the agent's order. */
  orders: readonly Order[];
  /** The run's book before these orders (built-in broker: what it fills against). */
  book: Book;
  /** Per symbol: the price orders fill at (the bar's open), before slippage. */
  prices: ReadonlyMap<string, number>;
  /** The symbols the model may trade; any other is rejected. */
  allowed: ReadonlySet<string>;
  /**
   * A key unique to this run and step (`run-12-step-40`): an adapter derives each order's client
   * order id from it plus the order's index, so re-sending a step after a restart never places
   * an order twice.
   */
  stepKey: string;
}

/** What a broker made of one step's orders. */
export interface ExecutionResult {
  /** Each order's fill or rejection, in execution order (sells first), with the cash after it. */
  fills: Fill[];
  /** The book after the fills: for an external account, as read back from it (reconciled). */
  book: Book;
}

/** Cash and positions as an external account holds them. */
export interface BrokerAccount {
  cash: number;
  positions: ReadonlyArray<{ symbol: string; quantity: number; avgCost: number }>;
}

/**
 * Where a live session's orders are filled. The built-in paper broker (the default) fills at
 * `prices` by the model's rules, exactly as a backtest does; an external paper account places
 * real paper orders and reads fills and positions back.
 */
export interface PaperBroker {
  /** `builtin` or the account's provider (`alpaca`), for statuses, logs and the run's config. */
  readonly name: string;
  /**
   * Fills one step's orders. Rejections (unknown symbol, too little cash, an order the account
   * refused) are fills with status `rejected` and a reason, never a throw; a throw means the
   * broker could not be reached and nothing is known to have been placed.
   */
  execute(request: ExecutionRequest, signal?: AbortSignal): Promise<ExecutionResult>;
  /**
   * The account's cash and positions now, for reconciling the run's book after a restart or a
   * failed step; null when the run's own stored book is the truth (the built-in broker).
   */
  account(signal?: AbortSignal): Promise<BrokerAccount | null>;
}

/** The time as live code sees it: the wall clock in production, a driven one in tests. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves once `now()` has reached `until` (ms since the epoch), or when `signal` aborts (resolves, never rejects). */
  sleepUntil(until: number, signal?: AbortSignal): Promise<void>;
}

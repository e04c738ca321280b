import type { EventHistory, StreamTicket } from '@tradewire/contract';
import type { BackoffOptions } from './backoff';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface StreamState {
  status: StreamStatus;
  /** Consecutive failed connection attempts; 0 while live. */
  attempt: number;
  /** Where the next connection resumes from. */
  lastEventId: string | null;
}

/** The part of the WHATWG EventSource the client uses: the browser's, or the `eventsource` package's. */
export interface EventSourceLike {
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  close(): void;
}
export type EventSourceConstructor = new (url: string) => EventSourceLike;

export interface StreamScheduler {
  /** Returns a function that cancels the call. */
  setTimeout(fn: () => void, ms: number): () => void;
  /** Runs `fn` before the next paint (or soon, when the page is hidden and paints are paused). */
  requestFrame(fn: () => void): void;
  now(): number;
  random(): number;
}

export interface StreamEnvironment {
  isOnline(): boolean;
  /** Each returns an unsubscribe function. */
  onOnline(fn: () => void): () => void;
  onVisible(fn: () => void): () => void;
}

export interface StreamClientOptions {
  EventSource: EventSourceConstructor;
  fetchTicket: () => Promise<StreamTicket>;
  /** The stream endpoint; relative in the browser (same origin), absolute in tests. */
  url?: string;
  scheduler: StreamScheduler;
  environment?: StreamEnvironment;
  maxEventsPerModel?: number;
  maxRecentEvents?: number;
  backoff?: BackoffOptions;
  /** A ticket this close to its expiry is not used for a new connection. */
  ticketMarginMs?: number;
  /** Least time between deliveries to listeners; 0 = every frame. Bursts cost a render per delivery. */
  minDeliveryIntervalMs?: number;
  /**
   * Recent stored events of some models (`null`: all of the user's), and where they end. When
   * given, a view starts from this history and the stream resumes where it ends: a reload or a
   * new tab shows what happened, not only what arrives next.
   */
  fetchHistory?: (models: number[] | null) => Promise<EventHistory>;
  /** Told (once per event type) when a frame is not an event the contract describes: version skew. */
  warn?: (message: string) => void;
}

/** A model id, or every model of the user (including ones created later). */
export type WatchTarget = number | 'all';

import type { EventDataOf, EventType, TradingEvent } from '@tradewire/contract';
import type { Frame } from './frame.js';

/** An event's type and data, typed together: what a session says, before it is addressed. */
export type EventBody = { [T in EventType]: { type: T; data: EventDataOf<T> } }[EventType];

/** An event before it has an id: what the engine emits. */
export type EventDraft = EventBody & {
  model_id: number;
  /** Owner of the model: lets a user-wide stream include models created after it connected. */
  user_id: number;
  run_id: number | null;
};

/** A published event: the wire object, plus its SSE frame serialised once for every client. */
export interface BusEvent {
  event: TradingEvent;
  user_id: number;
  frame: Frame;
}

export interface SubscriptionFilter {
  /** Explicit models; when absent, every model of `userId`. */
  modelIds?: number[];
  userId: number;
  /**
   * The models it carries now with their owners, as the caller already read them (the named
   * models, or the user's); when absent the bus reads them itself.
   */
  models?: readonly ModelOwner[];
}

/** A model and the user who owns it. */
export interface ModelOwner {
  id: number;
  user_id: number;
}

export interface Subscriber {
  /** Called in id order, synchronously from publish; must not throw. */
  onEvent(e: BusEvent): void;
  /** The stream must end (its model was deleted, the server is shutting down). */
  onClose(reason: string): void;
}

export interface Subscription {
  /** Events to send first: buffered events after `afterId`, in id order. */
  replay: BusEvent[];
  /** True when `afterId` is older than what is kept: the client must refetch. */
  reset: boolean;
  /** The newest id the server has issued, as a resume point for a fresh client. */
  headId: number;
  /**
   * A timestamp (µs) of the bus clock reserved at subscribe time: after every event issued before
   * it, before every event issued after it. The connection's control events are stamped from it.
   */
  stampMicros: number;
  unsubscribe(): void;
}

export interface EventBus {
  /**
   * Gives the drafts ids, lets `persist` store them, then delivers them: ids are issued and
   * delivered in one order, and nothing is delivered that was not stored.
   */
  commit(drafts: EventDraft[], persist: (events: TradingEvent[]) => Promise<void>): Promise<TradingEvent[]>;
  subscribe(filter: SubscriptionFilter, afterId: number | undefined, sub: Subscriber): Promise<Subscription>;
  /** Ends every stream that names this model explicitly. */
  closeModel(modelId: number, reason: string): void;
  stats(): { subscribers: number; events_per_s: number };
  /** Whether what the bus depends on (Redis) is reachable now; undefined for the in-process bus. */
  reachable(): boolean | undefined;
  close(): Promise<void>;
}

import { toStored } from '../events/codec.js';
import type { EventBus, EventDraft } from '../events/event-bus.js';
import { DEPENDENCY_RETRY_MS } from '../events/persist.js';
import type { EquityPointRecord, LogRecord, StepWrite } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import { retryTransient } from '../storage/transient.js';

/** How a run ends, as it is stored. */
export type RunEnd = Parameters<Storage['runs']['finish']>[1];

/** A step as the session hands it over: its events are stored with it once the bus has numbered them. */
export type StepHandOver = Omit<StepWrite, 'events'>;

/**
 * Where a session's record goes: everything it writes is stored, then told (nothing is
 * delivered that was not stored). In the process that owns storage and the bus it is
 * `localStore`; a session playing on an engine thread gets the same calls carried over to it.
 */
export interface SessionStore {
  /** Stores and delivers events that are not part of a step. */
  emit(drafts: EventDraft[]): Promise<void>;
  /** Stores a step (cash, positions, trades, equity point) and its events in one transaction, then delivers them. */
  step(drafts: EventDraft[], write: StepHandOver): Promise<void>;
  log(entry: Omit<LogRecord, 'id'>): Promise<void>;
  equityCurve(runId: number): Promise<EquityPointRecord[]>;
  finish(runId: number, end: RunEnd): Promise<void>;
}

/** A storage call that waits out a dropped connection instead of failing the run. */
const durable = <T>(fn: () => Promise<T>) => retryTransient(fn, { maxMs: DEPENDENCY_RETRY_MS });

/** The store of the process that owns storage and the event bus. */
export function localStore(deps: { storage: Storage; bus: EventBus }): SessionStore {
  const { storage, bus } = deps;
  return {
    async emit(drafts) {
      await bus.commit(drafts, async (events) => {
        for (const e of events) await storage.events.add(toStored(e));
      });
    },
    async step(drafts, write) {
      await bus.commit(drafts, (events) => storage.runs.recordStep({ ...write, events: events.map(toStored) }));
    },
    log: (entry) => durable(() => storage.logs.add(entry)),
    equityCurve: (runId) => durable(() => storage.runs.equityCurve(runId)),
    finish: (runId, end) => durable(() => storage.runs.finish(runId, end)),
  };
}

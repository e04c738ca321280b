import { TradingEvent } from '@tradewire/contract';
import type { StoredEvent } from '../storage/records.js';
import type { EventBody, EventDraft } from './event-bus.js';

/**
 * The one place an event's shape is made and converted: drafts become wire events (id and
 * timestamp issued here), wire events become stored rows, and stored rows are parsed back with
 * the contract's schema at the storage edge.
 */

/** ISO 8601 timestamp in UTC with microseconds, from microseconds since the epoch. */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
}

/** Microseconds since the epoch of an event timestamp (3 or 6 fractional digits). */
export function microsOf(timestamp: string): number {
  const m = /\.(\d{3})(\d{3})?Z$/.exec(timestamp);
  return Date.parse(timestamp) * 1000 + Number(m?.[2] ?? 0);
}

/**
 * Hands out event timestamps that are distinct and strictly increasing (microsecond steps
 * past the wall clock when events come faster), so clients that key lists by timestamp work.
 */
export class EventClock {
  private last = 0;

  /** Reserves `count` consecutive microseconds; returns the first. */
  reserve(count = 1): number {
    const first = Math.max(Date.now() * 1000, this.last + 1);
    this.last = first + count - 1;
    return first;
  }

  /** Never hands out a stamp at or before `us` (one seen elsewhere, e.g. in storage). */
  advancePast(us: number) {
    this.last = Math.max(this.last, us);
  }
}

/** Gives drafts their ids (from `firstId` on) and timestamps (from `firstMicros` on, one µs apart). */
export function issueEvents(drafts: readonly EventDraft[], firstId: number, firstMicros: number): TradingEvent[] {
  return drafts.map((d, i) => {
    const { user_id: _owner, ...event } = d;
    return { ...event, id: String(firstId + i), timestamp: isoMicros(firstMicros + i) };
  });
}

/** A control event of one connection (`connected`, `reset`): not stored, never part of a run. */
export function controlEvent(body: Extract<EventBody, { type: 'connected' | 'reset' }>, id: string, timestamp: string, modelId: number | null): TradingEvent {
  return { ...body, id, timestamp, model_id: modelId, run_id: null };
}

export function toStored(e: TradingEvent): StoredEvent {
  if (e.model_id === null) throw new Error(`event ${e.id} (${e.type}) belongs to no model and cannot be stored`);
  return { id: Number(e.id), model_id: e.model_id, run_id: e.run_id, type: e.type, timestamp: e.timestamp, data: e.data };
}

/** A stored row as a wire event, checked against the contract; a row that no longer parses is reported and skipped. */
export function fromStored(row: StoredEvent, onInvalid: (row: StoredEvent, problem: string) => void = reportInvalid): TradingEvent | null {
  const parsed = TradingEvent.safeParse({ id: String(row.id), type: row.type, timestamp: row.timestamp, model_id: row.model_id, run_id: row.run_id, data: row.data });
  if (parsed.success) return parsed.data;
  onInvalid(row, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return null;
}

export function fromStoredRows(rows: readonly StoredEvent[]): TradingEvent[] {
  const events: TradingEvent[] = [];
  for (const row of rows) {
    const e = fromStored(row);
    if (e) events.push(e);
  }
  return events;
}

function reportInvalid(row: StoredEvent, problem: string) {
  // Skipped rather than fatal: one malformed old row must not take a model's stream down.
  console.error(JSON.stringify({ level: 40, msg: 'stored event does not match the contract; skipped', id: row.id, type: row.type, problem }));
}

/** An event as another node wrote it (Redis stream entry), checked against the contract. */
export function fromWireJson(json: string): TradingEvent | null {
  const parsed = TradingEvent.safeParse(JSON.parse(json));
  if (parsed.success) return parsed.data;
  reportInvalid({ id: 0, model_id: 0, run_id: null, type: 'unknown', timestamp: '', data: {} }, parsed.error.message);
  return null;
}

import type { TradingEvent } from '@tradewire/contract';

/**
 * Orders event ids: decimal strings from one server-wide sequence. They may outgrow a double,
 * so they are compared as big integers, never as timestamps.
 */
export function compareEventIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const byEventId = (a: TradingEvent, b: TradingEvent) => compareEventIds(a.id, b.id);

/** The newest `limit` events of two lists ascending by id with no id in both, ascending. */
export function newestOf(a: readonly TradingEvent[], b: readonly TradingEvent[], limit: number): TradingEvent[] {
  const out: TradingEvent[] = new Array(Math.min(limit, a.length + b.length));
  let i = a.length - 1;
  let j = b.length - 1;
  for (let k = out.length - 1; k >= 0; k--) out[k] = j < 0 || (i >= 0 && compareEventIds(a[i]!.id, b[j]!.id) > 0) ? a[i--]! : b[j--]!;
  return out;
}

/**
 * Inserts `event` into `buffer` (ascending by id, at most `cap` long) in place.
 * Returns false, changing nothing, for a duplicate id or an event older than a full buffer keeps.
 */
export function insertEvent(buffer: TradingEvent[], event: TradingEvent, cap: number): boolean {
  // Events nearly always arrive newest-last: check the tail before searching.
  const last = buffer[buffer.length - 1];
  let at = buffer.length;
  if (last && compareEventIds(event.id, last.id) <= 0) {
    let lo = 0;
    let hi = buffer.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareEventIds(buffer[mid]!.id, event.id) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo < buffer.length && compareEventIds(buffer[lo]!.id, event.id) === 0) return false;
    at = lo;
  }
  if (buffer.length >= cap && at === 0) return false;
  buffer.splice(at, 0, event);
  if (buffer.length > cap) buffer.splice(0, buffer.length - cap);
  return true;
}

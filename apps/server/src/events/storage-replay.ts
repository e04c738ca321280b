import type { Storage } from '../storage/storage.js';
import { fromStored } from './codec.js';
import type { BusEvent } from './event-bus.js';
import { sseFrame } from './frame.js';

/**
 * The stored events of `owners`' models after `afterId` up to `upTo`, in id order, for a client
 * whose resume point the bus no longer holds (an old one, or a Redis that lost its data): the
 * database has every event, so the client resumes exactly instead of refetching. Null when more
 * than `max` were missed: then a refetch (`reset`) is cheaper for everyone.
 */
export async function replayFromStorage(
  storage: Storage,
  owners: ReadonlyMap<number, number>,
  afterId: number,
  upTo: number,
  max: number,
): Promise<BusEvent[] | null> {
  if (owners.size === 0) return [];
  const rows = await storage.events.after([...owners.keys()], afterId, max + 1);
  const missed = rows.filter((r) => r.id <= upTo);
  if (missed.length > max) return null;
  return missed.flatMap((row) => {
    const event = fromStored(row);
    return event ? [{ event, user_id: owners.get(row.model_id)!, frame: sseFrame(event) }] : [];
  });
}

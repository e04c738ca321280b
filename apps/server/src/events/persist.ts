import type { TradingEvent } from '@tradewire/contract';
import type { Storage } from '../storage/storage.js';
import { type RetryOptions, retryTransient } from '../storage/transient.js';

/** How long a commit waits for storage or Redis to come back before the session gives up. */
export const DEPENDENCY_RETRY_MS = 5 * 60_000;

/** A failure the bus must not retry from the start: some of the commit may already be applied. */
export class CommitFailed extends Error {
  override name = 'CommitFailed';
}

/**
 * Stores a commit's events with `persist`, trying again while storage is briefly unreachable. A
 * retry first checks whether the attempt before it was applied (its acknowledgement lost with
 * the connection), so nothing is written twice.
 */
export async function persistOnce(
  storage: Storage,
  events: readonly TradingEvent[],
  persist: (events: TradingEvent[]) => Promise<void>,
  retry: Partial<RetryOptions> = {},
): Promise<void> {
  try {
    await retryTransient(
      async (attempt) => {
        if (attempt > 1 && events.length > 0 && (await isStored(storage, events[0]!))) return;
        await persist([...events]);
      },
      { maxMs: DEPENDENCY_RETRY_MS, ...retry },
    );
  } catch (e) {
    throw new CommitFailed(`storing events failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

async function isStored(storage: Storage, e: TradingEvent): Promise<boolean> {
  if (e.model_id === null) return false;
  const [row] = await storage.events.after([e.model_id], Number(e.id) - 1, 1);
  return row?.id === Number(e.id);
}

import type { QueryKey } from '@tanstack/react-query';

export interface RefreshTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface RefreshScheduler {
  /** Asks for `key` (a prefix: everything under it) to be refetched soon. */
  request(key: QueryKey): void;
  /** Asks for every query to be refetched soon. */
  requestAll(): void;
  dispose(): void;
}

const isPrefix = (prefix: QueryKey, key: QueryKey) =>
  prefix.length <= key.length && prefix.every((part, i) => JSON.stringify(part) === JSON.stringify(key[i]));

/**
 * Gathers refetch requests and runs each once `waitMs` after the last request, or `maxWaitMs`
 * after the first when requests never stop: a burst of 100 trades costs a handful of requests.
 */
export function createRefreshScheduler(
  invalidate: (key: QueryKey | null) => void,
  { waitMs = 1_000, maxWaitMs = 3_000, timers }: { waitMs?: number; maxWaitMs?: number; timers: RefreshTimers },
): RefreshScheduler {
  let pending: QueryKey[] = [];
  let everything = false;
  let firstAt: number | null = null;
  let handle: unknown = null;

  const flush = () => {
    handle = null;
    firstAt = null;
    const keys = pending;
    const all = everything;
    pending = [];
    everything = false;
    if (all) return invalidate(null);
    for (const key of keys) invalidate(key);
  };

  const arm = () => {
    const now = timers.now();
    firstAt ??= now;
    if (handle !== null) timers.clearTimeout(handle);
    handle = timers.setTimeout(flush, Math.max(0, Math.min(waitMs, firstAt + maxWaitMs - now)));
  };

  return {
    request(key) {
      // A pending prefix covers the key already; a new prefix replaces the keys it covers.
      if (!pending.some((p) => isPrefix(p, key))) pending = [...pending.filter((p) => !isPrefix(key, p)), key];
      arm();
    },
    requestAll() {
      everything = true;
      arm();
    },
    dispose() {
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
      pending = [];
    },
  };
}

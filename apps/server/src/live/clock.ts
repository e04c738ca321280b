import type { Clock } from './ports.js';

/** Resolves after `ms` (at once when <= 0) or when `signal` aborts, never rejecting. */
function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    // Long waits (a weekend) are cut into hours: a suspended laptop wakes to a timer that fires.
    const timer = setTimeout(done, Math.min(ms, 3_600_000));
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  async sleepUntil(until, signal) {
    while (!signal?.aborted && Date.now() < until) await wait(until - Date.now(), signal);
  },
};

/**
 * TEST ONLY (TEST_CLOCK): a clock that read `origin` at the wall-clock instant `anchor` and runs
 * `scale` times faster than the wall clock since. Processes given the same three numbers share
 * one timeline, so a restarted server carries on where the first one was.
 */
export function acceleratedClock(origin: number, anchor: number, scale: number): Clock {
  const now = () => origin + (Date.now() - anchor) * scale;
  return {
    now,
    async sleepUntil(until, signal) {
      while (!signal?.aborted && now() < until) await wait(Math.ceil((until - now()) / scale), signal);
    },
  };
}

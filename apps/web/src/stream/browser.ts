import type { StreamEnvironment, StreamScheduler } from './client';
import { TabLeader, type TabChannel, type TabLocks } from './tab-leader';

/** Timers, frames and randomness of a real page. */
export function browserScheduler(): StreamScheduler {
  return {
    setTimeout(fn, ms) {
      const id = window.setTimeout(fn, ms);
      return () => window.clearTimeout(id);
    },
    requestFrame(fn) {
      // Hidden pages get no frames; the timer covers that, whichever comes first runs.
      let done = false;
      const run = () => {
        if (done) return;
        done = true;
        window.cancelAnimationFrame(frame);
        window.clearTimeout(timer);
        fn();
      };
      const hidden = document.visibilityState === 'hidden';
      const frame = hidden ? 0 : window.requestAnimationFrame(run);
      const timer = window.setTimeout(run, hidden ? 0 : 100);
    },
    now: () => Date.now(),
    random: () => Math.random(),
  };
}

export const browserEnvironment: StreamEnvironment = {
  isOnline: () => navigator.onLine,
  onOnline(fn) {
    window.addEventListener('online', fn);
    return () => window.removeEventListener('online', fn);
  },
  onVisible(fn) {
    const listener = () => {
      if (document.visibilityState === 'visible') fn();
    };
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  },
};

/**
 * The tabs of this browser signed in as `userId` share one connection: a BroadcastChannel named
 * per user, led by the holder of a Web Lock. Undefined where either API is missing.
 */
export function browserTabLeader(userId: number): TabLeader | undefined {
  if (typeof BroadcastChannel === 'undefined' || !navigator.locks) return undefined;
  return new TabLeader({
    EventSource: window.EventSource,
    channel: new BroadcastChannel(`tradewire-stream-${userId}`) as TabChannel,
    locks: navigator.locks as unknown as TabLocks,
    lockName: `tradewire-stream-leader-${userId}`,
  });
}

import type { Clock } from './ports.js';

interface Sleeper {
  until: number;
  resolve: () => void;
}

/**
 * A clock for tests that runs as fast as the code under it: a sleep up to the horizon jumps
 * time forward at once; one beyond it parks until the test moves the horizon (`runTo`). Time
 * never goes back. `idle()` resolves once every sleeper is parked beyond the horizon.
 */
export class VirtualClock implements Clock {
  private time: number;
  private horizon: number;
  private readonly parked: Sleeper[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(start: number) {
    this.time = start;
    this.horizon = start;
  }

  now() {
    return this.time;
  }

  sleepUntil(until: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = { until, resolve };
      const wake = () => {
        const i = this.parked.indexOf(sleeper);
        if (i >= 0) this.parked.splice(i, 1);
        resolve();
      };
      signal?.addEventListener('abort', wake, { once: true });
      sleeper.resolve = () => {
        signal?.removeEventListener('abort', wake);
        resolve();
      };
      this.parked.push(sleeper);
      this.parked.sort((a, b) => a.until - b.until);
      this.schedule();
    });
  }

  /** Lets time run up to `horizon`; resolves once every sleeper waits beyond it (the code is idle). */
  async runTo(horizon: number): Promise<void> {
    this.horizon = Math.max(this.horizon, horizon);
    const idle = new Promise<void>((r) => this.idleWaiters.push(r));
    this.schedule();
    await idle;
  }

  private scheduled = false;

  /** Wakes the earliest sleeper within the horizon once the code has nothing else to do. */
  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    // A few turns of the event loop let I/O in flight (a poll, a database write) finish first.
    setTimeout(() => {
      this.scheduled = false;
      const next = this.parked[0];
      if (next && next.until <= this.horizon) {
        this.parked.shift();
        this.time = Math.max(this.time, next.until);
        next.resolve();
        this.schedule();
        return;
      }
      if (this.idleWaiters.length > 0 && this.parked.length > 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        waiters.forEach((w) => w());
      }
    }, 5);
  }
}

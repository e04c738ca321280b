import type { Clock } from './ports.js';

/** How long nothing must stir before the code counts as idle. */
const QUIET_MS = 100;

interface Sleeper {
  until: number;
  resolve: () => void;
}

/**
 * A clock for tests that runs as fast as the code under it: a sleep up to the horizon jumps
 * time forward at once; one beyond it parks until the test moves the horizon (`runTo`). Time
 * never goes back, and it does not move while code it woke is still busy (until that code
 * sleeps again, or has been quiet for a second): two sessions woken at the same instant both
 * finish their work at that instant. `runTo` resolves once every sleeper waits beyond the horizon.
 */
export class VirtualClock implements Clock {
  private time: number;
  private horizon: number;
  private readonly parked: Sleeper[] = [];
  private idleWaiters: (() => void)[] = [];
  /** Sleepers woken by the clock that have not slept again yet. */
  private awake = 0;
  private lastActivity = Date.now();
  private scheduled = false;

  constructor(start: number) {
    this.time = start;
    this.horizon = start;
  }

  now() {
    return this.time;
  }

  sleepUntil(until: number, signal?: AbortSignal): Promise<void> {
    this.awake = Math.max(0, this.awake - 1);
    this.lastActivity = Date.now();
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = { until, resolve };
      const abort = () => {
        const i = this.parked.indexOf(sleeper);
        if (i >= 0) this.parked.splice(i, 1);
        resolve();
      };
      signal?.addEventListener('abort', abort, { once: true });
      sleeper.resolve = () => {
        signal?.removeEventListener('abort', abort);
        this.awake++;
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

  /** Wakes every sleeper due at the earliest instant within the horizon once the code is idle. */
  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    // A few turns of the event loop let I/O in flight (a poll, a database write) finish first.
    setTimeout(() => {
      this.scheduled = false;
      if (this.awake > 0 && Date.now() - this.lastActivity < 1000) return this.schedule();
      const next = this.parked[0];
      if (next && next.until <= this.horizon) {
        const at = next.until;
        this.time = Math.max(this.time, at);
        while (this.parked[0] && this.parked[0].until <= at) this.parked.shift()!.resolve();
        this.lastActivity = Date.now();
        this.schedule();
        return;
      }
      // Idle: someone sleeps beyond the horizon and nothing has stirred for a moment (code that
      // was started outside the clock, by a request, has had time to reach its first sleep).
      if (this.idleWaiters.length > 0 && (this.parked.length === 0 || Date.now() - this.lastActivity < QUIET_MS)) return this.schedule();
      if (this.idleWaiters.length > 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        waiters.forEach((w) => w());
      }
    }, 5);
  }
}

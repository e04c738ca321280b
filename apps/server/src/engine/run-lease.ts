import type { Redis } from 'ioredis';

/** The key a worker holds while it plays a run: its lease expires when the worker dies. */
export const runOwnerKey = (prefix: string, runId: number) => `${prefix}:run-owner:${runId}`;

/** Leases a worker holds on the runs it plays, renewed while it lives (a killed worker's expire). */
export class RunLeases {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  /** Whether another worker renews the run's lease within `waitMs` (a live one renews every third of its TTL). */
  async heldElsewhere(runId: number, waitMs: number): Promise<boolean> {
    const key = runOwnerKey(this.prefix, runId);
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (await this.redis.exists(key)) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, Math.max(50, this.ttlMs / 10)));
    }
  }

  /** Takes the lease of a run and keeps renewing it; call the returned function to let it go. */
  hold(runId: number): () => void {
    const key = runOwnerKey(this.prefix, runId);
    // Renewals that fail (Redis away) are retried by the next tick; the reconciler waits a full TTL.
    const renew = () => void this.redis.set(key, String(process.pid), 'PX', this.ttlMs).catch(() => undefined);
    renew();
    const timer = setInterval(renew, Math.max(100, Math.floor(this.ttlMs / 3)));
    timer.unref();
    return () => {
      clearInterval(timer);
      void this.redis.del(key).catch(() => undefined);
    };
  }
}

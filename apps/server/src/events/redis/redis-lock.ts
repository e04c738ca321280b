import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Mutex } from 'async-mutex';
import type { Redis } from 'ioredis';
import type { RunScript } from './redis-scripts.js';

export interface OwnerLockOptions {
  /** Lease length; renewed while held, so it only matters when a holder dies. */
  ttlMs?: number;
  /** How long a commit may wait for the lease before it fails. */
  waitMs?: number;
}

/**
 * Serialises commits per owner across every node: an in-process mutex (so one node queues
 * locally instead of polling Redis) around a Redis lease (SET NX PX with a token, renewed
 * while held, released by compare-and-delete).
 */
export class OwnerLock {
  private readonly local = new Map<number, { mutex: Mutex; users: number }>();
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly run: RunScript,
    private readonly prefix: string,
    opts: OwnerLockOptions = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 5_000;
    this.waitMs = opts.waitMs ?? 15_000;
  }

  /** Runs `fn` holding the leases of every owner (taken in id order, so two commits never deadlock). */
  async withOwners<T>(owners: number[], fn: () => Promise<T>): Promise<T> {
    const [first, ...rest] = [...new Set(owners)].sort((a, b) => a - b);
    if (first === undefined) return fn();
    return this.withOwner(first, () => this.withOwners(rest, fn));
  }

  private async withOwner<T>(owner: number, fn: () => Promise<T>): Promise<T> {
    let entry = this.local.get(owner);
    if (!entry) this.local.set(owner, (entry = { mutex: new Mutex(), users: 0 }));
    entry.users++;
    try {
      return await entry.mutex.runExclusive(async () => {
        const key = `${this.prefix}lock:user:${owner}`;
        const token = randomBytes(12).toString('hex');
        await this.acquire(key, token, owner);
        const renew = setInterval(() => void this.run('twBusRenew', [key, token, this.ttlMs]).catch(() => {}), this.ttlMs / 3);
        renew.unref();
        try {
          return await fn();
        } finally {
          clearInterval(renew);
          await this.run('twBusRelease', [key, token]).catch(() => {});
        }
      });
    } finally {
      if (--entry.users === 0) this.local.delete(owner);
    }
  }

  private async acquire(key: string, token: string, owner: number) {
    const deadline = Date.now() + this.waitMs;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      if ((await this.redis.set(key, token, 'PX', this.ttlMs, 'NX')) === 'OK') return;
      if (Date.now() > deadline) throw new Error(`event bus: timed out waiting for the commit lock of user ${owner}`);
      await sleep(delay / 2 + Math.random() * delay);
    }
  }
}

import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EventBus } from '../events/event-bus.js';
import type { Storage } from '../storage/storage.js';
import { closeRun } from './close-run.js';
import { runOwnerKey } from './run-lease.js';
import { type RunJob, jobId } from './run-queue.js';

export interface ReconcilerDeps {
  storage: Storage;
  bus: EventBus;
  queue: Queue<RunJob>;
  /** A plain connection to the same Redis, for the workers' run leases. */
  redis: Redis;
  /** The queue's key prefix (REDIS_PREFIX). */
  prefix: string;
  /** How long a silent worker keeps its job (WORKER_LOCK_MS): also the grace before a run without a job counts as lost. */
  lockMs: number;
  onError: (err: unknown) => void;
}

/**
 * Closes runs whose owner is gone, on every API node and worker of the scaled setup: a run
 * still `running` whose job never reached the queue (its API node died while starting it), whose
 * job ended, or whose worker stopped renewing the job's lock (killed, even the only worker).
 * Each gets a final `complete` event, once (closeRun decides which node tells it).
 */
export class RunReconciler {
  private readonly timer: NodeJS.Timeout;
  private checking = false;
  /** When each run was first seen without an owner: it is closed only if that lasts a lock time. */
  private readonly orphanSince = new Map<number, number>();

  constructor(private readonly deps: ReconcilerDeps) {
    this.timer = setInterval(() => void this.check(), Math.max(250, Math.floor(deps.lockMs / 2)));
    this.timer.unref();
  }

  /** One pass over the running runs; errors (Redis or the database away) wait for the next pass. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const running = await this.deps.storage.runs.running();
      const ids = new Set(running.map((r) => r.id));
      for (const id of this.orphanSince.keys()) if (!ids.has(id)) this.orphanSince.delete(id);
      for (const run of running) {
        const lost = await this.lostBecause(run.id, Date.parse(run.started_at));
        if (!lost) {
          this.orphanSince.delete(run.id);
          continue;
        }
        // Seen twice, a lock time apart: a worker whose Redis came back has renewed its lease by then.
        const since = this.orphanSince.get(run.id) ?? Date.now();
        this.orphanSince.set(run.id, since);
        if (Date.now() - since < this.deps.lockMs) continue;
        this.orphanSince.delete(run.id);
        await closeRun(this.deps, run, 'interrupted', lost);
      }
    } catch (err) {
      this.deps.onError(err);
    } finally {
      this.checking = false;
    }
  }

  stop() {
    clearInterval(this.timer);
  }

  /** Why a run can no longer finish, or null while someone is (or will be) playing it. */
  private async lostBecause(runId: number, startedAt: number): Promise<string | null> {
    // A worker holds the run's lease while it plays it, whatever Redis forgot about the job.
    if (await this.deps.redis.exists(runOwnerKey(this.deps.prefix, runId))) return null;
    const job = await this.deps.queue.getJob(jobId(runId));
    if (!job) return Date.now() - startedAt > this.deps.lockMs ? 'it was never queued (the node starting it stopped)' : null;
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') return 'its job ended without closing it';
    if (state === 'active') return 'the worker running it stopped';
    if (state === 'waiting' && job.stalledCounter > 0) return 'the worker running it stopped';
    return null;
  }
}

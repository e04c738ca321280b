import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { TradingStatus } from '@tradewire/contract';
import { AppError } from '../domain/errors.js';
import type { RunPlan } from '../domain/run.js';
import type { ModelRecord, RunRecord } from '../storage/records.js';
import { closeRun } from './close-run.js';
import { RunReconciler } from './reconciler.js';
import { type QueueConfig, QUEUE, type RunJob, connection, jobId, stopChannel } from './run-queue.js';
import type { RunnerDeps } from './session-runner.js';
import { type LivePortfolio, TradingBase, storedPortfolio, storedStatus } from './trading.js';

const STOP_WAIT_MS = 5_000;
/** Longest a start waits for the queue: past it the run is closed and the request fails with 503. */
const QUEUE_TIMEOUT_MS = 5_000;

const unreachable = () => new AppError('dependency_unavailable', 'the job queue is unavailable: Redis is unreachable, try again shortly');

/** `promise`, or a rejection after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(unreachable()), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** API side of the scaled setup: runs become BullMQ jobs; status comes from storage. */
export class QueuedTrading extends TradingBase {
  private readonly queue: Queue<RunJob>;
  private readonly publisher: Redis;
  private readonly reconciler: RunReconciler;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly cfg: QueueConfig & { lockMs: number; onError: (err: unknown) => void },
  ) {
    super(deps);
    this.queue = new Queue<RunJob>(QUEUE, { connection: connection(cfg.url), prefix: cfg.prefix });
    this.publisher = new Redis(cfg.url, { maxRetriesPerRequest: null });
    // A dropped connection reconnects by itself; an unhandled 'error' event would end the process.
    this.queue.on('error', cfg.onError);
    this.publisher.on('error', cfg.onError);
    this.reconciler = new RunReconciler({ ...deps, queue: this.queue, redis: this.publisher, prefix: cfg.prefix, lockMs: cfg.lockMs, onError: cfg.onError });
  }

  // Several nodes share the database: the reconciler settles runs whose worker or node is gone.
  async recover() {}

  async runningModels() {
    return new Set((await this.deps.storage.runs.running()).map((r) => r.model_id));
  }

  /** The worker that takes the job plans the run again from its record: bars are loaded where it plays. */
  async start(model: ModelRecord, plan: RunPlan, paceMs: number): Promise<RunRecord> {
    if (this.publisher.status !== 'ready') throw unreachable();
    const run = await this.createRun(model, plan, paceMs);
    try {
      await within(this.queue.add('run', { run_id: run.id, model_id: model.id }, { jobId: jobId(run.id), attempts: 1, removeOnComplete: 1000, removeOnFail: 1000 }), QUEUE_TIMEOUT_MS);
    } catch (e) {
      // Never left `running` without a job; should the job still arrive, its worker finds the run closed.
      await closeRun(this.deps, run, 'failed', 'it could not be queued: Redis is unreachable');
      throw e instanceof AppError ? e : unreachable();
    }
    return run;
  }

  /** Tells every worker; the one running the session stops it within a step. */
  async stop(modelId: number): Promise<TradingStatus> {
    const run = await this.deps.storage.runs.latestByModel(modelId);
    if (run?.status === 'running') {
      if (this.publisher.status !== 'ready') throw unreachable();
      await within(this.publisher.publish(stopChannel(this.cfg.prefix), String(run.id)), QUEUE_TIMEOUT_MS);
      const job = await within(this.queue.getJob(jobId(run.id)), QUEUE_TIMEOUT_MS);
      // Not picked up yet: take it off the queue and close the run here.
      if (job && (await job.isWaiting()) && (await job.remove().then(() => true, () => false))) {
        await closeRun(this.deps, run, 'stopped', 'stopped by the user before it started');
      }
      const deadline = Date.now() + STOP_WAIT_MS;
      while (Date.now() < deadline && (await this.deps.storage.runs.byId(run.id))?.status === 'running') {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return this.status(modelId);
  }

  status(modelId: number) {
    return storedStatus(this.deps.storage, modelId);
  }

  portfolio(modelId: number): Promise<LivePortfolio | null> {
    return storedPortfolio(this.deps.storage, modelId);
  }

  async shutdown() {
    this.reconciler.stop();
    await this.queue.close();
    this.publisher.disconnect();
  }
}


import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { TradingStatus } from '@tradewire/contract';
import type { RunPlan } from '../domain/run.js';
import type { ModelRecord, RunRecord } from '../storage/records.js';
import { type QueueConfig, QUEUE, type RunJob, connection, jobId, stopChannel } from './run-queue.js';
import type { RunnerDeps } from './session-runner.js';
import { type LivePortfolio, TradingBase, storedPortfolio, storedStatus } from './trading.js';

const STOP_WAIT_MS = 5_000;

/** API side of the scaled setup: runs become BullMQ jobs; status comes from storage. */
export class QueuedTrading extends TradingBase {
  private readonly queue: Queue<RunJob>;
  private readonly publisher: Redis;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly cfg: QueueConfig,
  ) {
    super(deps);
    this.queue = new Queue<RunJob>(QUEUE, { connection: connection(cfg.url), prefix: cfg.prefix });
    this.publisher = new Redis(cfg.url, { maxRetriesPerRequest: null });
  }

  // Several nodes share the database: a stalled-job check settles dead workers' runs instead.
  async recover() {}

  async runningModels() {
    return new Set((await this.deps.storage.runs.running()).map((r) => r.model_id));
  }

  /** The worker that takes the job plans the run again from its record: bars are loaded where it plays. */
  async start(model: ModelRecord, plan: RunPlan, paceMs: number): Promise<RunRecord> {
    const run = await this.createRun(model, plan, paceMs);
    await this.queue.add('run', { run_id: run.id, model_id: model.id }, { jobId: jobId(run.id), attempts: 1, removeOnComplete: 1000, removeOnFail: 1000 });
    return run;
  }

  /** Tells every worker; the one running the session stops it within a step. */
  async stop(modelId: number): Promise<TradingStatus> {
    const run = await this.deps.storage.runs.latestByModel(modelId);
    if (run?.status === 'running') {
      await this.publisher.publish(stopChannel(this.cfg.prefix), String(run.id));
      const job = await this.queue.getJob(jobId(run.id));
      // Not picked up yet: take it off the queue and close the run here.
      if (job && (await job.isWaiting()) && (await job.remove().then(() => true, () => false))) {
        await this.deps.storage.runs.finish(run.id, { status: 'stopped', ended_at: new Date().toISOString(), error: null, metrics: null, usage: null });
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
    await this.queue.close();
    this.publisher.disconnect();
  }
}


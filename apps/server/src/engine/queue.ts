import { Queue, type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Run, StartBody, TradingStatus } from '@tradewire/contract';
import type { ModelRecord } from '../storage/records.js';
import { type ManagerDeps, createRun } from './agent-manager.js';
import { planRun } from './run-plan.js';
import { SessionRunner } from './session-runner.js';
import { type LivePortfolio, TradingBase, runView, storedPortfolio, storedStatus } from './trading.js';

export interface QueueConfig {
  url: string;
  prefix: string;
}

interface RunJob {
  run_id: number;
  model_id: number;
}

const QUEUE = 'runs';
const STOP_WAIT_MS = 5_000;
const connection = (url: string) => ({ url, maxRetriesPerRequest: null });
const jobId = (runId: number) => `run-${runId}`;
const stopChannel = (prefix: string) => `${prefix}:stop`;

/** API side of the scaled setup: runs become BullMQ jobs; status comes from storage. */
export class QueuedTrading extends TradingBase {
  private readonly queue: Queue<RunJob>;
  private readonly publisher: Redis;

  constructor(
    private readonly deps: ManagerDeps,
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

  async start(model: ModelRecord, body: StartBody): Promise<Run> {
    const { run } = await createRun(this.deps, model, body);
    await this.queue.add('run', { run_id: run.id, model_id: model.id }, { jobId: jobId(run.id), attempts: 1, removeOnComplete: 1000, removeOnFail: 1000 });
    return runView(run);
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

/** A worker process's side: takes run jobs and plays them with the same session code. */
export class RunWorker {
  private readonly runner: SessionRunner;
  private readonly worker: Worker<RunJob>;
  private readonly subscriber: Redis;

  constructor(
    private readonly deps: ManagerDeps,
    cfg: QueueConfig & { concurrency: number; lockMs: number },
  ) {
    this.runner = new SessionRunner(deps);
    this.subscriber = new Redis(cfg.url, { maxRetriesPerRequest: null });
    void this.subscriber.subscribe(stopChannel(cfg.prefix));
    this.subscriber.on('message', (_channel, message: string) => {
      for (const [modelId, session] of this.runner.sessions) {
        if (session.run.id === Number(message)) void this.runner.stop(modelId, 'stopped');
      }
    });
    this.worker = new Worker<RunJob>(QUEUE, (job) => this.process(job), {
      connection: connection(cfg.url),
      prefix: cfg.prefix,
      concurrency: cfg.concurrency,
      lockDuration: cfg.lockMs,
      stalledInterval: Math.max(250, Math.floor(cfg.lockMs / 2)),
    });
  }

  private async process(job: Job<RunJob>) {
    const { storage, market } = this.deps;
    const run = await storage.runs.byId(job.data.run_id);
    const model = await storage.models.byId(job.data.model_id);
    if (!run || !model || run.status !== 'running') return;
    // A job seen again after a stall lost its worker mid-run: its steps cannot be replayed.
    if (job.stalledCounter > 0) {
      await storage.runs.finish(run.id, {
        status: 'interrupted',
        ended_at: new Date().toISOString(),
        error: 'The worker running this session stopped',
        metrics: null,
        usage: null,
      });
      await this.deps.bus.commit(
        [{ type: 'complete', model_id: model.id, user_id: model.user_id, run_id: run.id, data: { message: `Run #${run.run_number} interrupted: its worker stopped`, status: 'interrupted', metrics: null } }],
        async (events) => {
          for (const e of events) {
            await storage.events.add({ id: Number(e.id), model_id: model.id, run_id: run.id, type: e.type, timestamp: e.timestamp, data: e.data });
          }
        },
      );
      return;
    }
    // The data set the run was started on, which a start request may have chosen over the model's.
    const dataset = typeof run.config.dataset === 'string' ? run.config.dataset : undefined;
    const plan = await planRun(market, model, { start_date: run.start_date, end_date: run.end_date, dataset });
    await this.runner.launch(model, run, plan).done;
  }

  /** Interrupts the sessions of this worker, then leaves the queue. */
  async close() {
    await this.runner.stopAll('interrupted');
    await this.worker.close();
    this.subscriber.disconnect();
  }
}

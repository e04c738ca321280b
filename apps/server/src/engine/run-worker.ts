import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { closeRun } from './close-run.js';
import { RunReconciler } from './reconciler.js';
import { RunLeases } from './run-lease.js';
import { type QueueConfig, QUEUE, type RunJob, connection, stopChannel } from './run-queue.js';
import { planRun } from './run-plan.js';
import { type RunnerDeps, SessionRunner } from './session-runner.js';

/** A worker process's side: takes run jobs and plays them with the same session code. */
export class RunWorker {
  private readonly runner: SessionRunner;
  private readonly worker: Worker<RunJob>;
  private readonly subscriber: Redis;
  private readonly queue: Queue<RunJob>;
  private readonly redis: Redis;
  private readonly leases: RunLeases;
  private readonly lockMs: number;
  private readonly reconciler: RunReconciler;

  constructor(
    private readonly deps: RunnerDeps,
    cfg: QueueConfig & { concurrency: number; lockMs: number; onError: (err: unknown) => void },
  ) {
    this.lockMs = cfg.lockMs;
    this.runner = new SessionRunner(deps);
    this.subscriber = new Redis(cfg.url, { maxRetriesPerRequest: null });
    this.subscriber.on('error', cfg.onError);
    this.queue = new Queue<RunJob>(QUEUE, { connection: connection(cfg.url), prefix: cfg.prefix });
    this.queue.on('error', cfg.onError);
    this.redis = new Redis(cfg.url, { maxRetriesPerRequest: null });
    this.redis.on('error', cfg.onError);
    this.leases = new RunLeases(this.redis, cfg.prefix, cfg.lockMs);
    this.reconciler = new RunReconciler({ ...deps, queue: this.queue, redis: this.redis, prefix: cfg.prefix, lockMs: cfg.lockMs, onError: cfg.onError });
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
    this.worker.on('error', cfg.onError);
  }

  private async process(job: Job<RunJob>) {
    // Seen again after a stall: if the worker that had it still lives (Redis was away, not the worker), leave it be.
    if (job.stalledCounter > 0 && (await this.leases.heldElsewhere(job.data.run_id, this.lockMs))) return;
    const release = this.leases.hold(job.data.run_id);
    try {
      await this.play(job);
    } finally {
      release();
    }
  }

  private async play(job: Job<RunJob>) {
    const { storage, market } = this.deps;
    const run = await storage.runs.byId(job.data.run_id);
    const model = await storage.models.byId(job.data.model_id);
    if (!run || !model || run.status !== 'running') return;
    // A job seen again after a stall lost its worker mid-run: its steps cannot be replayed.
    if (job.stalledCounter > 0) {
      await closeRun(this.deps, run, 'interrupted', 'the worker running this session stopped');
      return;
    }
    // The data set the run was started on, which a start request may have chosen over the model's.
    const dataset = run.config.dataset ?? undefined;
    const plan = await planRun(market, model, { start_date: run.start_date, end_date: run.end_date, dataset });
    await this.runner.launch(model, run, plan).done;
  }

  /** Interrupts the sessions of this worker, then leaves the queue. */
  async close() {
    this.reconciler.stop();
    await this.runner.stopAll('interrupted');
    await this.worker.close();
    await this.queue.close();
    this.subscriber.disconnect();
    this.redis.disconnect();
  }
}

import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { toStored } from '../events/codec.js';
import { type QueueConfig, QUEUE, type RunJob, connection, stopChannel } from './run-queue.js';
import { planRun } from './run-plan.js';
import { type RunnerDeps, SessionRunner } from './session-runner.js';

/** A worker process's side: takes run jobs and plays them with the same session code. */
export class RunWorker {
  private readonly runner: SessionRunner;
  private readonly worker: Worker<RunJob>;
  private readonly subscriber: Redis;

  constructor(
    private readonly deps: RunnerDeps,
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
      const complete = { type: 'complete' as const, data: { message: `Run #${run.run_number} interrupted: its worker stopped`, status: 'interrupted' as const, metrics: null } };
      await this.deps.bus.commit([{ ...complete, model_id: model.id, user_id: model.user_id, run_id: run.id }], async (events) => {
        for (const e of events) await storage.events.add(toStored(e));
      });
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

import { randomUUID } from 'node:crypto';
import type { FetchJob, FetchSymbolResult } from '@tradewire/contract';
import type { Storage } from '../storage/storage.js';
import type { LiveBarSource } from '../live/ports.js';
import { fetchMarket, type FetchPlan } from './fetch.js';
import { fetchIntraday } from './fetch-intraday.js';
import type { MarketDataProvider } from './providers/index.js';

/** Finished jobs kept for their status page; the oldest go first. */
const KEEP_FINISHED = 100;

export interface FetchJobsDeps {
  storage: Storage;
  provider: (name: FetchPlan['provider']) => MarketDataProvider;
  intervalMs: number;
  /** Where intraday bars come from, by provider (Alpaca and Yahoo); absent: intraday plans fail. */
  intraday?: (name: FetchPlan['provider']) => LiveBarSource;
  /** Today, YYYY-MM-DD; tests pin it. */
  today?: () => string;
}

/**
 * Fetch jobs in the background, one at a time (so two jobs never share a provider's rate limit),
 * with their progress. Held in this process: the single-node setup's API node runs every job it
 * accepts and answers for it; another node behind a load balancer would not know the job.
 */
export class FetchJobs {
  private readonly jobs = new Map<string, FetchJob>();
  private readonly ended = new Map<string, Promise<void>>();
  private queue: Promise<void> = Promise.resolve();
  private readonly stopping = new AbortController();

  constructor(private readonly deps: FetchJobsDeps) {}

  /** Queues a plan; the returned job is its first status. Check the plan first (checkFetchPlan). */
  start(plan: FetchPlan): FetchJob {
    const job: FetchJob = {
      job_id: randomUUID(),
      status: 'queued',
      provider: plan.provider,
      dataset: plan.dataset,
      progress: { done: 0, total: new Set(plan.symbols).size },
      results: [],
      errors: [],
      created_at: new Date().toISOString(),
      finished_at: null,
    };
    this.jobs.set(job.job_id, job);
    this.prune();
    this.queue = this.queue.then(() => this.run(job, plan));
    this.ended.set(job.job_id, this.queue);
    return this.view(job);
  }

  /** The job's status once it has finished; undefined for an unknown job. */
  async wait(id: string): Promise<FetchJob | undefined> {
    await this.ended.get(id);
    return this.get(id);
  }

  /** A copy of the job's status, or undefined for an unknown (or long finished) job. */
  get(id: string): FetchJob | undefined {
    const job = this.jobs.get(id);
    return job && this.view(job);
  }

  /** Stops the running job after its current symbol, fails queued ones, and waits. */
  async close(): Promise<void> {
    this.stopping.abort(new Error('the server is shutting down'));
    await this.queue;
  }

  private async run(job: FetchJob, plan: FetchPlan): Promise<void> {
    const finish = (status: FetchJob['status']) => {
      job.status = status;
      job.finished_at = new Date().toISOString();
    };
    if (this.stopping.signal.aborted) {
      job.errors.push('not started: the server is shutting down');
      return finish('failed');
    }
    job.status = 'running';
    const onResult = (r: FetchSymbolResult) => {
      job.results.push(r);
      if (r.error) job.errors.push(`${r.symbol}: ${r.error}`);
      job.progress.done++;
    };
    try {
      if (plan.timeframe) {
        if (!this.deps.intraday) throw new Error('intraday bars can be fetched in the single-node setup only');
        const today = this.deps.today?.() ?? new Date().toISOString().slice(0, 10);
        await fetchIntraday({ storage: this.deps.storage, source: this.deps.intraday(plan.provider), today, signal: this.stopping.signal }, { ...plan, timeframe: plan.timeframe }, onResult);
        return finish('completed');
      }
      const deps = { storage: this.deps.storage, provider: this.deps.provider(plan.provider), intervalMs: this.deps.intervalMs, signal: this.stopping.signal };
      await fetchMarket({ ...deps, today: this.deps.today?.() }, plan, onResult);
      finish('completed');
    } catch (e) {
      job.errors.push(`stopped: ${e instanceof Error ? e.message : String(e)}`);
      finish('failed');
    }
  }

  private prune() {
    const finished = [...this.jobs.values()].filter((j) => j.finished_at !== null);
    for (const j of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      this.jobs.delete(j.job_id);
      this.ended.delete(j.job_id);
    }
  }

  private view(job: FetchJob): FetchJob {
    return structuredClone(job);
  }
}

import type { ModelSnapshot, Portfolio, Run, TradingStatus } from '@tradewire/contract';
import { AppError } from '../domain/errors.js';
import type { RunPlan } from '../domain/run.js';
import type { EventBus } from '../events/event-bus.js';
import type { ModelRecord, RunRecord } from '../storage/records.js';
import { type Storage, UniqueViolation } from '../storage/storage.js';
import { portfolioView } from './portfolio.js';
import type { LivePlan } from '../live/live-session.js';
import { configSnapshot } from './run-plan.js';

export type LivePortfolio = Portfolio & { run_id: number };

/**
 * The trading runtime: starts, stops and reports trading sessions — in this process
 * (LocalTrading, the single-node setup) or on queue workers (QueuedTrading).
 */
export interface Trading {
  /** Settles runs a previous process left `running`. */
  recover(): Promise<void>;
  runningModels(): Promise<Set<number>>;
  /** Creates the run of a checked plan and plays it; fails with `model_running` when one runs. */
  start(model: ModelRecord, plan: RunPlan, paceMs: number): Promise<RunRecord>;
  /**
   * Creates a live run and plays it until stopped; absent where live runs cannot be played
   * (queue workers: a live run lives as long as the process that watches the clock).
   */
  startLive?(model: ModelRecord, plan: LiveStart): Promise<RunRecord>;
  /** Idempotent: stopping an idle model just reports its status. */
  stop(modelId: number): Promise<TradingStatus>;
  status(modelId: number): Promise<TradingStatus>;
  /** What a (re)connecting stream client needs to be right at once. */
  snapshot(modelId: number): Promise<ModelSnapshot>;
  /** The latest portfolio: live while running, else as the last run left it. */
  portfolio(modelId: number): Promise<LivePortfolio | null>;
  /** Stops a running session, then deletes the model with everything it recorded. */
  deleteModel(modelId: number): Promise<void>;
  shutdown(): Promise<void>;
}

/** What both runtimes share: run creation, snapshots (status plus portfolio), delete after stop. */
export abstract class TradingBase implements Trading {
  constructor(protected readonly base: { storage: Storage; bus: EventBus }) {}

  abstract recover(): Promise<void>;
  abstract runningModels(): Promise<Set<number>>;
  abstract start(model: ModelRecord, plan: RunPlan, paceMs: number): Promise<RunRecord>;
  abstract stop(modelId: number): Promise<TradingStatus>;
  abstract status(modelId: number): Promise<TradingStatus>;
  abstract portfolio(modelId: number): Promise<LivePortfolio | null>;
  abstract shutdown(): Promise<void>;

  /** Status and portfolio together: a model not running here has its latest run read once for both. */
  async snapshot(modelId: number): Promise<ModelSnapshot> {
    if (this.runsHere(modelId)) {
      const status = await this.status(modelId);
      return { model_id: modelId, status: status.status, run: status.run, portfolio: await this.portfolio(modelId) };
    }
    const run = await this.base.storage.runs.latestByModel(modelId);
    const status = statusOfRun(modelId, run);
    return { model_id: modelId, status: status.status, run: status.run, portfolio: await portfolioOfRun(this.base.storage, run) };
  }

  /** Whether a session of the model runs in this process (its status and portfolio are in memory). */
  protected runsHere(_modelId: number): boolean {
    return false;
  }

  async deleteModel(modelId: number) {
    await this.stop(modelId);
    await this.base.storage.models.delete(modelId);
    this.base.bus.closeModel(modelId, 'model deleted');
  }

  /** The run record of a start; `model_running` when the model already runs (also across nodes). */
  protected async createRun(model: ModelRecord, plan: RunPlan, paceMs: number): Promise<RunRecord> {
    try {
      return await this.base.storage.runs.create({
        model_id: model.id,
        start_date: plan.calendar[0]!.slice(0, 10),
        end_date: plan.calendar[plan.calendar.length - 1]!.slice(0, 10),
        pace_ms: paceMs,
        config: configSnapshot(model, plan),
        started_at: new Date().toISOString(),
        cash: model.initial_cash,
        total_steps: plan.calendar.length,
      });
    } catch (e) {
      if (e instanceof UniqueViolation) throw new AppError('model_running', `model ${model.id} is already running`);
      throw e;
    }
  }
}

/** A checked live start: what to trade, where bars come from and where orders go. */
export interface LiveStart extends LivePlan {
  source: string;
  broker: string;
  /** Today in New York, YYYY-MM-DD: the run's start date. */
  today: string;
}

/** The run record of a live start; `model_running` when the model already runs. */
export async function createLiveRun(storage: Storage, model: ModelRecord, plan: LiveStart, startedAt: string): Promise<RunRecord> {
  const base = configSnapshot(model, { dataset: plan.dataset, symbols: plan.symbols, calendar: [], bars: new Map() });
  try {
    return await storage.runs.create({
      model_id: model.id,
      start_date: plan.today,
      end_date: plan.today,
      pace_ms: 0,
      config: { ...base, mode: 'live', timeframe: plan.timeframe, flat_at_close: plan.flatAtClose ?? false, live: { source: plan.source, broker: plan.broker } },
      started_at: startedAt,
      cash: model.initial_cash,
      total_steps: 0,
    });
  } catch (e) {
    if (e instanceof UniqueViolation) throw new AppError('model_running', `model ${model.id} is already running`);
    throw e;
  }
}

export const runView = (r: RunRecord): Run => ({
  id: r.id,
  model_id: r.model_id,
  run_number: r.run_number,
  status: r.status,
  start_date: r.start_date,
  end_date: r.end_date,
  pace_ms: r.pace_ms,
  started_at: r.started_at,
  ended_at: r.ended_at,
  error: r.error,
  metrics: r.metrics,
  usage: r.usage,
  mode: r.config.mode,
  timeframe: r.config.timeframe,
});

/** Status as storage knows it: every step writes the run's progress. */
export async function storedStatus(storage: Storage, modelId: number): Promise<TradingStatus> {
  return statusOfRun(modelId, await storage.runs.latestByModel(modelId));
}

/** A model's status given its latest run (undefined: it never ran). */
function statusOfRun(modelId: number, run: RunRecord | undefined): TradingStatus {
  if (!run) return { model_id: modelId, status: 'idle', run: null, progress: null };
  const running = run.status === 'running';
  const progress = running && run.last_date ? { step: run.step, total_steps: run.total_steps, date: run.last_date } : null;
  return { model_id: modelId, status: running ? 'running' : 'idle', run: runView(run), progress };
}

/** The portfolio as the latest run's last step wrote it. */
export async function storedPortfolio(storage: Storage, modelId: number): Promise<LivePortfolio | null> {
  return portfolioOfRun(storage, await storage.runs.latestByModel(modelId));
}

async function portfolioOfRun(storage: Storage, run: RunRecord | undefined): Promise<LivePortfolio | null> {
  if (!run) return null;
  const initial = run.config.initial_cash ?? run.cash;
  const positions = await storage.runs.positions(run.id);
  return {
    ...portfolioView({ date: run.last_date, cash: run.cash, positions, initialCash: initial, tradeCount: run.trade_count }),
    run_id: run.id,
  };
}

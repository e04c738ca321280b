import type { ArenaStartBody, ModelSnapshot, Run, StartBody, Stats, TradingStatus } from '@tradewire/contract';
import { AppError } from '../domain/errors.js';
import type { RunPlan } from '../domain/run.js';
import { planRun } from '../engine/run-plan.js';
import { type Trading, runView } from '../engine/trading.js';
import type { MarketData } from '../market/market-data.js';
import type { ModelRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import type { ModelService } from './models.js';
import type { Caller } from './principal.js';

export const DEFAULT_PACE_MS = 200;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Starting, stopping and watching trading sessions, alone or as an arena. */
export class TradingService {
  constructor(
    private readonly deps: { storage: Storage; market: MarketData; trading: Trading; models: ModelService },
  ) {}

  get runtime(): Trading {
    return this.deps.trading;
  }

  async start(caller: Caller, modelId: number, body: StartBody): Promise<Run> {
    const model = await this.deps.models.visible(caller, modelId);
    const plan = await planRun(this.deps.market, model, body);
    return runView(await this.deps.trading.start(model, plan, body.pace_ms ?? DEFAULT_PACE_MS));
  }

  async stop(caller: Caller, modelId: number): Promise<TradingStatus> {
    const model = await this.deps.models.visible(caller, modelId);
    return this.deps.trading.stop(model.id);
  }

  async status(caller: Caller, modelId: number): Promise<TradingStatus> {
    const model = await this.deps.models.visible(caller, modelId);
    return this.deps.trading.status(model.id);
  }

  async statusAll(caller: Caller): Promise<TradingStatus[]> {
    const models = await this.deps.storage.models.listByUser(caller.userId);
    return Promise.all(models.map((m) => this.deps.trading.status(m.id)));
  }

  /** The snapshots a stream sends on connect: the named models (already checked), or all of the caller's. */
  async snapshots(caller: Caller, modelIds: number[] | undefined): Promise<ModelSnapshot[]> {
    const ids = modelIds ?? (await this.deps.storage.models.listByUser(caller.userId)).map((m) => m.id);
    return Promise.all(ids.map((id) => this.deps.trading.snapshot(id)));
  }

  /** The dashboard's headline numbers over the caller's models. */
  async stats(caller: Caller): Promise<Stats> {
    const models = await this.deps.storage.models.listByUser(caller.userId);
    let equity = 0;
    let invested = 0;
    for (const m of models) {
      const p = await this.deps.trading.portfolio(m.id);
      if (!p) continue;
      equity += p.equity;
      invested += p.equity / (1 + p.return_pct / 100);
    }
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    const running = await this.deps.trading.runningModels();
    return {
      total_equity: round2(equity),
      total_pnl: round2(equity - invested),
      total_pnl_pct: invested > 0 ? round2((equity / invested - 1) * 100) : 0,
      active_runs: models.filter((m) => running.has(m.id)).length,
      trades_today: await this.deps.storage.trades.countFilledSince(
        models.map((m) => m.id),
        midnight.toISOString(),
      ),
    };
  }

  /**
   * Several of the caller's own models over the same dates, started together or not at all: every
   * model is planned (dates, data) before any starts, and each starts on its plan.
   */
  async arena(caller: Caller, body: ArenaStartBody): Promise<Run[]> {
    const { model_ids, ...start } = body;
    const models: ModelRecord[] = [];
    // An arena is the caller's own line-up, even for an admin.
    for (const id of model_ids) models.push(await this.deps.models.owned(caller, id));
    const running = await this.deps.trading.runningModels();
    const busy = model_ids.filter((id) => running.has(id));
    if (busy.length > 0) throw new AppError('model_running', `model_ids: model ${busy.join(', ')} is already running`);
    const plans: RunPlan[] = [];
    for (const model of models) plans.push(await planRun(this.deps.market, model, start));
    const runs: Run[] = [];
    try {
      for (const [i, model] of models.entries()) {
        runs.push(runView(await this.deps.trading.start(model, plans[i]!, start.pace_ms ?? DEFAULT_PACE_MS)));
      }
    } catch (e) {
      // Lost a race with another start: undo the ones begun here.
      await Promise.all(runs.map((run) => this.deps.trading.stop(run.model_id)));
      throw e;
    }
    return runs;
  }
}

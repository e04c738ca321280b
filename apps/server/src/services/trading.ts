import type { Arena, ArenaEntry, ArenaStartBody, MarketClock, ModelSnapshot, Run, StartBody, Stats, TradingStatus } from '@tradewire/contract';
import { AppError, arenaNotFound } from '../domain/errors.js';
import type { RunPlan } from '../domain/run.js';
import { planIntradayRun, planRun } from '../engine/run-plan.js';
import { type Trading, runView } from '../engine/trading.js';
import type { MarketData } from '../market/market-data.js';
import type { ArenaRecord, ModelRecord, RunRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import { easternDate } from '../live/exchange-calendar.js';
import { marketClock } from '../live/market-clock.js';
import type { LiveWiring } from '../live/live-wiring.js';
import type { ModelService } from './models.js';
import type { Caller } from './principal.js';

export const DEFAULT_PACE_MS = 200;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** A running run's return so far, from its last equity point. */
function liveReturn(curve: readonly { equity: number }[], run: RunRecord, initialCash: number): number | null {
  const last = curve.at(-1);
  if (!last || run.metrics) return run.metrics?.total_return_pct ?? null;
  return Math.round((last.equity / initialCash - 1) * 1e6) / 1e4;
}

/** Starting, stopping and watching trading sessions, alone or as an arena. */
export class TradingService {
  constructor(
    private readonly deps: { storage: Storage; market: MarketData; trading: Trading; models: ModelService; live?: LiveWiring },
  ) {}

  get runtime(): Trading {
    return this.deps.trading;
  }

  async start(caller: Caller, modelId: number, body: StartBody): Promise<Run> {
    const model = await this.deps.models.visible(caller, modelId);
    if (body.mode === 'live') return runView(await this.startLive(model, body));
    if (body.broker !== undefined) throw new AppError('validation_error', 'broker: only a live run places orders with a broker: a backtest fills them itself');
    const { timeframe } = body;
    const intraday = timeframe !== undefined && timeframe !== '1d';
    if (body.flat_at_close && !intraday) throw new AppError('validation_error', 'flat_at_close: only an intraday run (timeframe 1m, 5m, 15m or 1h) closes its positions at the close');
    const plan = intraday
      ? { ...(await planIntradayRun(this.deps.storage, model, body, timeframe)), flatAtClose: body.flat_at_close ?? false }
      : await planRun(this.deps.market, model, body);
    return runView(await this.deps.trading.start(model, plan, body.pace_ms ?? DEFAULT_PACE_MS));
  }

  /**
   * A live run of the model's allowed symbols on the clock: bars from its data set's provider
   * (Alpaca with keys, else Yahoo, for the simulated market), orders on the chosen paper broker
   * (the built-in one by default).
   */
  private async startLive(model: ModelRecord, body: StartBody): Promise<RunRecord> {
    const { trading, live } = this.deps;
    if (!trading.startLive || !live) throw new AppError('live_unavailable', 'mode: live runs need the single-node setup (no REDIS_URL): they follow the clock in the API process');
    const stray = (['start_date', 'end_date', 'pace_ms'] as const).find((k) => body[k] !== undefined);
    if (stray) throw new AppError('validation_error', `${stray}: a live run starts now and trades until stopped: leave ${stray} out`);
    if (model.allowed_symbols.length === 0) {
      throw new AppError('validation_error', 'allowed_symbols: a live run trades the model\'s allowed symbols: name at least one');
    }
    const dataset = body.dataset ?? model.dataset;
    const held = (await this.deps.market.datasets()).find((d) => d.name === dataset);
    if (!held) throw new AppError('unknown_dataset', `dataset: no data set named ${dataset}`);
    const source = live.sourceFor(held.provider);
    live.source(source);
    const timeframe = body.timeframe ?? '1d';
    if (body.flat_at_close && timeframe === '1d') throw new AppError('validation_error', 'flat_at_close: only an intraday run (timeframe 1m, 5m, 15m or 1h) closes its positions at the close');
    const broker = body.broker ?? 'builtin';
    live.broker(model, broker);
    return trading.startLive(model, {
      dataset,
      symbols: model.allowed_symbols,
      timeframe,
      flatAtClose: body.flat_at_close ?? false,
      source,
      broker,
      today: easternDate(live.clock.now()),
    });
  }

  /** The exchange now, by the calendar and clock live runs follow. */
  async marketClock(): Promise<MarketClock> {
    const { live } = this.deps;
    if (!live) throw new AppError('live_unavailable', 'the market clock follows live trading, which needs the single-node setup (no REDIS_URL)');
    try {
      return await marketClock(live.calendar, live.clock.now());
    } catch (e) {
      throw new AppError('upstream_failed', `the exchange calendar could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
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

  /** The snapshots a stream sends on connect, of models the route has already checked. */
  snapshots(modelIds: readonly number[]): Promise<ModelSnapshot[]> {
    return Promise.all(modelIds.map((id) => this.deps.trading.snapshot(id)));
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
  async arena(caller: Caller, body: ArenaStartBody): Promise<{ arena: Arena; runs: Run[] }> {
    const { model_ids, name, ...start } = body;
    const models: ModelRecord[] = [];
    // An arena is the caller's own line-up, even for an admin.
    for (const id of model_ids) models.push(await this.deps.models.owned(caller, id));
    const running = await this.deps.trading.runningModels();
    const busy = model_ids.filter((id) => running.has(id));
    if (busy.length > 0) throw new AppError('model_running', `model_ids: model ${busy.join(', ')} is already running`);
    if (start.mode === 'live') return this.liveArena(caller, models, name, start);
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
    return this.recordArena(caller, models, name, runs, { start_date: plans[0]!.calendar[0] ?? runs[0]!.start_date, pace_ms: start.pace_ms ?? DEFAULT_PACE_MS });
  }

  /** An arena of live runs: each model starts trading now, side by side; one that cannot start undoes the others. */
  private async liveArena(caller: Caller, models: ModelRecord[], name: string | undefined, start: Omit<ArenaStartBody, 'model_ids' | 'name'>) {
    const runs: Run[] = [];
    try {
      for (const model of models) runs.push(runView(await this.startLive(model, { mode: 'live', timeframe: start.timeframe, start_date: start.start_date, end_date: start.end_date, pace_ms: start.pace_ms })));
    } catch (e) {
      await Promise.all(runs.map((run) => this.deps.trading.stop(run.model_id)));
      throw e;
    }
    return this.recordArena(caller, models, name, runs, { start_date: runs[0]!.start_date, pace_ms: 0 });
  }

  /** Stores the line-up of runs just started together and answers with its view. */
  private async recordArena(caller: Caller, models: ModelRecord[], name: string | undefined, runs: Run[], at: { start_date: string; pace_ms: number }) {
    const record = await this.deps.storage.arenas.create({
      user_id: caller.userId,
      name: name ?? models.map((m) => m.name).join(' vs '),
      start_date: at.start_date,
      end_date: runs[0]!.end_date,
      pace_ms: at.pace_ms,
      run_ids: runs.map((r) => r.id),
      created_at: new Date().toISOString(),
    });
    return { arena: await this.arenaView(await this.ownModels(caller), record, false), runs };
  }

  /** The caller's arenas, newest first, with each run's outcome. */
  async arenas(caller: Caller, q: { limit: number; cursor?: number }): Promise<{ items: Arena[]; next_cursor: string | null }> {
    const page = await this.deps.storage.arenas.listByUser(caller.userId, q);
    const models = await this.ownModels(caller);
    const items: Arena[] = [];
    for (const a of page.items) items.push(await this.arenaView(models, a, false));
    return { items, next_cursor: page.next_cursor };
  }

  /** One of the caller's arenas with each run's daily equity: its leaderboard and race chart. */
  async arenaById(caller: Caller, id: number): Promise<Arena> {
    const a = await this.deps.storage.arenas.byId(id);
    if (!a || a.user_id !== caller.userId) throw arenaNotFound(id);
    return this.arenaView(await this.ownModels(caller), a, true);
  }

  /** The caller's models by id: an arena's entries are named from them (a deleted model drops out). */
  private async ownModels(caller: Caller): Promise<Map<number, ModelRecord>> {
    return new Map((await this.deps.storage.models.listByUser(caller.userId)).map((m) => [m.id, m]));
  }

  private async arenaView(models: ReadonlyMap<number, ModelRecord>, a: ArenaRecord, withCurves: boolean): Promise<Arena> {
    const entries: ArenaEntry[] = [];
    let mode: 'live' | 'backtest' = 'backtest';
    for (const runId of a.run_ids) {
      const run = await this.deps.storage.runs.byId(runId);
      const model = run && models.get(run.model_id);
      if (!run || !model) continue;
      if (run.config.mode === 'live') mode = 'live';
      const entry: ArenaEntry = {
        model_id: run.model_id,
        model_name: model.name,
        run_id: run.id,
        run_number: run.run_number,
        status: run.status,
        error: run.error,
        return_pct: run.metrics?.total_return_pct ?? null,
        sharpe: run.metrics?.sharpe ?? null,
      };
      if (withCurves) {
        entry.equity_curve = (await this.deps.storage.runs.equityCurve(run.id)).map(({ date, equity, cash }) => ({ date, equity, cash }));
        entry.return_pct ??= liveReturn(entry.equity_curve, run, model.initial_cash);
      }
      entries.push(entry);
    }
    return {
      id: a.id,
      name: a.name,
      start_date: a.start_date,
      end_date: a.end_date,
      pace_ms: a.pace_ms,
      created_at: a.created_at,
      status: entries.some((e) => e.status === 'running') ? 'running' : 'finished',
      mode,
      entries,
    };
  }
}

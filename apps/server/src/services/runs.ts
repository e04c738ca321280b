import type { LatestPortfolio, LogEntry, Performance, Position, Run, RunDetail, Trade, TradingEvent } from '@tradewire/contract';
import { AppError, runNotFound } from '../domain/errors.js';
import { positionsView } from '../engine/portfolio.js';
import { type Trading, runView } from '../engine/trading.js';
import { fromStoredRows } from '../events/codec.js';
import type { Page, RunRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import type { ModelService } from './models.js';
import type { Caller } from './principal.js';

/**
 * Events one export reads from storage at a time. An event is at most about 64 KiB (the LLM's
 * reasoning per step is cut at LLM_MAX_REASONING_BYTES), so a batch stays within a few MB.
 */
const EXPORT_BATCH = 200;

type ListQuery = { run_id?: number; limit: number; cursor?: string };
const cursorOf = (cursor: string | undefined) => (cursor === undefined ? undefined : Number(cursor));

/** A model's runs and what they recorded: the caller sees a run only through a model they may see. */
export class RunService {
  constructor(private readonly deps: { storage: Storage; trading: Trading; models: ModelService }) {}

  /** A run of a model the caller may see; `run_not_found` when the two do not match. */
  async visible(caller: Caller, modelId: number, runId: number): Promise<RunRecord> {
    const model = await this.deps.models.visible(caller, modelId);
    const run = await this.deps.storage.runs.byId(runId);
    if (!run || run.model_id !== model.id) throw runNotFound(runId, model.id);
    return run;
  }

  async list(caller: Caller, modelId: number): Promise<Run[]> {
    const model = await this.deps.models.visible(caller, modelId);
    return (await this.deps.storage.runs.listByModel(model.id)).map(runView);
  }

  async detail(caller: Caller, modelId: number, runId: number): Promise<RunDetail> {
    const run = await this.visible(caller, modelId, runId);
    const curve = await this.deps.storage.runs.equityCurve(run.id);
    return { ...runView(run), config: run.config, equity_curve: curve.map(({ date, equity, cash }) => ({ date, equity, cash })) };
  }

  async delete(caller: Caller, modelId: number, runId: number): Promise<void> {
    const run = await this.visible(caller, modelId, runId);
    if (run.status === 'running') throw new AppError('run_running', `run ${run.id} is running: stop it first`);
    await this.deps.storage.runs.delete(run.id);
  }

  async positions(caller: Caller, modelId: number, runId?: number): Promise<{ run_id: number | null; items: Position[] }> {
    const model = await this.deps.models.visible(caller, modelId);
    const run = await this.runOrLatest(model.id, runId);
    if (!run) return { run_id: null, items: [] };
    const live = await this.deps.trading.portfolio(model.id);
    if (live && live.run_id === run.id) return { run_id: run.id, items: live.positions };
    return { run_id: run.id, items: positionsView(await this.deps.storage.runs.positions(run.id)) };
  }

  async latestPortfolio(caller: Caller, modelId: number): Promise<LatestPortfolio> {
    const model = await this.deps.models.visible(caller, modelId);
    const p = await this.deps.trading.portfolio(model.id);
    return p ?? { run_id: null, date: null, cash: model.initial_cash, equity: model.initial_cash, positions: [], return_pct: 0, trade_count: 0 };
  }

  async trades(caller: Caller, modelId: number, q: ListQuery): Promise<Page<Trade>> {
    const model = await this.deps.models.visible(caller, modelId);
    const result = await this.deps.storage.trades.list({ model_id: model.id, run_id: q.run_id, limit: q.limit, cursor: cursorOf(q.cursor) });
    return { items: result.items.map(({ created_at: _c, ...t }) => t), next_cursor: result.next_cursor };
  }

  async logs(caller: Caller, modelId: number, q: ListQuery): Promise<Page<LogEntry>> {
    const model = await this.deps.models.visible(caller, modelId);
    const result = await this.deps.storage.logs.list({ model_id: model.id, run_id: q.run_id, limit: q.limit, cursor: cursorOf(q.cursor) });
    return { items: result.items.map(({ model_id: _m, ...l }) => l), next_cursor: result.next_cursor };
  }

  async performance(caller: Caller, modelId: number, runId?: number): Promise<Performance> {
    const model = await this.deps.models.visible(caller, modelId);
    const run = await this.runOrLatest(model.id, runId);
    if (!run) return { model_id: model.id, run_id: null, metrics: null, equity_curve: [] };
    const curve = await this.deps.storage.runs.equityCurve(run.id);
    return { model_id: model.id, run_id: run.id, metrics: run.metrics, equity_curve: curve.map(({ date, equity, cash }) => ({ date, equity, cash })) };
  }

  /** A run's recorded events in id order, read in batches so an export never holds them all. */
  async *events(run: RunRecord): AsyncGenerator<TradingEvent[]> {
    let after: number | undefined;
    for (;;) {
      const rows = await this.deps.storage.events.byRun(run.id, { limit: EXPORT_BATCH, after });
      if (rows.length === 0) return;
      yield fromStoredRows(rows);
      if (rows.length < EXPORT_BATCH) return;
      after = rows.at(-1)!.id;
    }
  }

  /** The named run, or the model's latest; null when it has none. */
  private async runOrLatest(modelId: number, runId?: number) {
    if (runId === undefined) return (await this.deps.storage.runs.latestByModel(modelId)) ?? null;
    const run = await this.deps.storage.runs.byId(runId);
    if (!run || run.model_id !== modelId) throw runNotFound(runId, modelId);
    return run;
  }
}

import { DEFAULT_DATASET, type AgentSpec, type Model, type ModelCreate, type ModelUpdate } from '@tradewire/contract';
import type { SecretBox } from '../auth/secret-box.js';
import { AppError, modelNotFound } from '../domain/errors.js';
import type { Trading } from '../engine/trading.js';
import type { MarketData } from '../market/market-data.js';
import type { ModelRecord, ModelWrite, RunRecord } from '../storage/records.js';
import { type Storage, UniqueViolation } from '../storage/storage.js';
import type { Caller } from './principal.js';
import { toModelView } from './views.js';

/** Models: who may see them, what a valid one is, how a write keeps its secret sealed. */
export class ModelService {
  constructor(private readonly deps: { storage: Storage; market: MarketData; secrets: SecretBox; trading: Trading }) {}

  /** A model the caller may see: their own, or any for an admin; otherwise `model_not_found`. */
  async visible(caller: Caller, id: number): Promise<ModelRecord> {
    const m = await this.deps.storage.models.byId(id);
    if (!m || (m.user_id !== caller.userId && caller.role !== 'admin')) throw modelNotFound(id);
    return m;
  }

  /** A model the caller owns, even when the caller is an admin (arenas, search). */
  async owned(caller: Caller, id: number): Promise<ModelRecord> {
    const m = await this.deps.storage.models.byId(id);
    if (!m || m.user_id !== caller.userId) throw modelNotFound(id);
    return m;
  }

  /** Every model the caller owns, as stored. */
  ownedAll(caller: Caller): Promise<ModelRecord[]> {
    return this.deps.storage.models.listByUser(caller.userId);
  }

  async list(caller: Caller): Promise<Model[]> {
    const running = await this.deps.trading.runningModels();
    const models = await this.deps.storage.models.listByUser(caller.userId);
    const last = await this.lastRuns(models.map((m) => m.id));
    return models.map((m) => toModelView(m, running.has(m.id), last.get(m.id)));
  }

  async get(caller: Caller, id: number): Promise<Model> {
    const m = await this.visible(caller, id);
    return toModelView(m, await this.isRunning(m.id), await this.deps.storage.runs.latestByModel(m.id));
  }

  /** Each model's latest run, by model id. */
  async lastRuns(modelIds: number[]): Promise<Map<number, RunRecord>> {
    return new Map((await this.deps.storage.runs.latestPerModel(modelIds)).map((r) => [r.model_id, r]));
  }

  async create(caller: Caller, b: ModelCreate): Promise<Model> {
    await this.checkMarket(b.dataset, b.allowed_symbols);
    const write: ModelWrite = {
      name: b.name,
      description: b.description,
      ...this.agentWrite(b.agent),
      initial_cash: b.initial_cash,
      allowed_symbols: [...new Set(b.allowed_symbols)],
      risk: b.risk,
      commission_bps: b.commission_bps,
      slippage_bps: b.slippage_bps,
      dataset: b.dataset,
    };
    const m = await this.save(() => this.deps.storage.models.create(caller.userId, write));
    return toModelView(m, false, undefined);
  }

  /** Changes only the fields sent; `risk` is merged rule by rule. */
  async update(caller: Caller, id: number, b: ModelUpdate): Promise<Model> {
    const m = await this.visible(caller, id);
    if (b.allowed_symbols || b.dataset) await this.checkMarket(b.dataset ?? m.dataset, b.allowed_symbols ?? m.allowed_symbols);
    const agent = b.agent ? this.agentWrite(b.agent, m) : {};
    const write: ModelWrite = {
      name: b.name ?? m.name,
      description: b.description ?? m.description,
      agent: m.agent,
      agent_secret: m.agent_secret,
      ...agent,
      initial_cash: b.initial_cash ?? m.initial_cash,
      allowed_symbols: b.allowed_symbols ? [...new Set(b.allowed_symbols)] : m.allowed_symbols,
      risk: { ...m.risk, ...b.risk },
      commission_bps: b.commission_bps ?? m.commission_bps,
      slippage_bps: b.slippage_bps ?? m.slippage_bps,
      dataset: b.dataset ?? m.dataset,
    };
    const updated = await this.save(() => this.deps.storage.models.update(m.id, write));
    return toModelView(updated, await this.isRunning(m.id), await this.deps.storage.runs.latestByModel(m.id));
  }

  /** Stops a running session first, then deletes the model with everything it recorded. */
  async delete(caller: Caller, id: number): Promise<void> {
    const m = await this.visible(caller, id);
    await this.deps.trading.deleteModel(m.id);
  }

  private async isRunning(id: number) {
    return (await this.deps.trading.runningModels()).has(id);
  }

  /**
   * Splits the write-only API key off the agent params and seals it. An update without a key
   * keeps the stored one only while `base_url` stays the same: the key was given for that host,
   * and must never be sent to another one.
   */
  private agentWrite(agent: AgentSpec, previous?: ModelRecord) {
    if (agent.kind !== 'llm') return { agent, agent_secret: null };
    const { api_key, ...params } = agent.params;
    const sameHost = previous?.agent.kind === 'llm' && previous.agent.params.base_url === params.base_url;
    const kept = sameHost ? previous.agent_secret : null;
    const agent_secret = api_key ? this.deps.secrets.seal(api_key) : kept;
    return { agent: { kind: agent.kind, params }, agent_secret };
  }

  /** The data set must exist and hold every allowed symbol. */
  private async checkMarket(dataset: string, symbols: string[]) {
    const market = await this.deps.market.forDataset(dataset);
    if (!market) throw new AppError('unknown_dataset', `dataset: no data set named ${dataset}`);
    if (symbols.length === 0) return;
    const known = new Set((await market.symbols()).map((s) => s.symbol));
    const unknown = symbols.filter((s) => !known.has(s));
    if (unknown.length > 0) {
      const where = dataset === DEFAULT_DATASET ? '' : ` in data set ${dataset}`;
      throw new AppError('unknown_symbols', `allowed_symbols: unknown symbol ${unknown.join(', ')}${where}`);
    }
  }

  private async save<T>(fn: () => Promise<T>) {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof UniqueViolation) throw new AppError('name_taken', 'name: you already have a model with this name');
      throw e;
    }
  }
}

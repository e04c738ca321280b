import type { ModelSnapshot, Portfolio, Run, StartBody, TradingStatus } from '@tradewire/contract';
import { createAgent, type Agent } from '../agents/agent.js';
import type { EventBus } from '../events/event-bus.js';
import type { MarketData } from '../market/market-data.js';
import type { ModelRecord, RunRecord } from '../storage/records.js';
import { type Storage, UniqueViolation } from '../storage/storage.js';
import { portfolioView } from './portfolio.js';
import { type RunPlan, Session, type SessionHooks } from './session.js';

/** Raised for a start request that cannot run; the HTTP layer maps `field` into a 400/409. */
export class StartError extends Error {
  constructor(
    readonly kind: 'invalid' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

/** Bars before the start date handed to agents for their indicators. */
const LOOKBACK_DAYS = 400;
const DEFAULT_PACE_MS = 200;

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
});

const shiftDays = (date: string, days: number) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

export interface ManagerDeps {
  storage: Storage;
  bus: EventBus;
  market: MarketData;
  /** Builds the LLM agent of a model: it needs secrets and HTTP, which the engine does not hold. */
  llm?: (model: ModelRecord, hooks: SessionHooks) => Agent;
  /** Replaces every agent (tests use it for agents that misbehave). */
  agentFor?: (model: ModelRecord, hooks: SessionHooks) => Agent | Promise<Agent>;
}

/** Starts, stops and reports trading sessions; one session per model at a time. */
export class AgentManager {
  private readonly sessions = new Map<number, Session>();
  private closing = false;

  constructor(private readonly deps: ManagerDeps) {}

  /** Runs left `running` by a previous process can never finish: mark them interrupted. */
  async recover() {
    await this.deps.storage.runs.interruptAll(new Date().toISOString());
  }

  runningModels(): Set<number> {
    return new Set(this.sessions.keys());
  }

  async start(model: ModelRecord, body: StartBody): Promise<Run> {
    if (this.closing) throw new StartError('conflict', 'the server is shutting down');
    if (this.sessions.has(model.id)) throw new StartError('conflict', `model ${model.id} is already running`);
    const plan = await this.plan(model, body);
    let run: RunRecord;
    try {
      run = await this.deps.storage.runs.create({
        model_id: model.id,
        start_date: plan.calendar[0]!,
        end_date: plan.calendar[plan.calendar.length - 1]!,
        pace_ms: body.pace_ms ?? DEFAULT_PACE_MS,
        config: snapshotOf(model, plan),
        started_at: new Date().toISOString(),
        cash: model.initial_cash,
        total_steps: plan.calendar.length,
      });
    } catch (e) {
      if (e instanceof UniqueViolation) throw new StartError('conflict', `model ${model.id} is already running`);
      throw e;
    }
    const agent = (hooks: SessionHooks) =>
      this.deps.agentFor
        ? this.deps.agentFor(model, hooks)
        : createAgent(model.agent_kind, model.agent_params as never, {
            targetPct: model.risk.max_position_pct,
            commissionBps: model.commission_bps,
            slippageBps: model.slippage_bps,
            maxOrdersPerStep: model.risk.max_orders_per_step,
            ...(this.deps.llm ? { llm: () => this.deps.llm!(model, hooks) } : {}),
          });
    const session = new Session(model, run, plan, agent, { storage: this.deps.storage, bus: this.deps.bus });
    this.sessions.set(model.id, session);
    void session.done.finally(() => {
      if (this.sessions.get(model.id) === session) this.sessions.delete(model.id);
    });
    return runView(run);
  }

  /** Idempotent: stopping an idle model just reports its status. */
  async stop(modelId: number): Promise<TradingStatus> {
    const session = this.sessions.get(modelId);
    if (session) {
      session.stop('stopped');
      await session.done;
    }
    return this.status(modelId);
  }

  async status(modelId: number): Promise<TradingStatus> {
    const session = this.sessions.get(modelId);
    if (session) {
      const run = await this.deps.storage.runs.byId(session.run.id);
      return { model_id: modelId, status: 'running', run: runView(run ?? session.run), progress: session.progress };
    }
    const latest = await this.deps.storage.runs.latestByModel(modelId);
    return { model_id: modelId, status: 'idle', run: latest ? runView(latest) : null, progress: null };
  }

  /** What a (re)connecting stream client needs to be right at once. */
  async snapshot(modelId: number): Promise<ModelSnapshot> {
    const status = await this.status(modelId);
    return { model_id: modelId, status: status.status, run: status.run, portfolio: await this.portfolio(modelId) };
  }

  /** The latest portfolio: live while running, else as the last run left it. */
  async portfolio(modelId: number): Promise<(Portfolio & { run_id: number }) | null> {
    const session = this.sessions.get(modelId);
    if (session) return { ...session.portfolio(), run_id: session.run.id };
    const run = await this.deps.storage.runs.latestByModel(modelId);
    if (!run) return null;
    const initial = Number((run.config as { initial_cash?: number }).initial_cash ?? run.cash);
    const positions = await this.deps.storage.runs.positions(run.id);
    return {
      ...portfolioView({ date: run.last_date, cash: run.cash, positions, initialCash: initial, tradeCount: run.trade_count }),
      run_id: run.id,
    };
  }

  /** Stops a running session, then deletes the model with everything it recorded. */
  async deleteModel(modelId: number) {
    await this.stop(modelId);
    await this.deps.storage.models.delete(modelId);
    this.deps.bus.closeModel(modelId, 'model deleted');
  }

  /** On shutdown every running run becomes `interrupted`. */
  async shutdown() {
    this.closing = true;
    const sessions = [...this.sessions.values()];
    sessions.forEach((s) => s.stop('interrupted'));
    await Promise.allSettled(sessions.map((s) => s.done));
    await this.deps.storage.runs.interruptAll(new Date().toISOString());
  }

  private async plan(model: ModelRecord, body: StartBody): Promise<RunPlan> {
    const market = this.deps.market;
    const known = new Set((await market.symbols()).map((s) => s.symbol));
    const symbols = model.allowed_symbols.length > 0 ? model.allowed_symbols : [...known];
    const missing = symbols.filter((s) => !known.has(s));
    if (missing.length > 0) throw new StartError('invalid', `allowed_symbols: no market data for ${missing.join(', ')}`);
    if (symbols.length === 0) throw new StartError('invalid', 'there is no market data: import some first');

    const range = await market.range(symbols);
    if (!range) throw new StartError('invalid', 'there is no market data for these symbols');
    const end = body.end_date ?? range.last;
    const start = body.start_date ?? shiftDays(end, -365);
    if (start > end) throw new StartError('invalid', `start_date: ${start} is after end_date ${end}`);
    if (end < range.first || start > range.last) {
      throw new StartError('invalid', `start_date/end_date: market data covers ${range.first} to ${range.last}`);
    }
    const calendar = await market.calendar(start, end, symbols);
    if (calendar.length === 0) throw new StartError('invalid', `start_date/end_date: no trading days between ${start} and ${end}`);
    const from = shiftDays(calendar[0]!, -Math.ceil((LOOKBACK_DAYS * 7) / 5));
    const to = calendar[calendar.length - 1]!;
    const bars = new Map(await Promise.all(symbols.map(async (s) => [s, await market.bars(s, from, to)] as const)));
    return { symbols, calendar, bars };
  }
}

/** The model's settings as the run used them; secrets never enter the snapshot. */
function snapshotOf(model: ModelRecord, plan: RunPlan) {
  return {
    name: model.name,
    agent: { kind: model.agent_kind, params: model.agent_params },
    initial_cash: model.initial_cash,
    symbols: plan.symbols,
    risk: model.risk,
    commission_bps: model.commission_bps,
    slippage_bps: model.slippage_bps,
  };
}

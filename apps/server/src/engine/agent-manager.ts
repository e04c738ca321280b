import type { Run, StartBody, TradingStatus } from '@tradewire/contract';
import type { MarketData } from '../market/market-data.js';
import type { ModelRecord, RunRecord } from '../storage/records.js';
import { UniqueViolation } from '../storage/storage.js';
import { StartError, configSnapshot, planRun } from './run-plan.js';
import { type RunnerDeps, SessionRunner } from './session-runner.js';
import { type LivePortfolio, TradingBase, runView, storedPortfolio, storedStatus } from './trading.js';

export { StartError } from './run-plan.js';
export { runView } from './trading.js';

export const DEFAULT_PACE_MS = 200;

export interface ManagerDeps extends RunnerDeps {
  market: MarketData;
}

/** Creates a run record for a start request; 409 when the model already runs. */
export async function createRun(deps: ManagerDeps, model: ModelRecord, body: StartBody) {
  const plan = await planRun(deps.market, model, body);
  try {
    const run: RunRecord = await deps.storage.runs.create({
      model_id: model.id,
      start_date: plan.calendar[0]!,
      end_date: plan.calendar[plan.calendar.length - 1]!,
      pace_ms: body.pace_ms ?? DEFAULT_PACE_MS,
      config: configSnapshot(model, plan),
      started_at: new Date().toISOString(),
      cash: model.initial_cash,
      total_steps: plan.calendar.length,
    });
    return { run, plan };
  } catch (e) {
    if (e instanceof UniqueViolation) throw new StartError('conflict', `model ${model.id} is already running`);
    throw e;
  }
}

/** Runs sessions in this process (the default, single-node setup). */
export class AgentManager extends TradingBase {
  private readonly runner: SessionRunner;
  private closing = false;

  constructor(private readonly deps: ManagerDeps) {
    super(deps);
    this.runner = new SessionRunner(deps);
  }

  /** Runs left `running` by a previous process can never finish: mark them interrupted. */
  async recover() {
    await this.deps.storage.runs.interruptAll(new Date().toISOString());
  }

  async runningModels() {
    return new Set(this.runner.sessions.keys());
  }

  async start(model: ModelRecord, body: StartBody): Promise<Run> {
    if (this.closing) throw new StartError('conflict', 'the server is shutting down');
    if (this.runner.sessions.has(model.id)) throw new StartError('conflict', `model ${model.id} is already running`);
    const { run, plan } = await createRun(this.deps, model, body);
    this.runner.launch(model, run, plan);
    return runView(run);
  }

  async stop(modelId: number): Promise<TradingStatus> {
    await this.runner.stop(modelId);
    return this.status(modelId);
  }

  async status(modelId: number): Promise<TradingStatus> {
    const session = this.runner.sessions.get(modelId);
    if (!session) return storedStatus(this.deps.storage, modelId);
    const run = (await this.deps.storage.runs.byId(session.run.id)) ?? session.run;
    return { model_id: modelId, status: 'running', run: runView(run), progress: session.progress };
  }

  async portfolio(modelId: number): Promise<LivePortfolio | null> {
    const session = this.runner.sessions.get(modelId);
    if (session) return { ...session.portfolio(), run_id: session.run.id };
    return storedPortfolio(this.deps.storage, modelId);
  }

  /** On shutdown every running run becomes `interrupted`. */
  async shutdown() {
    this.closing = true;
    await this.runner.stopAll('interrupted');
    await this.deps.storage.runs.interruptAll(new Date().toISOString());
  }
}

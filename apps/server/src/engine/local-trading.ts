import type { TradingStatus } from '@tradewire/contract';
import { AppError } from '../domain/errors.js';
import type { RunPlan } from '../domain/run.js';
import { closeRun } from './close-run.js';
import type { ModelRecord, RunRecord } from '../storage/records.js';
import { type RunnerDeps, SessionRunner } from './session-runner.js';
import { LiveSession } from '../live/live-session.js';
import { type LivePortfolio, type LiveStart, TradingBase, createLiveRun, runView, storedPortfolio, storedStatus } from './trading.js';

/** Runs sessions in this process (the default, single-node setup). */
export class LocalTrading extends TradingBase {
  private readonly runner: SessionRunner;
  private closing = false;

  constructor(private readonly deps: RunnerDeps) {
    super(deps);
    this.runner = new SessionRunner(deps);
  }

  /** Runs left `running` by a previous process (killed, or the machine went down) can never finish: close them, told. */
  async recover() {
    for (const run of await this.deps.storage.runs.running()) {
      // A live run follows the clock, not this process: it resumes where the market now is.
      const model = run.config.mode === 'live' && this.deps.live ? await this.deps.storage.models.byId(run.model_id) : undefined;
      if (model) {
        this.runner.launchLive(model, run, { dataset: run.config.dataset ?? model.dataset, symbols: run.config.symbols, timeframe: run.config.timeframe, flatAtClose: run.config.flat_at_close }, true);
        continue;
      }
      await closeRun(this.deps, run, 'interrupted', 'the server stopped while this run was in progress');
    }
  }

  protected override runsHere(modelId: number) {
    return this.runner.sessions.has(modelId);
  }

  async startLive(model: ModelRecord, plan: LiveStart): Promise<RunRecord> {
    if (this.closing) throw new AppError('shutting_down', 'the server is shutting down');
    if (this.runner.sessions.has(model.id)) throw new AppError('model_running', `model ${model.id} is already running`);
    const run = await createLiveRun(this.deps.storage, model, plan, new Date().toISOString());
    this.runner.launchLive(model, run, plan, false);
    return run;
  }

  async runningModels() {
    return new Set(this.runner.sessions.keys());
  }

  async start(model: ModelRecord, plan: RunPlan, paceMs: number): Promise<RunRecord> {
    if (this.closing) throw new AppError('shutting_down', 'the server is shutting down');
    if (this.runner.sessions.has(model.id)) throw new AppError('model_running', `model ${model.id} is already running`);
    const run = await this.createRun(model, plan, paceMs);
    this.runner.launch(model, run, plan);
    return run;
  }

  async stop(modelId: number): Promise<TradingStatus> {
    await this.runner.stop(modelId);
    return this.status(modelId);
  }

  async status(modelId: number): Promise<TradingStatus> {
    const session = this.runner.sessions.get(modelId);
    if (!session) return storedStatus(this.deps.storage, modelId);
    const run = (await this.deps.storage.runs.byId(session.run.id)) ?? session.run;
    const live = session instanceof LiveSession ? session.liveStatus() : undefined;
    return { model_id: modelId, status: 'running', run: runView(run), progress: session.progress, ...(live && { live }) };
  }

  async portfolio(modelId: number): Promise<LivePortfolio | null> {
    const session = this.runner.sessions.get(modelId);
    if (session) return { ...session.portfolio(), run_id: session.run.id };
    return storedPortfolio(this.deps.storage, modelId);
  }

  /** On shutdown every running run becomes `interrupted`. */
  async shutdown() {
    this.closing = true;
    const live = [...this.runner.sessions.values()].filter((s) => s instanceof LiveSession).map((s) => s.run.id);
    await this.runner.stopAll('interrupted');
    await this.deps.storage.runs.interruptAll(new Date().toISOString(), live);
  }
}

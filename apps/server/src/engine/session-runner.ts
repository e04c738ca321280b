import type { Agent } from '../agents/agent.js';
import type { RunPlan } from '../domain/run.js';
import type { SessionHooks } from '../domain/session-hooks.js';
import type { EventBus } from '../events/event-bus.js';
import type { MarketData } from '../market/market-data.js';
import type { ModelRecord, RunRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import { type LivePlan, LiveSession } from '../live/live-session.js';
import type { LiveWiring } from '../live/live-wiring.js';
import { Session } from './session.js';
import { localStore } from './session-store.js';
import type { SessionThreads, ThreadedSession } from './session-threads.js';

/** Builds the agent a model's session runs; the composition root knows how (secrets, HTTP). */
export type AgentFactory = (model: ModelRecord, hooks: SessionHooks) => Agent | Promise<Agent>;

export interface RunnerDeps {
  storage: Storage;
  bus: EventBus;
  market: MarketData;
  agents: AgentFactory;
  /** How live runs get their bars, broker, calendar and clock; without it live runs cannot start. */
  live?: LiveWiring;
  /** Engine threads backtests play on; without them they play on this event loop. */
  threads?: SessionThreads;
}

/** A session playing in this process: a backtest (on the event loop or an engine thread) or a live run. */
export type RunningSession = Session | ThreadedSession | LiveSession;

/** The sessions running in this process, by model. */
export class SessionRunner {
  readonly sessions = new Map<number, RunningSession>();

  constructor(readonly deps: RunnerDeps) {}

  /**
   * Plays a backtest. A lone one plays on this event loop: a thread's round trips would cost it
   * more than they save, as its steps are stored here anyway. While others play, it goes to an
   * engine thread (when there are any), which works its steps out beside this process's storage.
   */
  launch(model: ModelRecord, run: RunRecord, plan: RunPlan): Session | ThreadedSession {
    const others = [...this.sessions.values()].some((s) => !(s instanceof LiveSession));
    const threaded = others ? this.deps.threads?.launch(model, run, plan) : undefined;
    const session = threaded ?? new Session(model, run, plan, (hooks) => this.deps.agents(model, hooks), localStore({ storage: this.deps.storage, bus: this.deps.bus }));
    return this.track(model.id, session);
  }

  /** Plays a live run: a new one, or (`resumed`) one a previous process left running. */
  launchLive(model: ModelRecord, run: RunRecord, plan: LivePlan, resumed: boolean): LiveSession {
    const wiring = this.deps.live;
    if (!wiring) throw new Error('live trading is not wired in this process');
    const config = run.config.live ?? { source: wiring.sourceFor(null), broker: 'builtin' };
    const session = new LiveSession(
      model,
      run,
      plan,
      (hooks) => this.deps.agents(model, hooks),
      {
        storage: this.deps.storage,
        bus: this.deps.bus,
        source: wiring.source(config.source),
        broker: wiring.broker(model, config.broker),
        calendar: wiring.calendar,
        clock: wiring.clock,
      },
      resumed,
    );
    return this.track(model.id, session);
  }

  /** Holds the model's session until it is done. */
  private track<S extends RunningSession>(modelId: number, session: S): S {
    this.sessions.set(modelId, session);
    void session.done.finally(() => {
      if (this.sessions.get(modelId) === session) this.sessions.delete(modelId);
    });
    return session;
  }

  /** Stops the session of a model, if it runs here, and waits for it to close its run. */
  async stop(modelId: number, reason: 'stopped' | 'interrupted' = 'stopped') {
    const session = this.sessions.get(modelId);
    if (!session) return false;
    session.stop(reason);
    await session.done;
    return true;
  }

  /** Stops every session; live runs are only suspended on `interrupted`: they stay running, for a restart to resume. */
  async stopAll(reason: 'stopped' | 'interrupted') {
    const sessions = [...this.sessions.values()];
    sessions.forEach((s) => (s instanceof LiveSession && reason === 'interrupted' ? s.stop('suspended') : s.stop(reason)));
    await Promise.allSettled(sessions.map((s) => s.done));
  }
}

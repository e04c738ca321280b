import type { Agent } from '../agents/agent.js';
import type { RunPlan } from '../domain/run.js';
import type { SessionHooks } from '../domain/session-hooks.js';
import type { EventBus } from '../events/event-bus.js';
import type { MarketData } from '../market/market-data.js';
import type { ModelRecord, RunRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import { Session } from './session.js';

/** Builds the agent a model's session runs; the composition root knows how (secrets, HTTP). */
export type AgentFactory = (model: ModelRecord, hooks: SessionHooks) => Agent | Promise<Agent>;

export interface RunnerDeps {
  storage: Storage;
  bus: EventBus;
  market: MarketData;
  agents: AgentFactory;
}

/** The sessions running in this process, by model. */
export class SessionRunner {
  readonly sessions = new Map<number, Session>();

  constructor(readonly deps: RunnerDeps) {}

  launch(model: ModelRecord, run: RunRecord, plan: RunPlan): Session {
    const session = new Session(model, run, plan, (hooks) => this.deps.agents(model, hooks), { storage: this.deps.storage, bus: this.deps.bus });
    this.sessions.set(model.id, session);
    void session.done.finally(() => {
      if (this.sessions.get(model.id) === session) this.sessions.delete(model.id);
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

  async stopAll(reason: 'stopped' | 'interrupted') {
    const sessions = [...this.sessions.values()];
    sessions.forEach((s) => s.stop(reason));
    await Promise.allSettled(sessions.map((s) => s.done));
  }
}

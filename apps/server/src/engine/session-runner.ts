import { createAgent, type Agent } from '../agents/agent.js';
import type { EventBus } from '../events/event-bus.js';
import type { ModelRecord, RunRecord } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import { type RunPlan, Session, type SessionHooks } from './session.js';

export interface RunnerDeps {
  storage: Storage;
  bus: EventBus;
  /** Builds the LLM agent of a model: it needs secrets and HTTP, which the engine does not hold. */
  llm?: (model: ModelRecord, hooks: SessionHooks) => Agent;
  /** Replaces every agent (tests use it for agents that misbehave). */
  agentFor?: (model: ModelRecord, hooks: SessionHooks) => Agent | Promise<Agent>;
}

/** The sessions running in this process, by model. */
export class SessionRunner {
  readonly sessions = new Map<number, Session>();

  constructor(readonly deps: RunnerDeps) {}

  launch(model: ModelRecord, run: RunRecord, plan: RunPlan): Session {
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

import { Worker } from 'node:worker_threads';
import type { Bar, Portfolio, RunStatus } from '@tradewire/contract';
import type { LlmPolicy } from '../agents/llm/policy.js';
import type { EndReason, Progress, RunPlan } from '../domain/run.js';
import type { EventBus } from '../events/event-bus.js';
import type { ModelRecord, RunRecord } from '../storage/records.js';
import { isRunClosed, type Storage } from '../storage/storage.js';
import { closeRun } from './close-run.js';
import { portfolioView } from './portfolio.js';
import { type SessionStore, type StepHandOver, localStore } from './session-store.js';

/** What an engine thread needs to build agents as the API process would (LLM keys are sealed with the JWT secret). */
export interface ThreadAgents {
  jwtSecret: string;
  llm: LlmPolicy;
}

type StoreOp = keyof SessionStore;

/**
 * A plan as it crosses to a thread: each symbol's bars as columns, the dates in one string and
 * the prices and volumes in one buffer that is moved, not copied. Cloning tens of thousands of bar
 * objects cost the owning process more than the thread saved it, and the thread's copies were
 * slower to read than bars it builds itself.
 */
export interface PackedPlan extends Omit<RunPlan, 'bars'> {
  bars: { symbol: string; dates: string; values: Float64Array }[];
}

const BAR_FIELDS = 5;

export function packPlan(plan: RunPlan): { packed: PackedPlan; transfer: ArrayBuffer[] } {
  const bars = [...plan.bars].map(([symbol, list]) => {
    const values = new Float64Array(list.length * BAR_FIELDS);
    list.forEach((b, i) => values.set([b.open, b.high, b.low, b.close, b.volume], i * BAR_FIELDS));
    return { symbol, dates: list.map((b) => b.date).join('\n'), values };
  });
  return { packed: { ...plan, bars }, transfer: bars.map((b) => b.values.buffer as ArrayBuffer) };
}

export function unpackPlan(packed: PackedPlan): RunPlan {
  const bars = new Map<string, Bar[]>();
  for (const { symbol, dates, values } of packed.bars) {
    const list = dates === '' ? [] : dates.split('\n');
    bars.set(
      symbol,
      list.map((date, i) => {
        const at = i * BAR_FIELDS;
        return { date, open: values[at]!, high: values[at + 1]!, low: values[at + 2]!, close: values[at + 3]!, volume: values[at + 4]! };
      }),
    );
  }
  return { ...packed, bars };
}

/** From the owning process to a thread. */
export type ToThread =
  | { type: 'start'; key: number; model: ModelRecord; run: RunRecord; plan: PackedPlan }
  | { type: 'stop'; key: number; reason: EndReason }
  | { type: 'reply'; call: number; ok: true; value: unknown }
  | { type: 'reply'; call: number; ok: false; message: string; closed: boolean };

/** From a thread to the owning process: a session's store calls, and its end. */
export type FromThread = { type: 'call'; call: number; key: number; op: StoreOp; args: unknown[] } | { type: 'done'; key: number; status: RunStatus };

/**
 * The thread's script: this module's sibling. Under vitest the sources run as TypeScript, which
 * a thread cannot load; there it is the build of the same file (the tests' global setup builds it).
 */
function threadScript(): URL {
  const own = new URL('./session-thread.js', import.meta.url);
  return import.meta.url.endsWith('.ts') ? new URL(own.href.replace('/src/engine/', '/dist/engine/')) : own;
}

/**
 * A backtest playing on an engine thread. The thread works out the steps (the agent's decision,
 * fills, the step's events); every write comes back here, to this process's storage and bus, so
 * the rules hold as for a session playing here: ids in order, stored before delivered, a run's
 * steps one at a time. Its progress and portfolio are those of the last step handed over.
 */
export class ThreadedSession {
  readonly done: Promise<RunStatus>;
  progress: Progress | null = null;
  private last: StepHandOver | null = null;
  private settle!: (status: RunStatus) => void;

  constructor(
    readonly model: ModelRecord,
    readonly run: RunRecord,
    private readonly thread: EngineThread,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  stop(reason: EndReason = 'stopped') {
    this.thread.post({ type: 'stop', key: this.run.id, reason });
  }

  portfolio(): Portfolio {
    return portfolioView({
      date: this.progress?.date ?? null,
      cash: this.last?.cash ?? this.model.initial_cash,
      positions: this.last?.positions ?? [],
      initialCash: this.model.initial_cash,
      tradeCount: this.last?.trade_count ?? 0,
    });
  }

  /** A step on its way to storage: it is now the session's progress. */
  stepped(write: StepHandOver) {
    this.last = write;
    this.progress = { step: write.step, total_steps: this.run.total_steps, date: write.date };
  }

  ended(status: RunStatus) {
    this.settle(status);
  }
}

/** One worker thread and the sessions it plays. */
class EngineThread {
  readonly sessions = new Map<number, ThreadedSession>();
  readonly worker: Worker;
  private exited = false;

  constructor(
    agents: ThreadAgents,
    private readonly deps: { storage: Storage; bus: EventBus },
    private readonly store: SessionStore,
    private readonly onExit: (thread: EngineThread) => void,
  ) {
    this.worker = new Worker(threadScript(), { workerData: agents, name: 'tradewire-engine' });
    this.worker.on('message', (msg: FromThread) => void this.receive(msg));
    this.worker.on('error', (err) => void this.lost(`the engine thread failed: ${err.message}`));
    this.worker.on('exit', (code) => void this.lost(`the engine thread stopped (exit code ${code})`));
  }

  post(msg: ToThread, transfer: ArrayBuffer[] = []) {
    if (!this.exited) this.worker.postMessage(msg, transfer);
  }

  launch(model: ModelRecord, run: RunRecord, plan: RunPlan): ThreadedSession {
    const session = new ThreadedSession(model, run, this);
    this.sessions.set(run.id, session);
    const { packed, transfer } = packPlan(plan);
    this.post({ type: 'start', key: run.id, model, run, plan: packed }, transfer);
    return session;
  }

  private async receive(msg: FromThread) {
    const session = this.sessions.get(msg.key);
    if (msg.type === 'done') {
      this.sessions.delete(msg.key);
      session?.ended(msg.status);
      return;
    }
    try {
      if (msg.op === 'step') session?.stepped(msg.args[1] as StepHandOver);
      const value = await (this.store[msg.op] as (...args: unknown[]) => Promise<unknown>)(...msg.args);
      this.post({ type: 'reply', call: msg.call, ok: true, value });
    } catch (e) {
      this.post({ type: 'reply', call: msg.call, ok: false, message: e instanceof Error ? e.message : String(e), closed: isRunClosed(e) });
    }
  }

  /** The thread is gone with sessions in it: their runs can never finish, so they are closed, told why. */
  private async lost(why: string) {
    if (this.exited) return;
    this.exited = true;
    this.onExit(this);
    const orphans = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of orphans) {
      await closeRun(this.deps, s.run, 'failed', why).catch(() => undefined);
      s.ended('failed');
    }
  }

  async terminate() {
    this.exited = true;
    await this.worker.terminate();
  }
}

/**
 * Engine threads of the single-node setup: backtests play on them so that several runs use
 * every core, while storage and the event bus stay in this process (one SQLite writer, one
 * place that numbers and delivers events). A session goes to the thread playing the fewest.
 */
export class SessionThreads {
  private readonly threads: EngineThread[] = [];
  private readonly store: SessionStore;

  constructor(
    private readonly size: number,
    private readonly agents: ThreadAgents,
    private readonly deps: { storage: Storage; bus: EventBus },
  ) {
    this.store = localStore(deps);
  }

  launch(model: ModelRecord, run: RunRecord, plan: RunPlan): ThreadedSession {
    if (this.threads.length < this.size) {
      const gone = (t: EngineThread) => this.threads.includes(t) && this.threads.splice(this.threads.indexOf(t), 1);
      this.threads.push(new EngineThread(this.agents, this.deps, this.store, gone));
    }
    const thread = this.threads.reduce((a, b) => (b.sessions.size < a.sessions.size ? b : a));
    return thread.launch(model, run, plan);
  }

  /** The thread a session plays on, while it plays (operations and tests). */
  workerOf(session: ThreadedSession): Worker | undefined {
    return this.threads.find((t) => t.sessions.get(session.run.id) === session)?.worker;
  }

  /** Ends the threads; their sessions have been stopped first (LocalTrading.shutdown). */
  async close() {
    await Promise.all(this.threads.splice(0).map((t) => t.terminate()));
  }
}

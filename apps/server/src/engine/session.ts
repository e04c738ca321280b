import { setTimeout as delay } from 'node:timers/promises';
import type { Portfolio, RunStatus, Usage } from '@tradewire/contract';
import type { Agent } from '../agents/agent.js';
import { type Book, equityOf, positionsOf } from '../domain/book.js';
import { type Fill, flattenOrders } from '../domain/order.js';
import type { EndReason, Progress, RunPlan } from '../domain/run.js';
import type { SessionHooks } from '../domain/session-hooks.js';
import { type TradingRules, tradingRulesOf } from '../domain/trading-rules.js';
import type { EventBody } from '../events/event-bus.js';
import type { ModelRecord, RunRecord } from '../storage/records.js';
import { isRunClosed } from '../storage/storage.js';
import { fillOrders, stopLossOrders } from './broker.js';
import { MarketWindow } from './market-window.js';
import { computeMetrics } from './metrics.js';
import { portfolioView } from './portfolio.js';
import { ReasoningThrottle } from './reasoning-throttle.js';
import { completeEvent, endWords } from './step-events.js';
import type { SessionStore } from './session-store.js';
import { recordStep } from './step-record.js';

/** At most this many reasoning events per second per model. */
const REASONING_INTERVAL_MS = 100;

/** Waits between steps; a stop request cuts the wait short. */
const pause = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * One trading session: steps through the calendar; each step asks the agent, fills its orders,
 * and records and streams what happened. The rules live elsewhere — what the agent may see in
 * MarketWindow, how orders fill in the broker, how a step is told in step-events — this loop
 * only puts them in order.
 */
export class Session {
  readonly done: Promise<RunStatus>;
  progress: Progress | null = null;
  private book: Book;
  private readonly rules: TradingRules;
  private lastPrice: ReadonlyMap<string, number> = new Map();
  private readonly abort = new AbortController();
  private endReason: EndReason | null = null;
  private tradeCount = 0;
  /** The symbols of the positions as last stored; undefined before the first step is stored. */
  private writtenSymbols: string[] | undefined;
  private readonly filled: Fill[] = [];
  private usage: Usage | null = null;
  private readonly reasoning: ReasoningThrottle;
  /** The last step handed over, until it is stored. */
  private storing: Promise<void> = Promise.resolve();

  constructor(
    readonly model: ModelRecord,
    readonly run: RunRecord,
    private readonly plan: RunPlan,
    private readonly agent: (hooks: SessionHooks) => Agent | Promise<Agent>,
    /** Where the run's record goes (`localStore`, or the owning process's when this plays on an engine thread). */
    private readonly store: SessionStore,
  ) {
    this.book = { cash: model.initial_cash, holdings: new Map(), peakEquity: model.initial_cash };
    this.rules = tradingRulesOf(model);
    this.reasoning = new ReasoningThrottle(
      REASONING_INTERVAL_MS,
      (text) => this.emit([{ type: 'reasoning', data: { message: text, text } }]),
      (err) => void this.log('warn', `reasoning could not be streamed: ${String(err)}`).catch(() => undefined),
    );
    this.done = this.execute();
  }

  /** Ends the run after the current step; idempotent. */
  stop(reason: EndReason = 'stopped') {
    this.endReason ??= reason;
    this.abort.abort();
  }

  portfolio(): Portfolio {
    return portfolioView({
      date: this.progress?.date ?? null,
      cash: this.book.cash,
      positions: positionsOf(this.book, this.lastPrice),
      initialCash: this.model.initial_cash,
      tradeCount: this.tradeCount,
    });
  }

  /** Stores and streams events that are not part of a step. */
  private async emit(bodies: EventBody[]) {
    const drafts = bodies.map((b) => ({ ...b, model_id: this.model.id, user_id: this.model.user_id, run_id: this.run.id }));
    await this.store.emit(drafts);
  }

  private async log(level: 'info' | 'warn' | 'error', message: string) {
    await this.store.log({ model_id: this.model.id, run_id: this.run.id, level, message, created_at: new Date().toISOString() });
  }

  private async execute(): Promise<RunStatus> {
    try {
      await this.emit([{ type: 'status', data: { message: 'Initializing AI agent...', status: 'running' } }]);
      const agent = await this.agent({
        signal: this.abort.signal,
        reasoning: (text) => this.reasoning.push(text),
        log: (level, message) => this.log(level, message),
        usage: (u) => {
          const prev = this.usage ?? { calls: 0, prompt_tokens: 0, completion_tokens: 0 };
          this.usage = { calls: prev.calls + 1, prompt_tokens: prev.prompt_tokens + u.prompt_tokens, completion_tokens: prev.completion_tokens + u.completion_tokens };
        },
      });
      await this.log('info', `Run #${this.run.run_number} started: ${this.plan.calendar.length} trading days, ${this.plan.symbols.length} symbols`);
      await this.emit([{ type: 'status', data: { message: 'Starting trading session...', status: 'running' } }]);
      await this.trade(agent);
      if (this.endReason) return await this.finish(this.endReason, null);
      await this.emit([{ type: 'session_complete', data: { message: 'Trading session completed' } }]);
      return await this.finish('completed', null);
    } catch (e) {
      // Another process closed the run (with its own `complete`): this session writes nothing more.
      if (isRunClosed(e)) return 'interrupted';
      const message = e instanceof Error ? e.message : String(e);
      await this.log('error', `Run failed: ${message}`).catch(() => undefined);
      await this.emit([{ type: 'error', data: { message: `Agent error: ${message}` } }]).catch(() => undefined);
      return this.finish('failed', message);
    }
  }

  private async trade(agent: Agent) {
    const { symbols, calendar, bars } = this.plan;
    const window = new MarketWindow(symbols, bars);
    const allowed = new Set(symbols);

    for (let i = 0; i < calendar.length && !this.endReason; i++) {
      const day = window.advance(calendar[i]!);
      this.lastPrice = day.lastClose;
      const market = { open: day.open, allowed };

      const stops = fillOrders(this.book, stopLossOrders(this.book, market, this.rules.risk), market, this.rules);
      this.book = stops.book;

      const dayBook = this.book;
      const decision = await agent.decide({
        date: day.date,
        step: i + 1,
        symbols,
        history: day.history,
        open: day.open,
        cash: dayBook.cash,
        positions: new Map([...dayBook.holdings].map(([s, h]) => [s, h.quantity])),
        equity: equityOf(dayBook, new Map([...day.lastClose, ...day.open])),
        preview: (orders) => fillOrders(dayBook, orders, market, this.rules),
      });
      if (this.endReason === 'interrupted') break;
      const flat = this.plan.flatAtClose && calendar[i]!.slice(0, 10) !== calendar[i + 1]?.slice(0, 10);
      const result = fillOrders(this.book, flat ? flattenOrders(this.book.holdings) : decision.orders, market, this.rules);
      this.book = result.book;
      const fills = [...stops.fills, ...result.fills];

      this.lastPrice = new Map([...day.lastClose, ...day.close]);
      const equity = equityOf(this.book, this.lastPrice);
      this.book = { ...this.book, peakEquity: Math.max(this.book.peakEquity, equity) };
      const filled = fills.filter((f) => f.status === 'filled');
      this.filled.push(...filled);
      this.tradeCount += filled.length;
      this.progress = { step: i + 1, total_steps: calendar.length, date: day.date };
      if (filled.length > 0 || decision.orders.length > 0) await this.log('info', `${day.date}: ${decision.reasoning}`);
      await this.recordStep(day.date, fills, decision.reasoning, equity);

      if (this.run.pace_ms > 0) await pause(this.run.pace_ms, this.abort.signal);
      else await new Promise((r) => setImmediate(r));
    }
    await this.storing;
  }

  /**
   * Hands the step over to be stored once the previous one is: the next step is worked out while
   * this one is being written (on another core when storage or the bus is there), but steps are
   * stored one at a time, in order, and a failed write ends the run at the next step.
   */
  private async recordStep(date: string, fills: Fill[], reasoning: string, equity: number) {
    await this.storing;
    await this.reasoning.flush();
    const { step, total_steps } = this.progress!;
    const { held, stored } = recordStep(this.store, {
      model: this.model,
      run: this.run,
      step,
      totalSteps: total_steps,
      date,
      book: this.book,
      lastPrice: this.lastPrice,
      tradeCount: this.tradeCount,
      fills,
      reasoning,
      equity,
      portfolio: () => this.portfolio(),
      previous: this.writtenSymbols,
    });
    this.writtenSymbols = held;
    // Awaited before the next step, the run's end or its failure; never left unhandled meanwhile.
    this.storing = stored;
    stored.catch(() => undefined);
  }

  private async finish(status: RunStatus, error: string | null): Promise<RunStatus> {
    // A step still being written when the run failed is stored (or not) before the run closes.
    await this.storing.catch(() => undefined);
    await this.reasoning.flush().catch(() => undefined);
    const curve = await this.store.equityCurve(this.run.id);
    const metrics = computeMetrics(
      [{ date: this.run.start_date, equity: this.model.initial_cash }, ...curve],
      this.filled.map((f) => ({ symbol: f.symbol, action: f.action, quantity: f.quantity, price: f.price, commission: f.commission })),
    );
    await this.store.finish(this.run.id, { status, ended_at: new Date().toISOString(), error, metrics, usage: this.usage });
    await this.log(status === 'failed' ? 'error' : 'info', endWords(this.run.run_number, status, error)).catch(() => undefined);
    await this.emit([completeEvent(this.run.run_number, status, error, metrics)]).catch(() => undefined);
    return status;
  }
}

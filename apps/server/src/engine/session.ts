import { setTimeout as delay } from 'node:timers/promises';
import type { Bar, EventType, Portfolio, RunStatus, Usage } from '@tradewire/contract';
import type { Agent } from '../agents/agent.js';
import type { EventBus, EventDraft } from '../events/event-bus.js';
import type { ModelRecord, PositionRecord, RunRecord, StoredEvent, TradeWrite } from '../storage/records.js';
import type { Storage } from '../storage/storage.js';
import { type Book, type Fill, equityOf, executeOrders, stopLossOrders } from './broker.js';
import { computeMetrics } from './metrics.js';
import { portfolioView } from './portfolio.js';

/** What a run trades over: loaded and checked before the run is created. */
export interface RunPlan {
  /** The market data set the run trades on. */
  dataset: string;
  symbols: string[];
  /** Trading days of the run, oldest first. */
  calendar: string[];
  /** Per symbol: bars from before the start (for indicators) through the end date. */
  bars: Map<string, Bar[]>;
}

export interface Progress {
  step: number;
  total_steps: number;
  date: string;
}

type EndReason = 'stopped' | 'interrupted';

/** What a session offers the agent it runs (the LLM agent streams reasoning and counts tokens). */
export interface SessionHooks {
  /** Aborted when the run is stopped or interrupted: cancel calls in flight. */
  signal: AbortSignal;
  /** Text to stream as `reasoning` events (at most 10 per second, batched). */
  reasoning(text: string): void;
  log(level: 'info' | 'warn' | 'error', message: string): Promise<void>;
  usage(u: { prompt_tokens: number; completion_tokens: number }): void;
}

/** At most this many reasoning events per second per model. */
const REASONING_INTERVAL_MS = 100;

/** Waits between steps; a stop request cuts the wait short. */
const pause = (ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }).catch(() => undefined);

/** One trading session: steps through the calendar, fills orders, records and streams every step. */
export class Session {
  readonly done: Promise<RunStatus>;
  progress: Progress | null = null;
  private book: Book;
  private readonly lastPrice = new Map<string, number>();
  private readonly abort = new AbortController();
  private endReason: EndReason | null = null;
  private tradeCount = 0;
  private readonly filled: Fill[] = [];
  private usage: Usage | null = null;
  private pendingReasoning = '';
  private reasoningTimer: NodeJS.Timeout | null = null;
  private lastReasoningAt = 0;

  constructor(
    readonly model: ModelRecord,
    readonly run: RunRecord,
    private readonly plan: RunPlan,
    private readonly agent: (hooks: SessionHooks) => Agent | Promise<Agent>,
    private readonly deps: { storage: Storage; bus: EventBus; onLog?: (msg: string) => void },
  ) {
    this.book = { cash: model.initial_cash, holdings: new Map(), peakEquity: model.initial_cash };
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
      positions: this.positions(),
      initialCash: this.model.initial_cash,
      tradeCount: this.tradeCount,
    });
  }

  private positions(): PositionRecord[] {
    return [...this.book.holdings]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([symbol, h]) => ({ symbol, quantity: h.quantity, avg_cost: h.avgCost, last_price: this.lastPrice.get(symbol) ?? h.avgCost }));
  }

  private draft<T extends EventType>(type: T, data: EventDraft<T>['data']): EventDraft<T> {
    return { type, model_id: this.model.id, user_id: this.model.user_id, run_id: this.run.id, data };
  }

  /** Stores and streams events that are not part of a step. */
  private async emit(drafts: EventDraft[]) {
    await this.deps.bus.commit(drafts, async (events) => {
      for (const e of events) await this.deps.storage.events.add(stored(e));
    });
  }

  private async log(level: 'info' | 'warn' | 'error', message: string) {
    await this.deps.storage.logs.add({ model_id: this.model.id, run_id: this.run.id, level, message, created_at: new Date().toISOString() });
  }

  private async execute(): Promise<RunStatus> {
    try {
      await this.emit([this.draft('status', { message: 'Initializing AI agent...', status: 'running' })]);
      const agent = await this.agent({
        signal: this.abort.signal,
        reasoning: (text) => this.queueReasoning(text),
        log: (level, message) => this.log(level, message),
        usage: (u) => {
          const prev = this.usage ?? { calls: 0, prompt_tokens: 0, completion_tokens: 0 };
          this.usage = { calls: prev.calls + 1, prompt_tokens: prev.prompt_tokens + u.prompt_tokens, completion_tokens: prev.completion_tokens + u.completion_tokens };
        },
      });
      await this.log('info', `Run #${this.run.run_number} started: ${this.plan.calendar.length} trading days, ${this.plan.symbols.length} symbols`);
      await this.emit([this.draft('status', { message: 'Starting trading session...', status: 'running' })]);
      await this.trade(agent);
      if (this.endReason) return await this.finish(this.endReason, null);
      await this.emit([this.draft('session_complete', { message: 'Trading session completed' })]);
      return await this.finish('completed', null);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      await this.log('error', `Run failed: ${message}`).catch(() => undefined);
      await this.emit([this.draft('error', { message: `Agent error: ${message}` })]).catch(() => undefined);
      return this.finish('failed', message);
    }
  }

  private async trade(agent: Agent) {
    const { symbols, calendar, bars } = this.plan;
    const history = new Map<string, Bar[]>(symbols.map((s) => [s, []]));
    const cursor = new Map<string, number>(symbols.map((s) => [s, 0]));
    const allowed = new Set(symbols);
    const costs = { risk: this.model.risk, commissionBps: this.model.commission_bps, slippageBps: this.model.slippage_bps };

    for (let i = 0; i < calendar.length && !this.endReason; i++) {
      const date = calendar[i]!;
      const open = new Map<string, number>();
      const close = new Map<string, number>();
      // History grows by the bars strictly before day t: the agent never sees day t's close.
      for (const s of symbols) {
        const series = bars.get(s) ?? [];
        let c = cursor.get(s)!;
        while (c < series.length && series[c]!.date < date) {
          const bar = series[c++]!;
          history.get(s)!.push(bar);
          this.lastPrice.set(s, bar.close);
        }
        cursor.set(s, c);
        const today = series[c];
        if (today?.date === date) {
          open.set(s, today.open);
          close.set(s, today.close);
        }
      }
      const market = { open, allowed };

      const stops = stopLossOrders(this.book, market, this.model.risk);
      const stopped = executeOrders(this.book, stops, market, costs);
      stopped.fills.forEach((f) => (f.reason = `stop-loss at ${this.model.risk.stop_loss_pct}% below cost`));
      this.book = stopped.book;

      const markPrices = new Map([...this.lastPrice, ...open]);
      const decision = await agent.decide({
        date,
        step: i + 1,
        symbols,
        history,
        open,
        cash: this.book.cash,
        positions: new Map([...this.book.holdings].map(([s, h]) => [s, h.quantity])),
        equity: equityOf(this.book, markPrices),
      });
      if (this.endReason === 'interrupted') break;
      const result = executeOrders(this.book, decision.orders, market, costs);
      this.book = result.book;
      const fills = [...stopped.fills, ...result.fills];

      for (const [s, p] of close) this.lastPrice.set(s, p);
      const equity = equityOf(this.book, this.lastPrice);
      this.book = { ...this.book, peakEquity: Math.max(this.book.peakEquity, equity) };
      const filled = fills.filter((f) => f.status === 'filled');
      this.filled.push(...filled);
      this.tradeCount += filled.length;
      this.progress = { step: i + 1, total_steps: calendar.length, date };
      if (filled.length > 0 || decision.orders.length > 0) await this.log('info', `${date}: ${decision.reasoning}`);
      await this.recordStep(date, fills, decision.reasoning, equity);

      if (this.run.pace_ms > 0) await pause(this.run.pace_ms, this.abort.signal);
      else await new Promise((r) => setImmediate(r));
    }
  }

  /** Batches reasoning so a chatty model produces at most one event per interval. */
  private queueReasoning(text: string) {
    this.pendingReasoning += text;
    if (this.reasoningTimer) return;
    const wait = Math.max(0, this.lastReasoningAt + REASONING_INTERVAL_MS - Date.now());
    this.reasoningTimer = setTimeout(() => void this.flushReasoning(), wait);
  }

  private async flushReasoning() {
    if (this.reasoningTimer) clearTimeout(this.reasoningTimer);
    this.reasoningTimer = null;
    const text = this.pendingReasoning;
    if (!text) return;
    this.pendingReasoning = '';
    this.lastReasoningAt = Date.now();
    await this.emit([this.draft('reasoning', { message: text, text })]);
  }

  private async recordStep(date: string, fills: Fill[], reasoning: string, equity: number) {
    await this.flushReasoning();
    const step = this.progress!.step;
    const total = this.progress!.total_steps;
    const drafts: EventDraft[] = [
      this.draft('progress', {
        message: `Step ${step}/${total}: ${date}`,
        step,
        total_steps: total,
        date,
        cash: this.book.cash,
        equity,
        return_pct: Math.round((equity / this.model.initial_cash - 1) * 1e6) / 1e4,
      }),
    ];
    const created_at = new Date().toISOString();
    const trades: TradeWrite[] = fills.map((f) => ({ ...f, run_id: this.run.id, model_id: this.model.id, step, date, created_at }));
    if (fills.length === 0) {
      drafts.push(
        this.draft('trade', {
          message: `AI decided to HOLD positions: ${reasoning}`,
          action: 'hold', date, symbol: null, quantity: 0, price: 0, amount: 0, commission: 0,
          cash_after: this.book.cash, status: 'filled', reason: null,
        }),
      );
    }
    for (const f of fills) {
      const verb = f.action.toUpperCase();
      const message =
        f.status === 'filled'
          ? `AI executing ${verb} order: ${f.quantity} ${f.symbol} @ ${f.price.toFixed(2)}`
          : `${verb} ${f.quantity} ${f.symbol} rejected: ${f.reason}`;
      drafts.push(this.draft('trade', { message, date, ...f }));
    }
    if (fills.some((f) => f.status === 'filled')) {
      const p = this.portfolio();
      drafts.push(this.draft('portfolio', { message: `Equity ${p.equity.toFixed(2)} (${p.return_pct.toFixed(2)}%)`, ...p }));
    }
    await this.deps.bus.commit(drafts, (events) =>
      this.deps.storage.runs.recordStep({
        run_id: this.run.id,
        step,
        date,
        cash: this.book.cash,
        trade_count: this.tradeCount,
        positions: this.positions(),
        trades,
        equity: { step, date, equity, cash: this.book.cash },
        events: events.map(stored),
      }),
    );
  }

  private async finish(status: RunStatus, error: string | null): Promise<RunStatus> {
    await this.flushReasoning().catch(() => undefined);
    const curve = await this.deps.storage.runs.equityCurve(this.run.id);
    const metrics = computeMetrics(
      [{ date: this.run.start_date, equity: this.model.initial_cash }, ...curve],
      this.filled.map((f) => ({ symbol: f.symbol, action: f.action, quantity: f.quantity, price: f.price, commission: f.commission })),
    );
    await this.deps.storage.runs.finish(this.run.id, { status, ended_at: new Date().toISOString(), error, metrics, usage: this.usage });
    const words: Record<RunStatus, string> = {
      completed: 'completed',
      stopped: 'stopped by the user',
      interrupted: 'interrupted by a server shutdown',
      failed: `failed: ${error}`,
      running: 'running',
    };
    await this.log(status === 'failed' ? 'error' : 'info', `Run #${this.run.run_number} ${words[status]}`).catch(() => undefined);
    await this.emit([this.draft('complete', { message: `Run #${this.run.run_number} ${words[status]}`, status, metrics })]).catch(
      () => undefined,
    );
    return status;
  }
}

const stored = (e: { id: string; type: string; timestamp: string; model_id: number | null; run_id: number | null; data: object }): StoredEvent => ({
  id: Number(e.id),
  model_id: e.model_id!,
  run_id: e.run_id,
  type: e.type,
  timestamp: e.timestamp,
  data: e.data as Record<string, unknown>,
});

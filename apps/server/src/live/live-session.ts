import type { Bar, Portfolio, RunStatus, TradingStatus, Usage } from '@tradewire/contract';
import type { Agent } from '../agents/agent.js';
import { type Book, equityOf, positionsOf } from '../domain/book.js';
import { type Fill, flattenOrders, type Order } from '../domain/order.js';
import type { EndReason, Progress } from '../domain/run.js';
import type { SessionHooks } from '../domain/session-hooks.js';
import { type TradingRules, tradingRulesOf } from '../domain/trading-rules.js';
import { fillOrders, stopLossOrders } from '../engine/broker.js';
import { computeMetrics } from '../engine/metrics.js';
import { portfolioView } from '../engine/portfolio.js';
import { completeEvent, endWords, stepEvents } from '../engine/step-events.js';
import { recordStep } from '../engine/step-record.js';
import { type SessionStore, localStore } from '../engine/session-store.js';
import type { EventBody, EventBus } from '../events/event-bus.js';
import type { LiveRunState, ModelRecord, RunRecord } from '../storage/records.js';
import { isRunClosed, type Storage } from '../storage/storage.js';
import { type ExchangeCalendar, formatEastern } from './exchange-calendar.js';
import type { BarSubscription, Clock, FeedStatus, LiveBar, LiveBarSource, PaperBroker, Timeframe } from './ports.js';
import { type BarSlot, BarSchedule, waitingWords } from './schedule.js';
import { isIntraday, resample, sourceTimeframe, TIMEFRAME_MS, toBar } from './timeframe.js';

/** What a live run trades: the symbols at one resolution, bars from the data set's provider. */
export interface LivePlan {
  dataset: string;
  symbols: string[];
  timeframe: Timeframe;
  /** Intraday: sell every position at the open of each session's last bar. */
  flatAtClose?: boolean;
}

/** Where a live session's bars, fills and time come from. */
export interface LiveDeps {
  storage: Storage;
  bus: EventBus;
  source: LiveBarSource;
  broker: PaperBroker;
  calendar: ExchangeCalendar;
  clock: Clock;
}

/** Bars kept per symbol for the agent's indicators. */
const HISTORY_BARS = 600;
/** Daily history loaded at the start: enough for a 200-day indicator. */
const DAILY_HISTORY_DAYS = 420;
/** Providers publish a bar a moment after it ends; the first poll waits this long. */
const INTRADAY_LAG_MS = 3_000;
/** A day's bar is final a while after the close (late prints, the closing auction). */
const DAILY_LAG_MS = 15 * 60_000;
/** Waits between polls while a bar is late or the provider is down: doubling up to the cap. */
const BACKOFF_FIRST_MS = 2_000;
const BACKOFF_CAP_MS = 60_000;

const DAY_MS = 86_400_000;
/** The longest an intraday decision may come after its bar's end (plus the publishing lag). */
const FRESH_CAP_MS = 60_000;

/** A stop request that leaves a live run `running`, for the next process to resume. */
export type LiveEndReason = EndReason | 'suspended';

/**
 * A live run: forward paper trading on the exchange's calendar and the clock, bar by bar, until
 * stopped. At the end of each bar it pulls the newest bars from the provider, fills the orders
 * placed at the previous bar's end at this bar's open (the same price a backtest fills at: the
 * first price anyone could trade at after the decision), marks the book at the close and asks the
 * agent for the next bar's orders. It never decides on a bar that has already passed: after a
 * restart or an outage the missed bars join the history, orders placed before them fill at the
 * first one's open, and decisions resume with the first fresh bar.
 */
export class LiveSession {
  readonly done: Promise<RunStatus>;
  progress: Progress | null = null;
  private book: Book;
  private readonly rules: TradingRules;
  private readonly schedule: BarSchedule;
  private readonly history = new Map<string, Bar[]>();
  private lastPrice = new Map<string, number>();
  private pending: LiveRunState | null = null;
  private readonly abort = new AbortController();
  private endReason: LiveEndReason | null = null;
  private tradeCount = 0;
  /** The symbols of the positions as last stored; undefined until this process stores a step. */
  private writtenSymbols: string[] | undefined;
  private step = 0;
  private readonly filled: Fill[] = [];
  private usage: Usage | null = null;
  private status: NonNullable<TradingStatus['live']>;
  /** The source's push subscription, when it has one (Alpaca's websocket): polls then only fill gaps. */
  private subscription: BarSubscription | null = null;
  /** Streamed bars not yet in the history, by symbol. */
  private readonly streamed = new Map<string, LiveBar[]>();
  /** Where the run's record goes: stored, then told. */
  private readonly store: SessionStore;

  constructor(
    readonly model: ModelRecord,
    readonly run: RunRecord,
    private readonly plan: LivePlan,
    private readonly agent: (hooks: SessionHooks) => Agent | Promise<Agent>,
    private readonly deps: LiveDeps,
    /** True when this process takes over a run a previous one started. */
    private readonly resumed: boolean,
  ) {
    this.book = { cash: model.initial_cash, holdings: new Map(), peakEquity: model.initial_cash };
    this.rules = tradingRulesOf(model);
    this.store = localStore(deps);
    this.schedule = new BarSchedule(deps.calendar, plan.timeframe);
    for (const s of plan.symbols) this.history.set(s, []);
    this.status = { next_decision_at: null, message: 'starting', healthy: true, source: deps.source.name, broker: deps.broker.name };
    this.done = this.execute();
  }

  /** Ends the run after the current step (`suspended`: leaves it running for a restart to resume); idempotent. */
  stop(reason: LiveEndReason = 'stopped') {
    this.endReason ??= reason;
    this.abort.abort();
  }

  /** When the run decides next and how its provider is doing. */
  liveStatus(): NonNullable<TradingStatus['live']> {
    return { ...this.status };
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

  private now() {
    return this.deps.clock.now();
  }

  private async emit(bodies: EventBody[]) {
    if (bodies.length === 0) return;
    const drafts = bodies.map((b) => ({ ...b, model_id: this.model.id, user_id: this.model.user_id, run_id: this.run.id }));
    await this.store.emit(drafts);
  }

  private async log(level: 'info' | 'warn' | 'error', message: string) {
    await this.store.log({ model_id: this.model.id, run_id: this.run.id, level, message, created_at: new Date().toISOString() });
  }

  private async execute(): Promise<RunStatus> {
    try {
      await this.emit([{ type: 'status', data: { message: this.resumed ? 'Resuming live trading...' : 'Initializing AI agent...', status: 'running' } }]);
      const agent = await this.agent({
        signal: this.abort.signal,
        reasoning: (text) => void this.emit([{ type: 'reasoning', data: { message: text, text } }]).catch(() => undefined),
        log: (level, message) => this.log(level, message),
        usage: (u) => {
          const prev = this.usage ?? { calls: 0, prompt_tokens: 0, completion_tokens: 0 };
          this.usage = { calls: prev.calls + 1, prompt_tokens: prev.prompt_tokens + u.prompt_tokens, completion_tokens: prev.completion_tokens + u.completion_tokens };
        },
      });
      await this.restore();
      const { symbols, timeframe } = this.plan;
      await this.log(
        'info',
        `Live run #${this.run.run_number} ${this.resumed ? 'resumed' : 'started'}: ${timeframe} bars of ${symbols.join(', ')} from ${this.deps.source.name}, ` +
          `${this.deps.broker.name} broker, ${this.deps.calendar.source} calendar`,
      );
      await this.trade(agent);
      if (this.endReason === 'suspended') return 'running';
      return await this.finish(this.endReason === 'interrupted' ? 'interrupted' : 'stopped', null);
    } catch (e) {
      if (isRunClosed(e)) return 'interrupted';
      if (this.endReason === 'suspended') return 'running';
      const message = e instanceof Error ? e.message : String(e);
      await this.log('error', `Run failed: ${message}`).catch(() => undefined);
      await this.emit([{ type: 'error', data: { message: `Live trading error: ${message}` } }]).catch(() => undefined);
      return this.finish('failed', message);
    }
  }

  /** The book, counters and pending orders as the run's last step left them (a resumed run). */
  private async restore() {
    const { storage } = this.deps;
    const run = (await storage.runs.byId(this.run.id)) ?? this.run;
    this.step = run.step;
    this.tradeCount = run.trade_count;
    const positions = await storage.runs.positions(run.id);
    const curve = await storage.runs.equityCurve(run.id);
    if (run.step > 0) {
      this.book = {
        cash: run.cash,
        holdings: new Map(positions.map((p) => [p.symbol, { quantity: p.quantity, avgCost: p.avg_cost }])),
        peakEquity: Math.max(this.model.initial_cash, ...curve.map((p) => p.equity)),
      };
      this.lastPrice = new Map(positions.map((p) => [p.symbol, p.last_price]));
      this.progress = { step: run.step, total_steps: run.step, date: run.last_date ?? '' };
    }
    this.pending = (await storage.runs.liveState(run.id)) ?? null;
  }

  private async trade(agent: Agent) {
    const { source } = this.deps;
    if (source.subscribe && isIntraday(this.plan.timeframe)) {
      this.status = { ...this.status, source: `${source.name} (stream connecting)` };
      this.subscription = source.subscribe(this.plan.symbols, {
        onBar: (bar) => this.onStreamBar(bar),
        onStatus: (status: FeedStatus) => {
          this.status = { ...this.status, source: `${source.name} (stream ${status.state})` };
        },
      });
    }
    try {
      await this.tradeBars(agent);
    } finally {
      await this.subscription?.close().catch(() => undefined);
      this.subscription = null;
    }
  }

  private async tradeBars(agent: Agent) {
    const signal = this.abort.signal;
    await this.schedule.load(this.now(), signal);
    await this.pollUntilDone(null);
    // Where the run is: after the last bar it acted on, or (new run) now.
    let cursor = this.pending ? this.slotEndOf(this.pending.last_bar) : this.now();
    while (!this.endReason) {
      await this.schedule.load(Math.max(cursor, this.now()), signal);
      const slot = this.schedule.nextSlot(cursor);
      if (!slot) throw new Error(`the ${this.deps.calendar.source} calendar has no trading days ahead`);
      const decideAt = slot.end + (isIntraday(this.plan.timeframe) ? INTRADAY_LAG_MS : DAILY_LAG_MS);
      if (decideAt > this.now()) {
        this.setStatus(decideAt, waitingWords(this.now(), slot, decideAt, !isIntraday(this.plan.timeframe)), true);
        await this.deps.clock.sleepUntil(decideAt, signal);
        if (this.endReason) break;
      }
      const got = (await this.takeStreamed(slot)) || (await this.pollUntilDone(slot));
      if (this.endReason) break;
      if (!got) {
        // No bar in a whole bar's time (an early close the calendar did not know, a halt): orders wait for one.
        await this.log('warn', `no ${this.plan.timeframe} bar for ${this.dateOf(slot)} from ${this.deps.source.name}; waiting for the next`);
        cursor = slot.end;
        continue;
      }
      // The newest bar that is over: the slot itself, or a later one when the run is behind.
      const latest = this.latestEndedSlot(slot);
      await this.act(agent, latest);
      cursor = latest.end;
    }
  }

  /** The last slot that has ended by now, at or after `slot`. */
  private latestEndedSlot(slot: BarSlot): BarSlot {
    let latest = slot;
    for (let next = this.schedule.after(latest); next && next.end <= this.now(); next = this.schedule.after(next)) latest = next;
    return latest;
  }

  /** The end of the slot a bar belongs to (its start as bars are dated). */
  private slotEndOf(barDate: string): number {
    if (!isIntraday(this.plan.timeframe)) return this.schedule.sessionOn(barDate)?.close ?? Date.parse(`${barDate}T21:00:00Z`);
    const start = Date.parse(barDate);
    return this.schedule.nextSlot(start)?.end ?? start + TIMEFRAME_MS[this.plan.timeframe];
  }

  /**
   * Polls the provider until a bar of `slot` is in (null: just the history up to now), backing
   * off while the provider is down or the bar late, and telling both in the status. Gives up on
   * a slot once the next one has ended too (no trade in a whole bar: the symbols did not trade).
   */
  private async pollUntilDone(slot: BarSlot | null): Promise<boolean> {
    const signal = this.abort.signal;
    for (let attempt = 0; !this.endReason; attempt++) {
      try {
        await this.pollNewBars();
        if (!this.status.healthy) await this.log('info', `${this.deps.source.name} answers again`);
        if (slot === null) return true;
        if (this.hasBarOf(slot)) return true;
        const next = this.schedule.after(slot);
        if (next && next.end + INTRADAY_LAG_MS <= this.now()) return false;
        const wait = Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** attempt);
        this.setStatus(null, `waiting for the ${formatEastern(slot.opensAt, this.now())} bar from ${this.deps.source.name}`, true);
        await this.deps.clock.sleepUntil(this.now() + wait, signal);
      } catch (e) {
        if (signal.aborted) return false;
        const wait = Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** attempt);
        const message = `${this.deps.source.name} unreachable: ${e instanceof Error ? e.message : String(e)}; retrying in ${Math.round(wait / 1000)} s`;
        if (this.status.healthy) {
          await this.log('warn', message).catch(() => undefined);
          await this.emit([{ type: 'status', data: { message, status: 'running' } }]).catch(() => undefined);
        }
        this.setStatus(null, message, false);
        await this.deps.clock.sleepUntil(this.now() + wait, signal);
      }
    }
    return false;
  }

  private hasBarOf(slot: BarSlot): boolean {
    const date = this.dateOf(slot);
    return this.plan.symbols.some((s) => (this.history.get(s)!.at(-1)?.date ?? '') >= date);
  }

  /** A slot's bar date: `YYYY-MM-DD` for daily bars, the start instant for intraday ones. */
  private dateOf(slot: BarSlot): string {
    return isIntraday(this.plan.timeframe) ? slot.start : slot.session.date;
  }

  /** Fetches every complete bar newer than the history, adds it, streams each as a `bar` event. */
  private async pollNewBars(): Promise<Bar[]> {
    const { symbols, timeframe } = this.plan;
    const fetchTf = sourceTimeframe(timeframe);
    const known = symbols.map((s) => this.history.get(s)!.at(-1)?.date).filter((d): d is string => d !== undefined);
    const newest = known.length === symbols.length ? known.sort()[0]! : undefined;
    const since = newest
      ? isIntraday(timeframe)
        ? newest
        : `${newest}T00:00:00Z`
      : isIntraday(timeframe)
        ? new Date(this.schedule.firstSession()?.open ?? this.now() - 10 * DAY_MS).toISOString()
        : new Date(this.now() - DAILY_HISTORY_DAYS * DAY_MS).toISOString();
    const raw = await this.deps.source.poll({ symbols, timeframe: fetchTf, since, until: new Date(this.now()).toISOString() }, this.abort.signal);
    return this.merge(raw, newest !== undefined);
  }

  /**
   * Adds bars (the source's or the stream's, any finer resolution) to the history: regular hours,
   * resampled to the run's bars, complete ones newer than what is held. Streams each as a `bar`
   * event when `tell` (not for the first load of history).
   */
  private async merge(raw: LiveBar[], tell: boolean): Promise<Bar[]> {
    const fresh: Bar[] = [];
    const events: EventBody[] = [];
    for (const symbol of this.plan.symbols) {
      const bars = this.regularHours(raw.filter((b) => b.symbol === symbol));
      const series = this.history.get(symbol)!;
      for (const b of bars) {
        const bar = toBar(b);
        const last = series.at(-1);
        if (last && bar.date <= last.date) continue;
        series.push(bar);
        fresh.push(bar);
        this.lastPrice.set(symbol, bar.close);
        if (tell) events.push(barEvent(b));
      }
      if (series.length > HISTORY_BARS) series.splice(0, series.length - HISTORY_BARS);
    }
    await this.emit(events);
    return fresh;
  }

  /**
   * The streamed bars that complete `slot` for every symbol, merged into the history: true when
   * the stream had them all (no poll needed), false to poll for what it missed.
   */
  private async takeStreamed(slot: BarSlot): Promise<boolean> {
    if (!this.subscription || !isIntraday(this.plan.timeframe)) return false;
    const lastMinute = slot.end - 60_000;
    const complete = this.plan.symbols.every((s) => (this.streamed.get(s) ?? []).some((b) => Date.parse(b.start) >= lastMinute));
    if (!complete) return false;
    const raw = [...this.streamed.values()].flat().sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    this.streamed.clear();
    await this.merge(raw, true);
    return this.hasBarOf(slot);
  }

  /** A bar pushed by the source's stream: kept until the run's bar it belongs to is complete. */
  private onStreamBar(bar: LiveBar) {
    if (!this.plan.symbols.includes(bar.symbol)) return;
    const list = this.streamed.get(bar.symbol) ?? [];
    // A bar the history already holds (a poll was quicker) is not kept.
    const held = this.history.get(bar.symbol)!.at(-1)?.date;
    if (held && bar.start <= held) return;
    list.push(bar);
    this.streamed.set(bar.symbol, list);
  }

  /** Bars in regular hours at the run's resolution: resampled (hours from quarters), complete ones only. */
  private regularHours(bars: LiveBar[]): LiveBar[] {
    const { timeframe } = this.plan;
    if (!isIntraday(timeframe)) return bars;
    const inHours = bars.filter((b) => this.schedule.anchor(Date.parse(b.start)) !== null);
    if (inHours.every((b) => b.timeframe === timeframe)) return inHours;
    const now = this.now();
    return resample(
      inHours,
      timeframe,
      (t) => this.schedule.anchor(t)!,
      (start) => (this.schedule.nextSlot(start)?.end ?? Infinity) <= now,
    );
  }

  /**
   * One step at the end of `slot`: fills the orders placed before it at the open of the bar that
   * followed their decision, marks the book at the close, and asks the agent for the next bar's
   * orders while `slot` is fresh (the next bar has not ended). Writes nothing when there was
   * nothing to fill and no decision.
   */
  private async act(agent: Agent, slot: BarSlot) {
    const date = this.dateOf(slot);
    const allowed = new Set(this.plan.symbols);
    const fills: Fill[] = [];
    const reasons: string[] = [];
    // 1. The orders placed at the previous decision fill at the open of the bar after it.
    if (this.pending && this.pending.pending.length > 0) {
      // Each symbol's first bar after the decision: the first price its order could trade at.
      const prices = new Map<string, number>();
      for (const s of this.plan.symbols) {
        const bar = this.history.get(s)!.find((b) => b.date > this.pending!.last_bar);
        if (bar) prices.set(s, bar.open);
      }
      const stepKey = `run-${this.run.id}-step-${this.step + 1}`;
      const result = await this.deps.broker.execute({ orders: this.pending.pending, book: this.book, prices, allowed, stepKey }, this.abort.signal);
      this.book = result.book;
      fills.push(...result.fills);
    }
    this.pending = null;
    // 2. Stops are checked at this bar's close, to sell at the next open like any order.
    const closes = new Map<string, number>();
    for (const s of this.plan.symbols) {
      const bar = this.history.get(s)!.find((b) => b.date === date);
      if (bar) closes.set(s, bar.close);
    }
    const fresh = this.isFresh(slot);
    let orders: Order[] = [];
    if (fresh) {
      const stops = stopLossOrders(this.book, { open: closes, allowed }, this.rules.risk);
      const next = this.schedule.after(slot);
      const book = this.book;
      const marks = new Map([...this.lastPrice]);
      const decision = await agent.decide({
        date: next ? this.dateOf(next) : date,
        step: this.step + 1,
        symbols: this.plan.symbols,
        history: this.history,
        // The next bar's open is not known yet: the latest close stands in for sizing.
        open: marks,
        cash: book.cash,
        positions: new Map([...book.holdings].map(([s, h]) => [s, h.quantity])),
        equity: equityOf(book, marks),
        preview: (o) => fillOrders(book, o, { open: marks, allowed }, this.rules),
      });
      if (this.endReason === 'interrupted' || this.endReason === 'suspended') return;
      // The next bar is the session's last: its open is the last chance to be flat by the close.
      const lastOfDay = next !== null && this.plan.flatAtClose === true && isIntraday(this.plan.timeframe) && next.end === next.session.close;
      orders = lastOfDay ? flattenOrders(book.holdings) : [...stops, ...decision.orders];
      reasons.push(decision.reasoning);
    } else if (fills.length === 0) {
      return;
    } else {
      reasons.push('filled the orders placed before the bars missed while the run was not watching; no decision on a bar that has passed');
    }
    if (fills.length === 0 && orders.length === 0 && !fresh) return;
    this.step++;
    const equity = equityOf(this.book, this.lastPrice);
    this.book = { ...this.book, peakEquity: Math.max(this.book.peakEquity, equity) };
    const filled = fills.filter((f) => f.status === 'filled');
    this.filled.push(...filled);
    this.tradeCount += filled.length;
    this.progress = { step: this.step, total_steps: this.step, date };
    const placed = orders.map((o) => `${o.side} ${o.quantity} ${o.symbol}`).join(', ');
    const reasoning = [...reasons, placed ? `placed for the next open: ${placed}` : ''].filter(Boolean).join('; ');
    if (filled.length > 0 || orders.length > 0) await this.log('info', `${date}: ${reasoning}`);
    const live: LiveRunState = { last_bar: date, pending: orders.map((o) => ({ symbol: o.symbol, side: o.side, quantity: o.quantity, ...(o.reason ? { reason: o.reason } : {}) })) };
    await this.recordStep(date, fills, reasoning, equity, live);
    this.pending = live;
  }

  /**
   * Whether a decision on `slot` can still be honest: its orders fill at the next bar's open, so a
   * daily decision must come before that open, an intraday one within moments of the bar's end
   * (a quarter of a bar, at most a minute, past the publishing lag). Later, the next decision waits
   * for the next bar.
   */
  private isFresh(slot: BarSlot): boolean {
    if (!isIntraday(this.plan.timeframe)) {
      const next = this.schedule.after(slot);
      return !next || this.now() < next.opensAt;
    }
    return this.now() < slot.end + INTRADAY_LAG_MS + Math.min(TIMEFRAME_MS[this.plan.timeframe] / 4, FRESH_CAP_MS);
  }

  private setStatus(nextAt: number | null, message: string, healthy: boolean) {
    this.status = { ...this.status, next_decision_at: nextAt === null ? null : new Date(nextAt).toISOString(), message, healthy };
  }

  private async recordStep(date: string, fills: Fill[], reasoning: string, equity: number, live: LiveRunState) {
    const { held, stored } = recordStep(this.store, {
      model: this.model,
      run: this.run,
      step: this.step,
      totalSteps: this.step,
      date,
      book: this.book,
      lastPrice: this.lastPrice,
      tradeCount: this.tradeCount,
      fills,
      reasoning,
      equity,
      portfolio: () => this.portfolio(),
      previous: this.writtenSymbols,
      live,
      wording: liveSteps,
    });
    await stored;
    this.writtenSymbols = held;
  }

  private async finish(status: RunStatus, error: string | null): Promise<RunStatus> {
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

/** A step's events, its progress marked live (dashboards show a bar count, not a share done). */
function liveSteps(report: Parameters<typeof stepEvents>[0]): EventBody[] {
  return stepEvents(report).map((b) =>
    b.type === 'progress' ? { ...b, data: { ...b.data, mode: 'live' as const, message: `Bar ${b.data.step}: ${b.data.date}` } } : b,
  );
}

/** A new bar as the stream tells it. */
function barEvent(b: LiveBar): EventBody {
  const bar = toBar(b);
  return {
    type: 'bar',
    data: { message: `${b.symbol} ${b.timeframe} bar ${bar.date}: close ${b.close}`, symbol: b.symbol, timeframe: b.timeframe, ...bar },
  };
}

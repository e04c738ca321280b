import { BACKTEST_LIMITS, type BacktestRequest, type BacktestResult } from '@tradewire/contract';
import { agentContextOf, createAgent } from '../agents/registry.js';
import { AppError } from '../domain/errors.js';
import { tradingRulesOf } from '../domain/trading-rules.js';
import { configSnapshot, planRun } from '../engine/run-plan.js';
import { Session } from '../engine/session.js';
import { localStore } from '../engine/session-store.js';
import { MemoryEventBus } from '../events/memory-bus.js';
import type { MarketData } from '../market/market-data.js';
import type { ModelWrite } from '../storage/records.js';
import { openSqlite } from '../storage/sqlite.js';
import type { Caller } from './principal.js';
import { benchmarkOf, recordedFills, recordedRoundTrips } from './results.js';

/** Events a backtest's own bus keeps per model: nobody subscribes to it. */
const SCRATCH_BUFFER = 16;

/**
 * Backtests running now, per user and on this node. `acquire` takes a place or refuses with
 * `too_many_backtests` (429); the function it returns gives the place back, once.
 */
export class BacktestSlots {
  private readonly byUser = new Map<number, number>();
  private total = 0;

  constructor(
    private readonly perUser: number,
    private readonly perNode: number,
  ) {}

  acquire(userId: number): () => void {
    const mine = this.byUser.get(userId) ?? 0;
    if (mine >= this.perUser) {
      throw new AppError('too_many_backtests', `you already have ${mine} backtests running (at most ${this.perUser} at once): wait for one to finish`);
    }
    if (this.total >= this.perNode) {
      throw new AppError('too_many_backtests', `the server is running ${this.total} backtests (at most ${this.perNode} at once): try again in a moment`);
    }
    this.byUser.set(userId, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.byUser.get(userId) ?? 1) - 1;
      if (left > 0) this.byUser.set(userId, left);
      else this.byUser.delete(userId);
    };
  }

  running(userId?: number): number {
    return userId === undefined ? this.total : (this.byUser.get(userId) ?? 0);
  }
}

/**
 * "Backtest now": a strategy played over a range at pace 0 while the client waits, by the same
 * session loop, broker and agents as a saved model's run, into a throwaway in-memory SQLite store
 * and event bus. Nothing is saved; the answer is the run's metrics, equity against buy-and-hold and
 * round trips, computed by the same code as a stored run's results.
 */
export class BacktestService {
  readonly slots: BacktestSlots;

  constructor(
    private readonly deps: { market: MarketData },
    limits: { perUser: number; perNode: number } = { perUser: BACKTEST_LIMITS.maxConcurrentPerUser, perNode: BACKTEST_LIMITS.maxConcurrentPerNode },
  ) {
    this.slots = new BacktestSlots(limits.perUser, limits.perNode);
  }

  /** `signal` aborts the backtest (its client went away): the session stops after its current day. */
  async run(caller: Caller, body: BacktestRequest, signal?: AbortSignal): Promise<BacktestResult> {
    const release = this.slots.acquire(caller.userId);
    try {
      return await this.play(body, signal);
    } finally {
      release();
    }
  }

  private async play(body: BacktestRequest, signal?: AbortSignal): Promise<BacktestResult> {
    const market = await this.deps.market.forDataset(body.dataset);
    if (!market) throw new AppError('unknown_dataset', `dataset: no data set named ${body.dataset}`);
    const requested = [...new Set(body.allowed_symbols)];
    const universe = requested.length > 0 ? requested.length : (await market.symbols()).length;
    if (universe > BACKTEST_LIMITS.maxSymbols) {
      const what = requested.length > 0 ? `lists ${universe} symbols` : `is empty: every symbol of ${body.dataset}, ${universe} of them`;
      throw new AppError('backtest_too_large', `allowed_symbols: ${what}; a backtest trades at most ${BACKTEST_LIMITS.maxSymbols}`);
    }
    if (body.benchmark !== 'universe' && !(await market.info(body.benchmark))) {
      throw new AppError('unknown_symbols', `benchmark: no symbol ${body.benchmark} in data set ${body.dataset}`);
    }
    const plan = await planRun(this.deps.market, { dataset: body.dataset, allowed_symbols: requested }, body, { maxTradingDays: BACKTEST_LIMITS.maxTradingDays });

    const write: ModelWrite = {
      name: 'Backtest',
      description: '',
      agent: body.agent,
      agent_secret: null,
      initial_cash: body.initial_cash,
      allowed_symbols: plan.symbols,
      risk: body.risk,
      commission_bps: body.commission_bps,
      slippage_bps: body.slippage_bps,
      dataset: plan.dataset,
    };
    const storage = await openSqlite(':memory:');
    let bus: MemoryEventBus | undefined;
    try {
      const user = await storage.users.create({ email: 'backtest@localhost', password_hash: '', display_name: 'Backtest' });
      const model = await storage.models.create(user.id, write);
      const run = await storage.runs.create({
        model_id: model.id,
        start_date: plan.calendar[0]!,
        end_date: plan.calendar.at(-1)!,
        pace_ms: 0,
        config: configSnapshot(model, plan),
        started_at: new Date().toISOString(),
        cash: model.initial_cash,
        total_steps: plan.calendar.length,
      });
      bus = await MemoryEventBus.create(storage, SCRATCH_BUFFER);
      const agent = createAgent(body.agent, agentContextOf(tradingRulesOf(model)));
      const session = new Session(model, run, plan, () => agent, localStore({ storage, bus }));
      const stop = () => session.stop('stopped');
      signal?.addEventListener('abort', stop, { once: true });
      const status = await session.done.finally(() => signal?.removeEventListener('abort', stop));

      const finished = (await storage.runs.byId(run.id))!;
      if (status === 'failed') throw new AppError('backtest_failed', `the strategy failed: ${finished.error ?? 'unknown error'}`);
      if (status !== 'completed' || !finished.metrics) throw new AppError('backtest_failed', 'the backtest was stopped before its last day');

      const [curve, trips, fills] = await Promise.all([storage.runs.equityCurve(run.id), recordedRoundTrips(storage, finished), recordedFills(storage, finished)]);
      const benchmark = await benchmarkOf(market, {
        benchmark: body.benchmark,
        universe: plan.symbols,
        dataset: plan.dataset,
        curve,
        start: finished.start_date,
        end: finished.end_date,
        initialCash: model.initial_cash,
        commissionBps: model.commission_bps,
        slippageBps: model.slippage_bps,
      });
      return {
        dataset: plan.dataset,
        symbols: plan.symbols,
        start_date: finished.start_date,
        end_date: finished.end_date,
        trading_days: plan.calendar.length,
        initial_cash: model.initial_cash,
        metrics: finished.metrics,
        equity_curve: curve.map((p) => ({ date: p.date, equity: p.equity, cash: p.cash })),
        benchmark,
        round_trips: trips.round_trips,
        open_positions: trips.open_positions,
        fills: fills.filter((f) => f.status === 'filled' && f.action !== 'hold').length,
        rejected: fills.filter((f) => f.status === 'rejected').length,
      };
    } finally {
      await bus?.close();
      await storage.close();
    }
  }
}

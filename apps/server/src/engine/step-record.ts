import type { Portfolio } from '@tradewire/contract';
import { type Book, positionsOf } from '../domain/book.js';
import type { Fill } from '../domain/order.js';
import type { EventBody } from '../events/event-bus.js';
import type { LiveRunState, ModelRecord, RunRecord, TradeWrite } from '../storage/records.js';
import type { SessionStore } from './session-store.js';
import { type StepReport, stepEvents } from './step-events.js';

/** One finished step of a session, backtest or live, as it is stored and told. */
export interface FinishedStep {
  model: ModelRecord;
  run: RunRecord;
  step: number;
  totalSteps: number;
  date: string;
  book: Book;
  lastPrice: ReadonlyMap<string, number>;
  tradeCount: number;
  fills: Fill[];
  reasoning: string;
  equity: number;
  /** The portfolio after the step's fills; asked for only when something filled. */
  portfolio(): Portfolio;
  /** The symbols held as last stored (undefined before the first step): only those sold are deleted. */
  previous?: string[];
  /** A live run's place between bars, stored in the same transaction. */
  live?: LiveRunState;
  /** The step's events; a live session marks its progress live. Default: stepEvents. */
  wording?(report: StepReport): EventBody[];
}

/**
 * Hands a step over to be stored (cash, positions, trades, equity point, events; in one
 * transaction) and its events delivered once stored. Returns at once with the symbols now held
 * (the next step's `previous`) and `stored`, settled once the step is: a session may work out the
 * next step meanwhile, but hands it over only after this one is stored.
 */
export function recordStep(store: SessionStore, s: FinishedStep): { held: string[]; stored: Promise<void> } {
  const positions = positionsOf(s.book, s.lastPrice);
  const report: StepReport = {
    step: s.step,
    totalSteps: s.totalSteps,
    date: s.date,
    cash: s.book.cash,
    equity: s.equity,
    initialCash: s.model.initial_cash,
    fills: s.fills,
    held: [...s.book.holdings.keys()],
    reasoning: s.reasoning,
    portfolio: s.fills.some((f) => f.status === 'filled') ? s.portfolio() : null,
  };
  const bodies = (s.wording ?? stepEvents)(report);
  const created_at = new Date().toISOString();
  const trades: TradeWrite[] = s.fills.map((f) => ({ ...f, run_id: s.run.id, model_id: s.model.id, step: s.step, date: s.date, created_at }));
  const drafts = bodies.map((b) => ({ ...b, model_id: s.model.id, user_id: s.model.user_id, run_id: s.run.id }));
  const stored = store.step(drafts, {
    run_id: s.run.id,
    step: s.step,
    date: s.date,
    cash: s.book.cash,
    trade_count: s.tradeCount,
    positions,
    previous: s.previous,
    trades,
    equity: { step: s.step, date: s.date, equity: s.equity, cash: s.book.cash },
    ...(s.live ? { live: s.live } : {}),
  });
  return { held: positions.map((p) => p.symbol), stored };
}

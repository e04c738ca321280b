import type { Metrics, Portfolio, RunStatus } from '@tradewire/contract';
import type { Fill } from '../domain/order.js';
import type { EventBody } from '../events/event-bus.js';

/** What one trading step did, as the session tells it. */
export interface StepReport {
  step: number;
  totalSteps: number;
  date: string;
  cash: number;
  equity: number;
  initialCash: number;
  fills: readonly Fill[];
  /** Symbols held at the end of the step. */
  held: readonly string[];
  /** The agent's reasoning for the day. */
  reasoning: string;
  /** The portfolio after the step, when something filled. */
  portfolio: Portfolio | null;
}

const returnPct = (equity: number, initialCash: number) => Math.round((equity / initialCash - 1) * 1e6) / 1e4;

/** The events of one step, in order: progress, each decision, then the portfolio if it changed. */
export function stepEvents(r: StepReport): EventBody[] {
  const events: EventBody[] = [
    {
      type: 'progress',
      data: {
        message: `Step ${r.step}/${r.totalSteps}: ${r.date}`,
        step: r.step,
        total_steps: r.totalSteps,
        date: r.date,
        cash: r.cash,
        equity: r.equity,
        return_pct: returnPct(r.equity, r.initialCash),
      },
    },
  ];
  if (r.fills.length === 0) {
    events.push({
      type: 'decision',
      data: {
        message: `AI decided to HOLD positions: ${clip(r.reasoning, MESSAGE_CHARS)}`,
        action: 'hold',
        date: r.date,
        held: [...r.held],
        reasoning: clip(r.reasoning, REASONING_CHARS),
      },
    });
  }
  for (const f of r.fills) events.push({ type: 'trade', data: { message: fillMessage(f), date: r.date, ...f } });
  if (r.portfolio) {
    const p = r.portfolio;
    events.push({ type: 'portfolio', data: { message: `Equity ${p.equity.toFixed(2)} (${p.return_pct.toFixed(2)}%)`, ...p } });
  }
  return events;
}

/** A hold's message is one feed line; its reasoning is kept whole up to a bound. */
const MESSAGE_CHARS = 280;
const REASONING_CHARS = 4000;
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function fillMessage(f: Fill): string {
  const verb = f.action.toUpperCase();
  return f.status === 'filled' ? `AI executing ${verb} order: ${f.quantity} ${f.symbol} @ ${f.price.toFixed(2)}` : `${verb} ${f.quantity} ${f.symbol} rejected: ${f.reason}`;
}

/** How a run's end is told: in its log and in its `complete` event. */
export function endWords(runNumber: number, status: RunStatus, error: string | null): string {
  const words: Record<RunStatus, string> = {
    completed: 'completed',
    stopped: 'stopped by the user',
    interrupted: 'interrupted by a server shutdown',
    failed: `failed: ${error}`,
    running: 'running',
  };
  return `Run #${runNumber} ${words[status]}`;
}

export const completeEvent = (runNumber: number, status: RunStatus, error: string | null, metrics: Metrics | null): EventBody => ({
  type: 'complete',
  data: { message: endWords(runNumber, status, error), status, metrics },
});

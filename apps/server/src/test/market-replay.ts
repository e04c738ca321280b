import type { Bar, RiskRules } from '@tradewire/contract';
import type { Agent, Decision, Observation } from '../agents/agent.js';
import { fillOrders } from '../engine/broker.js';

const NO_LIMITS: RiskRules = { max_position_pct: 100, max_orders_per_step: 1_000, stop_loss_pct: null, max_drawdown_pct: null, min_cash_pct: 0 };

/** A close per trading day and symbol; null when the symbol does not trade that day. */
export type ClosePaths = Readonly<Record<string, readonly (number | null)[]>>;

export interface ReplayedStep {
  observation: Observation;
  decision: Decision;
}

/** Consecutive calendar days from 2024-01-01: agents only need dates in order. */
export function tradingDays(count: number): string[] {
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
}

/**
 * Drives `agent` over `closes` the way the engine does: on each day it sees the complete bars
 * strictly before that day and the day's open (here equal to its close), then its orders fill
 * at that open without costs or risk checks. The first `warmup` days are history only; `tradable`
 * (default: every symbol) is what the run may trade, while the market shows them all.
 */
export async function replay(
  agent: Agent,
  closes: ClosePaths,
  opts: { cash?: number; warmup?: number; tradable?: string[] } = {},
): Promise<ReplayedStep[]> {
  const symbols = Object.keys(closes);
  const days = tradingDays(Math.max(0, ...symbols.map((s) => closes[s]!.length)));
  const bars = new Map(symbols.map((s) => [s, barsOf(closes[s]!, days)]));
  const lastPrice = new Map<string, number>();
  const positions = new Map<string, number>();
  let cash = opts.cash ?? 10_000;
  const steps: ReplayedStep[] = [];

  for (const [i, date] of days.entries()) {
    const history = new Map(symbols.map((s) => [s, bars.get(s)!.filter((b) => b.date < date)]));
    for (const [s, past] of history) if (past.length > 0) lastPrice.set(s, past.at(-1)!.close);
    const open = new Map<string, number>();
    for (const s of symbols) {
      const close = closes[s]![i];
      if (close !== null && close !== undefined) open.set(s, close);
    }
    if (i < (opts.warmup ?? 0)) continue;
    const prices = new Map([...lastPrice, ...open]);
    const equity = cash + [...positions].reduce((total, [s, q]) => total + q * (prices.get(s) ?? 0), 0);
    const observation: Observation = {
      date,
      step: steps.length + 1,
      symbols: opts.tradable ?? symbols,
      history,
      open,
      cash,
      positions: new Map(positions),
      equity,
      // Previews fill like a broker without costs or limits: these agents decide without asking.
      preview: (orders) =>
        fillOrders(
          { cash, holdings: new Map([...positions].map(([s, quantity]) => [s, { quantity, avgCost: prices.get(s) ?? 0 }])), peakEquity: equity },
          orders,
          { open, allowed: new Set(symbols) },
          { risk: NO_LIMITS, commissionBps: 0, slippageBps: 0 },
        ),
    };
    const decision = await agent.decide(observation);
    steps.push({ observation, decision });
    for (const order of decision.orders) {
      const price = open.get(order.symbol) ?? 0;
      const signed = order.side === 'buy' ? order.quantity : -order.quantity;
      cash -= signed * price;
      const quantity = (positions.get(order.symbol) ?? 0) + signed;
      if (quantity === 0) positions.delete(order.symbol);
      else positions.set(order.symbol, quantity);
    }
  }
  return steps;
}

/** The steps on which the agent ordered, as `date side quantity symbol` lines. */
export function orderLog(steps: readonly ReplayedStep[]): string[] {
  return steps.flatMap(({ observation, decision }) =>
    decision.orders.map((o) => `${observation.date} ${o.side} ${o.quantity} ${o.symbol}`),
  );
}

function barsOf(closes: readonly (number | null)[], days: readonly string[]): Bar[] {
  return closes.flatMap((close, i) =>
    close === null ? [] : [{ date: days[i]!, open: close, high: close, low: close, close, volume: 1_000 }],
  );
}

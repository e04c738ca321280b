import { getCAGR, getMaxDrawdown } from 'trading-signals';
import type { EquityPoint, Metrics } from '@tradewire/contract';

const TRADING_DAYS_PER_YEAR = 252;
/** Below this a standard deviation is float noise on a constant series, not risk. */
const NO_DISPERSION = 1e-12;

/** A filled trade as the broker booked it: `price` is the fill price, `commission` is paid on top. */
export interface FilledTrade {
  symbol: string;
  action: 'buy' | 'sell';
  quantity: number;
  price: number;
  commission: number;
}

/**
 * Performance of a run. `equityCurve` is one point per trading day, oldest first, starting with
 * the opening equity (positive); `trades` are the filled trades in execution order.
 * Risk-free rate 0, 252 trading days a year, every figure rounded to 4 decimals.
 */
export function computeMetrics(equityCurve: readonly Pick<EquityPoint, 'date' | 'equity'>[], trades: readonly FilledTrade[]): Metrics {
  const equities = equityCurve.map((p) => p.equity);
  const returns = dailyReturns(equities);
  const start = equities[0] ?? 0;
  const end = equities.at(-1) ?? 0;
  const hasStart = start > 0; // an empty curve has no return to speak of
  const std = sampleStd(returns);
  const annualize = Math.sqrt(TRADING_DAYS_PER_YEAR);
  const downside = downsideDeviation(returns);
  const pnls = realizedPnls(trades);
  const wins = pnls.filter((pnl) => pnl > 0);
  const grossProfit = sum(wins);
  const grossLoss = -sum(pnls.filter((pnl) => pnl < 0));

  return {
    total_return_pct: round(hasStart ? (end / start - 1) * 100 : 0),
    annualized_return_pct: finiteOrNull(hasStart ? annualizedReturnPct(start, end, returns.length) : 0),
    annualized_volatility_pct: round(std * annualize * 100),
    sharpe: returns.length >= 2 && std > NO_DISPERSION ? round((mean(returns) / std) * annualize) : null,
    sortino: returns.length >= 2 && downside > NO_DISPERSION ? round((mean(returns) / downside) * annualize) : null,
    max_drawdown_pct: round(equities.length > 0 ? getMaxDrawdown(equities) : 0),
    win_rate_pct: pnls.length > 0 ? round((wins.length / pnls.length) * 100) : null,
    // With no losing trade the ratio is infinite, which JSON cannot carry: null.
    profit_factor: grossLoss > 0 ? round(grossProfit / grossLoss) : null,
    trade_count: trades.length,
  };
}

/** Compounding a huge gain over a few days overflows; JSON has no Infinity: null. */
const finiteOrNull = (x: number) => (Number.isFinite(x) ? round(x) : null);

/** Compound annual growth over `days` trading days; a wiped-out account is -100%. */
function annualizedReturnPct(start: number, end: number, days: number): number {
  if (days === 0) return 0;
  if (end <= 0) return -100;
  return getCAGR(start, end, days / TRADING_DAYS_PER_YEAR);
}

function dailyReturns(equities: readonly number[]): number[] {
  return equities.slice(1).map((equity, i) => equity / equities[i]! - 1);
}

/** Sample standard deviation (n - 1); 0 for fewer than two values. */
function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(sum(values.map((v) => (v - m) ** 2)) / (values.length - 1));
}

/** Root mean square of the returns below 0, over all returns (Sortino's target-0 downside deviation). */
function downsideDeviation(returns: readonly number[]): number {
  if (returns.length === 0) return 0;
  return Math.sqrt(sum(returns.map((r) => Math.min(r, 0) ** 2)) / returns.length);
}

/**
 * Realised P&L of every sell, net of commissions, against the average cost of the position
 * (buy commissions included in the cost). Average cost, not FIFO: it is how the portfolio
 * values a position (`avg_cost`), and shares of one symbol are interchangeable.
 */
function realizedPnls(trades: readonly FilledTrade[]): number[] {
  const positions = new Map<string, { quantity: number; cost: number }>();
  const pnls: number[] = [];
  for (const t of trades) {
    const position = positions.get(t.symbol) ?? { quantity: 0, cost: 0 };
    if (t.action === 'buy') {
      positions.set(t.symbol, { quantity: position.quantity + t.quantity, cost: position.cost + t.quantity * t.price + t.commission });
      continue;
    }
    const closed = Math.min(t.quantity, position.quantity);
    if (closed === 0) continue;
    const costOfClosed = (position.cost * closed) / position.quantity;
    pnls.push(closed * t.price - (t.commission * closed) / t.quantity - costOfClosed);
    positions.set(t.symbol, { quantity: position.quantity - closed, cost: position.cost - costOfClosed });
  }
  return pnls;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : sum(values) / values.length;
}

/** 4 decimals, and never -0 (it would print as "-0"). */
function round(x: number): number {
  return Math.round(x * 10_000) / 10_000 + 0;
}

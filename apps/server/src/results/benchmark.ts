import type { Bar, BenchmarkPoint, BenchmarkStats, EquityPoint } from '@tradewire/contract';
import { toCents, toPrice } from '../domain/money.js';
import { covariance, dailyReturns, mean, NO_DISPERSION, round4, sampleStd, TRADING_DAYS_PER_YEAR } from './statistics.js';

/** What to buy and hold, and on what terms: those of the run it is compared with. */
export interface BenchmarkPlan {
  /** One symbol (e.g. QQQ), or the run's symbols for the equal-weighted universe. */
  symbols: readonly string[];
  /** Daily bars of each symbol covering the run, oldest first. */
  bars: ReadonlyMap<string, readonly Bar[]>;
  /** The run's trading days, oldest first (its equity curve's dates). */
  dates: readonly string[];
  initialCash: number;
  commissionBps: number;
  slippageBps: number;
}

/**
 * Equity of buy-and-hold at each of the run's trading days: the cash split equally over the
 * symbols, each bought in whole shares at the open of its first bar in the run (the first day,
 * unless it did not trade then) plus slippage, paying commission, as the broker fills a market
 * buy; then held, marked at each day's close (the last close when it did not trade). Risk limits
 * do not apply: a benchmark is fully invested. Cash a symbol cannot use stays cash.
 */
export function benchmarkCurve(plan: BenchmarkPlan): BenchmarkPoint[] {
  const share = plan.symbols.length > 0 ? plan.initialCash / plan.symbols.length : 0;
  let cash = plan.initialCash;
  const held = plan.symbols.map((symbol) => ({ bars: plan.bars.get(symbol) ?? [], next: 0, quantity: 0, bought: false, close: 0 }));
  return plan.dates.map((date) => {
    let value = 0;
    for (const h of held) {
      while (h.next < h.bars.length && h.bars[h.next]!.date < date) h.close = h.bars[h.next++]!.close;
      const today = h.bars[h.next];
      if (today?.date === date) {
        if (!h.bought) {
          const fill = buyFor(share, today.open, plan);
          h.quantity = fill.quantity;
          cash = toCents(cash - fill.cost);
          h.bought = true;
        }
        h.close = today.close;
      }
      value += h.quantity * h.close;
    }
    return { date, equity: toCents(cash + value) };
  });
}

/** The most whole shares `budget` buys at `open`, filled as the broker fills a buy. */
function buyFor(budget: number, open: number, plan: BenchmarkPlan): { quantity: number; cost: number } {
  const price = toPrice(open * (1 + plan.slippageBps / 10_000));
  const costOf = (q: number) => {
    const amount = toCents(q * price);
    return amount + toCents((amount * plan.commissionBps) / 10_000);
  };
  let quantity = Math.max(0, Math.floor(budget / (price * (1 + plan.commissionBps / 10_000))));
  // Rounding each amount to cents could overshoot the budget by a fraction of a cent.
  while (quantity > 0 && costOf(quantity) > budget) quantity--;
  return { quantity, cost: quantity > 0 ? costOf(quantity) : 0 };
}

/**
 * The strategy against the benchmark (see the contract's BenchmarkStats), from the daily returns
 * of two curves over the same trading days, both starting from `openingEquity` (the run's initial
 * cash) before the first day, as the run metrics count returns.
 */
export function benchmarkStats(
  strategy: readonly Pick<EquityPoint, 'date' | 'equity'>[],
  benchmark: readonly BenchmarkPoint[],
  openingEquity: number,
): BenchmarkStats {
  const benchmarkOn = new Map(benchmark.map((p) => [p.date, p.equity]));
  const paired = strategy.map((p) => {
    const b = benchmarkOn.get(p.date);
    if (b === undefined) throw new Error(`the benchmark has no point on ${p.date}: build it on the run's dates`);
    return [p.equity, b] as const;
  });
  const rs = dailyReturns([openingEquity, ...paired.map(([s]) => s)]);
  const rb = dailyReturns([openingEquity, ...paired.map(([, b]) => b)]);
  const active = rs.map((r, i) => r - rb[i]!);
  const totalPct = (end: number | undefined) => (openingEquity > 0 ? ((end ?? openingEquity) / openingEquity - 1) * 100 : 0);
  const strategyReturn = totalPct(paired.at(-1)?.[0]);
  const benchmarkReturn = totalPct(paired.at(-1)?.[1]);

  const enough = rs.length >= 2;
  const sdB = sampleStd(rb);
  const sdS = sampleStd(rs);
  const sdActive = sampleStd(active);
  const beta = enough && sdB > NO_DISPERSION ? covariance(rs, rb) / sdB ** 2 : null;
  return {
    strategy_return_pct: round4(strategyReturn),
    benchmark_return_pct: round4(benchmarkReturn),
    excess_return_pct: round4(strategyReturn - benchmarkReturn),
    alpha_pct: beta === null ? null : round4((mean(rs) - beta * mean(rb)) * TRADING_DAYS_PER_YEAR * 100),
    beta: beta === null ? null : round4(beta),
    correlation: enough && sdB > NO_DISPERSION && sdS > NO_DISPERSION ? round4(covariance(rs, rb) / (sdS * sdB)) : null,
    tracking_error_pct: round4(sdActive * Math.sqrt(TRADING_DAYS_PER_YEAR) * 100),
    information_ratio: enough && sdActive > NO_DISPERSION ? round4((mean(active) / sdActive) * Math.sqrt(TRADING_DAYS_PER_YEAR)) : null,
  };
}

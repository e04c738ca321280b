import type { Bar, SymbolInfo } from '@tradewire/contract';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { weekdays, yearsBefore } from './calendar.js';
import { SIMULATED_TICKERS, type SimulatedTicker } from './tickers.js';

/** Last simulated trading day: fixed, so a seed gives the same market whatever today's date is. */
export const SIMULATION_END = '2026-10-30';

const TRADING_DAYS = 252;

/** GARCH(1,1) variance with occasional jumps: shocks raise variance that then decays over weeks. */
interface ShockProcess {
  alpha: number;
  beta: number;
  jumpChance: number;
  jumpMean: number;
  jumpSd: number;
}
const MARKET_VOLATILITY = 0.17;
const MARKET: ShockProcess = { alpha: 0.09, beta: 0.89, jumpChance: 0.001, jumpMean: -0.03, jumpSd: 0.025 };
const COMPANY: ShockProcess = { alpha: 0.06, beta: 0.92, jumpChance: 0.003, jumpMean: -0.005, jumpSd: 0.07 };
const SECTOR_VOLATILITY = 0.08;
/** Floor for company-specific volatility so no ticker is a pure copy of the market. */
const MIN_COMPANY_VOLATILITY = 0.08;

export interface SimulatedMarket {
  symbols: SymbolInfo[];
  /** Every trading day of the simulation, oldest first; all tickers trade on each. */
  calendar: string[];
  /** Frozen bars by symbol, oldest first. */
  bars: Map<string, readonly Bar[]>;
}

/** Standard normal draws by Box-Muller, from one seeded generator. */
function normalSource(seed: number) {
  const rng = xoroshiro128plus(seed);
  const uniform = () => uniformFloat64(rng);
  let spare: number | undefined;
  const normal = () => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  return { uniform, normal };
}

const nextVariance = (p: ShockProcess, longRun: number, variance: number, shock: number) =>
  longRun * (1 - p.alpha - p.beta) + p.alpha * shock * shock + p.beta * variance;

const cents = (price: number) => Math.max(0.01, Math.round(price * 100) / 100);

/** Seeded, reproducible daily bars for the fictional tickers over `years` years ending on SIMULATION_END. */
export function simulateMarket(seed: number, years: number): SimulatedMarket {
  const calendar = weekdays(yearsBefore(SIMULATION_END, years), SIMULATION_END);
  const { uniform, normal } = normalSource(seed);
  const jump = (p: ShockProcess) => (uniform() < p.jumpChance ? p.jumpMean + p.jumpSd * normal() : 0);

  const sectors = [...new Set(SIMULATED_TICKERS.map((t) => t.sector))];
  const marketLongRun = MARKET_VOLATILITY ** 2 / TRADING_DAYS;
  const sectorSd = SECTOR_VOLATILITY / Math.sqrt(TRADING_DAYS);
  const tickers = SIMULATED_TICKERS.map((t) => companyState(t, sectors.indexOf(t.sector), marketLongRun, sectorSd));

  let marketVariance = marketLongRun;
  let marketShock = 0;
  for (const date of calendar) {
    marketVariance = nextVariance(MARKET, marketLongRun, marketVariance, marketShock);
    marketShock = Math.sqrt(marketVariance) * normal() + jump(MARKET);
    const sectorShocks = sectors.map(() => sectorSd * normal());
    for (const c of tickers) {
      c.variance = nextVariance(COMPANY, c.longRun, c.variance, c.shock);
      c.shock = Math.sqrt(c.variance) * normal() + jump(COMPANY);
      const logReturn = c.drift + c.ticker.beta * marketShock + sectorShocks[c.sector]! + c.shock;
      // Today's volatility sets the intraday range, so calm and stormy days look different.
      const daySd = Math.sqrt(c.ticker.beta ** 2 * marketVariance + sectorSd ** 2 + c.variance);

      const open = c.close * Math.exp(0.3 * logReturn + 0.1 * daySd * normal());
      const close = c.close * Math.exp(logReturn);
      const high = Math.max(open, close) * Math.exp(0.5 * daySd * Math.abs(normal()));
      const low = Math.min(open, close) * Math.exp(-0.5 * daySd * Math.abs(normal()));
      // Volume rises on big moves, as traders react to news.
      const activity = 0.5 + (0.5 * Math.abs(logReturn)) / c.typicalSd;
      const volume = Math.max(1, Math.round(c.ticker.averageVolume * activity * Math.exp(0.25 * normal() - 0.03125)));
      c.close = close;

      const o = cents(open);
      const cl = cents(close);
      c.bars.push(
        Object.freeze({
          date,
          open: o,
          high: Math.max(cents(high), o, cl),
          low: Math.min(cents(low), o, cl),
          close: cl,
          volume,
        }),
      );
    }
  }

  return {
    symbols: SIMULATED_TICKERS.map((t) => ({ symbol: t.symbol, name: t.name, sector: t.sector, source: 'simulated' })),
    calendar,
    bars: new Map(tickers.map((c) => [c.ticker.symbol, Object.freeze(c.bars)])),
  };
}

/** The running state of one ticker: what is left of its total variance after market and sector. */
function companyState(ticker: SimulatedTicker, sector: number, marketLongRun: number, sectorSd: number) {
  const totalVariance = ticker.volatility ** 2 / TRADING_DAYS;
  const longRun = Math.max(
    totalVariance - ticker.beta ** 2 * marketLongRun - sectorSd ** 2,
    MIN_COMPANY_VOLATILITY ** 2 / TRADING_DAYS,
  );
  return {
    ticker,
    sector,
    longRun,
    variance: longRun,
    shock: 0,
    close: ticker.startPrice,
    // Ito correction so `drift` is the expected growth rate of the price, not of its log.
    drift: (ticker.drift - ticker.volatility ** 2 / 2) / TRADING_DAYS,
    typicalSd: Math.sqrt(totalVariance),
    bars: [] as Bar[],
  };
}

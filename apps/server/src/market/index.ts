import type { Bar, SymbolInfo } from '@tradewire/contract';
import type { Config } from '../config/config.js';
import type { Storage } from '../storage/storage.js';
import { barsBetween, datesBetween } from './calendar.js';
import type { MarketData } from './market-data.js';
import { simulateMarket, type SimulatedMarket } from './simulated.js';

export type { DateRange, MarketData } from './market-data.js';

const bySymbol = (a: SymbolInfo, b: SymbolInfo) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);

/**
 * The market the app trades on: the seeded simulated market, generated on first use and kept in
 * memory, overlaid with imported symbols from storage (an import replaces a simulated ticker of
 * the same name). Storage is read on each call, so an import by another process or node shows up.
 */
export function createMarketData(storage: Storage, config: Config): MarketData {
  let simulation: SimulatedMarket | undefined;
  const simulated = () => (simulation ??= simulateMarket(config.market.seed, config.market.years));

  const imported = async () => new Map((await storage.market.symbols()).map((s) => [s.symbol, s]));

  async function symbols(): Promise<SymbolInfo[]> {
    const overlay = await imported();
    const visible = simulated().symbols.filter((s) => !overlay.has(s.symbol));
    return [...visible, ...overlay.values()].map((s) => ({ ...s })).sort(bySymbol);
  }

  async function bars(symbol: string, from?: string, to?: string): Promise<Bar[]> {
    if ((await imported()).has(symbol)) return storage.market.bars(symbol, from, to);
    const series = simulated().bars.get(symbol);
    return series ? barsBetween(series, from, to) : [];
  }

  async function calendar(from?: string, to?: string, only?: string[]): Promise<string[]> {
    const overlay = await imported();
    const wanted = only ?? [...simulated().bars.keys(), ...overlay.keys()];
    const days = new Set<string>();
    // All simulated tickers share one calendar, so one of them is enough.
    if (wanted.some((s) => !overlay.has(s) && simulated().bars.has(s))) {
      for (const d of datesBetween(simulated().calendar, from, to)) days.add(d);
    }
    for (const s of wanted.filter((w) => overlay.has(w))) {
      for (const b of await storage.market.bars(s, from, to)) days.add(b.date);
    }
    return [...days].sort();
  }

  return {
    symbols,
    bars,
    info: async (symbol) => {
      const info = (await imported()).get(symbol) ?? simulated().symbols.find((s) => s.symbol === symbol);
      return info && { ...info };
    },
    calendar,
    range: async (only) => {
      const days = await calendar(undefined, undefined, only);
      return days.length > 0 ? { first: days[0]!, last: days.at(-1)! } : null;
    },
  };
}

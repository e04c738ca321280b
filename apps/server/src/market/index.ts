import { DEFAULT_DATASET, type Bar, type Dataset, type SymbolInfo } from '@tradewire/contract';
import type { Config } from '../config/config.js';
import type { Storage } from '../storage/storage.js';
import { barsBetween, datesBetween } from './calendar.js';
import type { DateRange, MarketData } from './market-data.js';
import { simulateMarket, type SimulatedMarket } from './simulated.js';

export type { DateRange, MarketData } from './market-data.js';

/** Where files go when the import names no data set; it is laid over the simulated market. */
export const IMPORT_DATASET = 'import';

const bySymbol = (a: SymbolInfo, b: SymbolInfo) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0);

const rangeOf = (days: string[]): DateRange | null => (days.length > 0 ? { first: days[0]!, last: days.at(-1)! } : null);

/**
 * The markets the app trades on. The default one, data set `simulated`, is the seeded simulated
 * market, generated on first use and kept in memory, overlaid with the symbols imported into
 * `import` (an import replaces a simulated ticker of the same name), exactly as before data sets
 * existed. Every other data set is read from storage alone. Storage is read on each call, so an
 * import or fetch by another process or node shows up.
 */
export function createMarketData(storage: Storage, config: Config): MarketData {
  let simulation: SimulatedMarket | undefined;
  const simulated = () => (simulation ??= simulateMarket(config.market.seed, config.market.years));

  const imported = async () => new Map((await storage.market.symbols(IMPORT_DATASET)).map((s) => [s.symbol, s]));

  async function symbols(): Promise<SymbolInfo[]> {
    const overlay = await imported();
    const visible = simulated().symbols.filter((s) => !overlay.has(s.symbol));
    return [...visible, ...overlay.values()].map((s) => ({ ...s })).sort(bySymbol);
  }

  async function bars(symbol: string, from?: string, to?: string): Promise<Bar[]> {
    if ((await imported()).has(symbol)) return storage.market.bars(IMPORT_DATASET, symbol, from, to);
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
      for (const b of await storage.market.bars(IMPORT_DATASET, s, from, to)) days.add(b.date);
    }
    return [...days].sort();
  }

  async function datasets(): Promise<Dataset[]> {
    const [all, range, stored] = await Promise.all([symbols(), defaultMarket.range(), storage.market.datasets()]);
    const simulatedSet: Dataset = {
      name: DEFAULT_DATASET,
      source: 'simulated',
      provider: null,
      adjusted: false,
      symbols: all.length,
      first: range?.first ?? null,
      last: range?.last ?? null,
    };
    return [simulatedSet, ...stored.map(({ updated_at: _, ...d }) => d)];
  }

  async function forDataset(name: string): Promise<MarketData | undefined> {
    if (name === DEFAULT_DATASET) return defaultMarket;
    return (await storage.market.dataset(name)) ? storedMarket(name) : undefined;
  }

  /** One stored data set, with nothing laid under it. */
  function storedMarket(name: string): MarketData {
    const list = () => storage.market.symbols(name);
    const market: MarketData = {
      symbols: list,
      bars: (symbol, from, to) => storage.market.bars(name, symbol, from, to),
      info: async (symbol) => (await list()).find((s) => s.symbol === symbol),
      calendar: async (from, to, only) => {
        const wanted = only ?? (await list()).map((s) => s.symbol);
        const days = new Set<string>();
        for (const s of wanted) for (const b of await storage.market.bars(name, s, from, to)) days.add(b.date);
        return [...days].sort();
      },
      range: async (only) => {
        const wanted = only && new Set(only);
        const spans = (await storage.market.spans(name)).filter((s) => !wanted || wanted.has(s.symbol));
        if (spans.length === 0) return null;
        return { first: spans.map((s) => s.first).sort()[0]!, last: spans.map((s) => s.last).sort().at(-1)! };
      },
      forDataset,
      datasets,
    };
    return market;
  }

  const defaultMarket: MarketData = {
    symbols,
    bars,
    info: async (symbol) => {
      const info = (await imported()).get(symbol) ?? simulated().symbols.find((s) => s.symbol === symbol);
      return info && { ...info };
    },
    calendar,
    range: async (only) => rangeOf(await calendar(undefined, undefined, only)),
    forDataset,
    datasets,
  };
  return defaultMarket;
}

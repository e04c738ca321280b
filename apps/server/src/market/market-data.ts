import type { Bar, Dataset, SymbolInfo } from '@tradewire/contract';

/** First and last trading day of some data, YYYY-MM-DD. */
export interface DateRange {
  first: string;
  last: string;
}

/**
 * Daily OHLCV bars by symbol of one data set; every source (simulated, imported, providers) sits
 * behind this.
 * Dates are YYYY-MM-DD strings; ranges [from, to] are inclusive and either end may be omitted.
 * Simulated bars are served from memory and frozen (never mutate a bar); imported ones are read
 * from storage on each call, so load what a run needs once rather than per step.
 */
export interface MarketData {
  /** Every symbol with its name, sector and source (`simulated`, `import`, ...), sorted by symbol. */
  symbols(): Promise<SymbolInfo[]>;
  /** Bars of one symbol in [from, to] (inclusive, YYYY-MM-DD), oldest first; [] for an unknown symbol. */
  bars(symbol: string, from?: string, to?: string): Promise<Bar[]>;
  /** One symbol's name, sector and source; undefined when the market has no such symbol. */
  info(symbol: string): Promise<SymbolInfo | undefined>;
  /**
   * The trading days in [from, to], oldest first: every date on which at least one of `symbols`
   * (all symbols when omitted) has a bar. Unknown symbols add no days.
   */
  calendar(from?: string, to?: string, symbols?: string[]): Promise<string[]>;
  /** First and last trading day of `symbols` (all when omitted); null when they have no bars. */
  range(symbols?: string[]): Promise<DateRange | null>;
  /**
   * The market of one data set: `simulated` (the default market) or a stored one (`import`, a
   * provider's); undefined when no data set has that name.
   */
  forDataset(name: string): Promise<MarketData | undefined>;
  /** Every data set with its kind, symbol count and date span, `simulated` first. */
  datasets(): Promise<Dataset[]>;
}

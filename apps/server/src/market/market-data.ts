import type { Bar, SymbolInfo } from '@tradewire/contract';

/** Daily OHLCV bars by symbol; every source (simulated, imported, providers) sits behind this. */
export interface MarketData {
  /** Every symbol with its name, sector and source (`simulated`, `import`, ...). */
  symbols(): Promise<SymbolInfo[]>;
  /** Bars of one symbol in [from, to] (inclusive, YYYY-MM-DD), oldest first; [] for an unknown symbol. */
  bars(symbol: string, from?: string, to?: string): Promise<Bar[]>;
}

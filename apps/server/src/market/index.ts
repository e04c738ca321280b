import type { Config } from '../config/config.js';
import type { Storage } from '../storage/storage.js';
import type { MarketData } from './market-data.js';

/** Placeholder until the simulated market lands: only imported symbols. */
export function createMarketData(storage: Storage, _config: Config): MarketData {
  return {
    symbols: async () => storage.market.symbols(),
    bars: async (symbol, from, to) => storage.market.bars(symbol, from, to),
  };
}

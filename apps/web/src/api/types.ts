import type { TradingStatus } from '@tradewire/contract';

/** Response shapes the contract composes from its parts but does not name; built from contract types only. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type { LatestPortfolio as LatestPositions, Performance } from '@tradewire/contract';

export interface TradingStatusList {
  items: TradingStatus[];
}

export type { Stats } from '@tradewire/contract';

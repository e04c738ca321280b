import type { Bar, MarketProvider } from '@tradewire/contract';

/** One symbol's daily bars asked of a provider; `from` and `to` inclusive, YYYY-MM-DD. */
export interface DailyRequest {
  symbol: string;
  from: string;
  to: string;
  /**
   * Split- and dividend-adjusted prices: true to insist, false for prices as traded, undefined
   * for the best the provider gives (Alpha Vantage adjusts only for premium keys).
   */
  adjusted?: boolean;
}

/** What a provider answered for one symbol: checked bars within the range, oldest first. */
export interface DailySeries {
  bars: Bar[];
  adjusted: boolean;
  /** The company's name when the provider says it. */
  name?: string;
  /** Dates in the range with a split or a dividend: adjusted prices stored before them are stale. */
  actions: string[];
  /** Bars dropped because the provider sent holes (nulls) or inconsistent prices. */
  skipped: number;
  /** Something the report should say: a free-tier limit that cut the answer short. */
  note?: string;
}

/** A source of daily bars on the internet, one symbol per call. */
export interface MarketDataProvider {
  readonly name: MarketProvider;
  daily(request: DailyRequest, signal?: AbortSignal): Promise<DailySeries>;
}

/** One symbol could not be fetched; the message says why, in the provider's words where it gave some. */
export class ProviderError extends Error {
  override name = 'ProviderError';
}

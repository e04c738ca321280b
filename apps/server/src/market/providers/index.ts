import type { MarketProvider } from '@tradewire/contract';
import type { Config } from '../../config/config.js';
import { alpacaProvider } from './alpaca.js';
import { alphaVantageProvider } from './alphavantage.js';
import type { RetryPolicy } from './http.js';
import type { MarketDataProvider } from './provider.js';
import { yahooProvider } from './yahoo.js';

export { ProviderError, type DailyRequest, type DailySeries, type MarketDataProvider } from './provider.js';

/** Why `provider` cannot be used with this configuration (its keys are not set), or undefined. */
export function missingKeys(provider: MarketProvider, config: Config): string | undefined {
  const { alpaca, alphaVantage } = config.market.providers;
  if (provider === 'alpaca' && (!alpaca.keyId || !alpaca.secretKey)) return 'ALPACA_KEY_ID and ALPACA_SECRET_KEY must be set to fetch from alpaca';
  if (provider === 'alphavantage' && !alphaVantage.apiKey) return 'ALPHAVANTAGE_API_KEY must be set to fetch from alphavantage';
  return undefined;
}

/** A client for `provider` as configured; call missingKeys first. */
export function createProvider(provider: MarketProvider, config: Config): MarketDataProvider {
  const problem = missingKeys(provider, config);
  if (problem) throw new Error(problem);
  const { yahoo, alpaca, alphaVantage } = config.market.providers;
  const retry: RetryPolicy = { retries: config.market.fetch.retries, backoffMs: config.market.fetch.backoffMs };
  switch (provider) {
    case 'yahoo':
      return yahooProvider({ baseUrl: yahoo.baseUrl, retry });
    case 'alpaca':
      return alpacaProvider({ dataUrl: alpaca.dataUrl, keyId: alpaca.keyId!, secretKey: alpaca.secretKey!, retry });
    case 'alphavantage':
      return alphaVantageProvider({ baseUrl: alphaVantage.baseUrl, apiKey: alphaVantage.apiKey!, retry });
  }
}

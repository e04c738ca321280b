import { ApiError, FetchError, marketData } from '@alpacahq/alpaca-trade-api';
import type { Bar } from '@tradewire/contract';
import { MarketImportError, readBar } from '../imported-bars.js';
import type { RetryPolicy } from './http.js';
import { ProviderError, type DailyRequest, type DailySeries, type MarketDataProvider } from './provider.js';

/** Bars per page: the most Alpaca sends at once. */
const PAGE_LIMIT = 10_000;

/**
 * Daily bars from Alpaca's market data API (v2) through the official client, adjusted for splits
 * and dividends (`adjustment=all`), following `next_page_token` until the range is complete. The
 * client retries 429 and 5xx answers with exponential backoff, honouring Retry-After.
 */
export function alpacaProvider(opts: { dataUrl: string; keyId: string; secretKey: string; retry: RetryPolicy }): MarketDataProvider {
  const api = new marketData.StockApi(
    new marketData.Configuration({
      basePath: opts.dataUrl.replace(/\/+$/, ''),
      keyId: opts.keyId,
      secret: opts.secretKey,
      timeoutMs: 30_000,
      retry: { maxRetries: opts.retry.retries, retryDelayMs: opts.retry.backoffMs, maxDelayMs: opts.retry.backoffMs * 32 },
    }),
  );

  return {
    name: 'alpaca',
    async daily({ symbol, from, to }: DailyRequest, signal?: AbortSignal): Promise<DailySeries> {
      const bars: Bar[] = [];
      let skipped = 0;
      const seen = new Set<string>();
      let pageToken: string | undefined;
      do {
        const page = await request(() =>
          api.stockBarSingle(
            {
              symbol,
              timeframe: '1Day',
              start: new Date(`${from}T00:00:00Z`),
              end: new Date(`${to}T23:59:59Z`),
              adjustment: 'all',
              limit: PAGE_LIMIT,
              pageToken,
            },
            { signal },
          ),
        );
        for (const b of page.bars ?? []) {
          // Daily bars are stamped at midnight New York time, 04:00 or 05:00 UTC: the UTC date is the trading day.
          const date = new Date(b.t).toISOString().slice(0, 10);
          try {
            bars.push(readBar({ date, open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v }, `${symbol} ${date}`));
          } catch (e) {
            if (!(e instanceof MarketImportError)) throw e;
            skipped++;
          }
        }
        pageToken = page.nextPageToken ?? undefined;
        if (pageToken && seen.has(pageToken)) throw new ProviderError(`Alpaca: page token ${pageToken} came back twice`);
        if (pageToken) seen.add(pageToken);
      } while (pageToken);
      return { bars, adjusted: true, actions: [], skipped };
    },
  };
}

/** Runs one client call, turning its errors into a ProviderError quoting Alpaca's message. */
async function request<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof ApiError) {
      const retried = e.status === 429 || e.status >= 500 ? ' after retries' : '';
      throw new ProviderError(`Alpaca: ${e.message || 'request failed'} (HTTP ${e.status}${retried})`);
    }
    if (e instanceof FetchError) throw new ProviderError(`Alpaca: ${(e.cause as Error | undefined)?.message ?? e.message}`);
    throw e;
  }
}

import { Cron } from 'croner';
import type { FetchJob } from '@tradewire/contract';
import type { Storage } from '../storage/storage.js';
import type { FetchJobs } from './fetch-jobs.js';

/**
 * Queues a fetch of every symbol of every provider data set: each asks only for the days after
 * its symbol's last stored bar, so a daily refresh costs one small request per symbol.
 */
export async function refreshProviderDatasets(storage: Storage, jobs: FetchJobs): Promise<FetchJob[]> {
  const started: FetchJob[] = [];
  for (const d of await storage.market.datasets()) {
    if (d.source !== 'provider' || !d.provider) continue;
    const symbols = (await storage.market.symbols(d.name)).map((s) => s.symbol);
    if (symbols.length > 0) started.push(jobs.start({ provider: d.provider, symbols, dataset: d.name }));
  }
  return started;
}

/** Runs `refresh` on the cron pattern (UTC), never two at once; errors go to `onError`. */
export function scheduleRefresh(pattern: string, refresh: () => Promise<unknown>, onError: (e: unknown) => void): Cron {
  return new Cron(pattern, { timezone: 'UTC', protect: true, catch: onError }, async () => {
    await refresh();
  });
}

import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config/config.js';
import { TokenService } from './auth/tokens.js';
import { adminRoutes } from './http/admin.js';
import { arenaRoutes } from './http/arena.js';
import { authGuards } from './http/auth-guard.js';
import { buildApp } from './http/app.js';
import type { AppContext } from './http/context.js';
import { llmRoutes } from './http/llm.js';
import { marketFetchRoutes } from './http/market-fetch.js';
import { marketRoutes } from './http/market.js';
import { runRoutes } from './http/runs.js';
import { searchRoutes } from './http/search.js';
import { settingsRoutes } from './http/settings.js';
import { streamRoutes } from './http/stream.js';
import { tradingRoutes } from './http/trading.js';
import { FetchJobs } from './market/fetch-jobs.js';
import { createProvider } from './market/providers/index.js';
import { refreshProviderDatasets, scheduleRefresh } from './market/refresh.js';
import { createTrading, openRuntime } from './runtime.js';

const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface Server {
  app: FastifyInstance;
  ctx: AppContext;
  /** Interrupts running sessions, ends streams, closes storage. */
  close(): Promise<void>;
}

/** Wires storage, market, event bus, trading engine and HTTP into one API node. */
export async function createServer(config: Config, opts: { logStream?: DestinationStream } = {}): Promise<Server> {
  const runtime = await openRuntime(config);
  const { storage, market, bus, secrets } = runtime;
  const { trading, workers } = createTrading(config, runtime);
  await trading.recover();
  const tokens = new TokenService(config.jwtSecret, { accessS: config.jwtTtlS, ticketS: config.streamTicketTtlS });
  const fetchJobs = new FetchJobs({ storage, provider: (name) => createProvider(name, config), intervalMs: config.market.fetch.intervalMs });
  const ctx: AppContext = {
    config,
    storage,
    tokens,
    secrets,
    guards: authGuards(tokens, storage),
    market,
    manager: trading,
    fetchJobs,
    bus,
    version,
    startedAt: Date.now(),
  };
  ctx.extraRoutes = [marketRoutes(ctx), marketFetchRoutes(ctx), tradingRoutes(ctx), runRoutes(ctx), streamRoutes(ctx), llmRoutes(ctx), searchRoutes(ctx), adminRoutes(ctx), settingsRoutes(ctx), arenaRoutes(ctx)];
  const app = await buildApp(ctx, opts);
  const refresh =
    config.market.refreshCron === undefined
      ? undefined
      : scheduleRefresh(
          config.market.refreshCron,
          async () => {
            for (const queued of await refreshProviderDatasets(storage, fetchJobs)) {
              const job = (await fetchJobs.wait(queued.job_id))!;
              const summary = { job_id: job.job_id, dataset: job.dataset, status: job.status, progress: job.progress, errors: job.errors };
              if (job.errors.length > 0) app.log.warn(summary, 'market refresh finished with errors');
              else app.log.info(summary, 'market refresh finished');
            }
          },
          (err) => app.log.error({ err }, 'market refresh failed'),
        );
  let closed = false;
  return {
    app,
    ctx,
    async close() {
      if (closed) return;
      closed = true;
      // Sessions close their runs first, so open streams still carry the final `complete`.
      refresh?.stop();
      await Promise.all(workers.map((w) => w.close()));
      await ctx.manager.shutdown();
      await fetchJobs.close();
      await app.close();
      await runtime.close();
    },
  };
}

import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config/config.js';
import { TokenService } from './auth/tokens.js';
import { Redis } from 'ioredis';
import { type LimiterFactory, memoryLimiters, redisLimiters } from './auth/limiters.js';
import { LocalRevocations, RedisRevocations, type RevocationFeed } from './events/revocations.js';
import { SseSessions } from './events/sse-session.js';
import { authGuards } from './http/auth-guard.js';
import { buildApp } from './http/app.js';
import type { AppContext } from './http/context.js';
import { FetchJobs } from './market/fetch-jobs.js';
import { createProvider } from './market/providers/index.js';
import { refreshProviderDatasets, scheduleRefresh } from './market/refresh.js';
import { type RuntimeOptions, createTrading, openRuntime } from './runtime.js';
import { AssistantService } from './services/assistant.js';
import { BacktestService } from './services/backtests.js';
import { ModelService } from './services/models.js';
import { ResultsService } from './services/results.js';
import { RunService } from './services/runs.js';
import { TradingService } from './services/trading.js';

const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface Server {
  app: FastifyInstance;
  ctx: AppContext;
  /** Interrupts running sessions, ends streams, closes storage. */
  close(): Promise<void>;
}

/** Wires storage, market, event bus, trading engine and HTTP into one API node. */
export async function createServer(config: Config, opts: { logStream?: DestinationStream } & RuntimeOptions = {}): Promise<Server> {
  const runtime = await openRuntime(config, opts);
  const { storage, market, bus, secrets } = runtime;
  const { trading, workers } = createTrading(config, runtime);
  await trading.recover();
  const tokens = new TokenService(config.jwtSecret, { accessS: config.jwtTtlS, ticketS: config.streamTicketTtlS });
  const live = runtime.deps.live;
  const fetchJobs = new FetchJobs({
    storage,
    provider: (name) => createProvider(name, config),
    intervalMs: config.market.fetch.intervalMs,
    ...(live && { intraday: (name: string) => live.source(name) }),
  });
  const models = new ModelService({ storage, market, secrets, trading });
  const runs = new RunService({ storage, trading, models });
  const streams = new SseSessions(bus, { heartbeatMs: config.stream.heartbeatMs, maxBufferBytes: config.stream.maxBufferBytes, retryMs: 3000 });
  const { revocations, limiters, closeShared } = await openShared(config);
  revocations.subscribe((r) => streams.revoke(r));
  const ctx: AppContext = {
    config,
    storage,
    tokens,
    secrets,
    guards: authGuards(tokens, storage),
    market,
    models,
    trading: new TradingService({ storage, market, trading, models, live: runtime.deps.live }),
    runs,
    results: new ResultsService({ storage, market, runs }),
    assistant: new AssistantService({ storage, market, secrets, policy: config.llm, dailyTokens: config.assistant.dailyTokens }),
    backtests: new BacktestService({ market }),
    streams,
    revocations,
    limiters,
    fetchJobs,
    bus,
    version,
    startedAt: Date.now(),
  };
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
      await trading.shutdown();
      await fetchJobs.close();
      await app.close();
      await closeShared();
      await runtime.close();
    },
  };
}

/**
 * What API nodes share besides the event bus: revocations of credentials and rate-limit
 * counters. On Redis in scaled mode (one command connection that fails fast, so a logout never
 * waits on an outage, and the feed's subscriber); in memory otherwise.
 */
async function openShared(config: Config): Promise<{ revocations: RevocationFeed; limiters: LimiterFactory; closeShared(): Promise<void> }> {
  if (!config.redis) return { revocations: new LocalRevocations(), limiters: memoryLimiters, closeShared: async () => {} };
  const onError = (err: unknown) => console.error(JSON.stringify({ level: 50, msg: 'redis (revocations, rate limits)', err: String(err) }));
  const redis = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: `${config.redis.prefix}:node` });
  redis.on('error', onError);
  await redis.connect();
  const revocations = await RedisRevocations.create({ pub: redis, url: config.redis.url, prefix: config.redis.prefix, onError });
  return {
    revocations,
    limiters: redisLimiters(redis, config.redis.prefix),
    async closeShared() {
      await revocations.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

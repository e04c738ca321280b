import type { Config } from './config/config.js';
import { SecretBox } from './auth/secret-box.js';
import { LocalTrading } from './engine/local-trading.js';
import { QueuedTrading } from './engine/queued-trading.js';
import { RunWorker } from './engine/run-worker.js';
import { SessionThreads } from './engine/session-threads.js';
import type { AgentFactory, RunnerDeps } from './engine/session-runner.js';
import type { Trading } from './engine/trading.js';
import type { EventBus } from './events/event-bus.js';
import { MemoryEventBus } from './events/memory-bus.js';
import { RedisEventBus } from './events/redis/redis-bus.js';
import { createMarketData } from './market/index.js';
import type { MarketData } from './market/market-data.js';
import { type BrokerFactory, liveWiring } from './live/live-wiring.js';
import type { Clock, LiveBarSource } from './live/ports.js';
import { agentFactory } from './services/agent-factory.js';
import { openStorage } from './storage/open.js';
import type { Storage } from './storage/storage.js';

/** Everything below HTTP: storage, market, event bus and what sessions need, chosen by config. */
export interface Runtime {
  storage: Storage;
  market: MarketData;
  bus: EventBus;
  secrets: SecretBox;
  deps: RunnerDeps;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Replaces how sessions get their agents (tests use it for agents that misbehave). */
  agents?: AgentFactory;
  /** Replaces the clock of live runs (tests drive it). */
  clock?: Clock;
  /** Replaces where live runs get bars, by provider (tests add a push stream). */
  liveSource?: (name: string) => LiveBarSource;
  /** External paper accounts live runs may trade on, by name (`alpaca`). */
  brokers?: Record<string, BrokerFactory>;
}

export async function openRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const storage = await openStorage(config);
  const market = createMarketData(storage, config);
  const bus = config.redis
    ? await RedisEventBus.create({
        url: config.redis.url,
        prefix: config.redis.prefix,
        storage,
        bufferSize: config.stream.bufferEvents,
        maxReplay: config.stream.replayMaxEvents,
        // Streams end and clients resume; the log says why.
        onError: logRedisError('redis event bus'),
      })
    : await MemoryEventBus.create(storage, config.stream.bufferEvents, config.stream.replayMaxEvents);
  const secrets = new SecretBox(config.jwtSecret);
  const agents = opts.agents ?? agentFactory({ secrets, llm: config.llm });
  // Threads build their agents from config; agents a caller supplies can only play here.
  const threads = !opts.agents && config.engine.threads > 0 ? new SessionThreads(config.engine.threads, { jwtSecret: config.jwtSecret, llm: config.llm }, { storage, bus }) : undefined;
  return {
    storage,
    market,
    bus,
    secrets,
    // Live runs play in the API process only: workers take backtests.
    deps: { storage, bus, market, agents, threads, ...(!config.redis && { live: liveWiring(config, { clock: opts.clock, source: opts.liveSource, brokers: opts.brokers }) }) },
    async close() {
      await threads?.close();
      await bus.close();
      await storage.close();
    },
  };
}

/** Connection trouble is logged and waited out (clients reconnect, commits retry), never fatal. */
const logRedisError = (where: string) => (err: unknown) => console.error(JSON.stringify({ level: 50, msg: where, err: String(err) }));

/** In-process sessions by default; with Redis, a queue and this node's share of the workers. */
export function createTrading(config: Config, runtime: Runtime): { trading: Trading; workers: RunWorker[] } {
  if (!config.redis) return { trading: new LocalTrading(runtime.deps), workers: [] };
  const workers = Array.from({ length: config.workers.count }, () => startWorker(config, runtime));
  return { trading: new QueuedTrading(runtime.deps, { ...config.redis, lockMs: config.workers.lockMs, onError: logRedisError('job queue') }), workers };
}

export function startWorker(config: Config, runtime: Runtime): RunWorker {
  if (!config.redis) throw new Error('REDIS_URL is required to run queue workers');
  return new RunWorker(runtime.deps, { ...config.redis, concurrency: config.workers.concurrency, lockMs: config.workers.lockMs, onError: logRedisError('worker') });
}

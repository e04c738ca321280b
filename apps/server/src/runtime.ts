import type { Config } from './config/config.js';
import { SecretBox } from './auth/secret-box.js';
import { llmAgentFactory } from './agents/llm/llm-agents.js';
import { AgentManager, type ManagerDeps } from './engine/agent-manager.js';
import { QueuedTrading, RunWorker } from './engine/queue.js';
import type { Trading } from './engine/trading.js';
import type { EventBus } from './events/event-bus.js';
import { MemoryEventBus } from './events/memory-bus.js';
import { RedisEventBus } from './events/redis-bus.js';
import { createMarketData } from './market/index.js';
import type { MarketData } from './market/market-data.js';
import { openStorage } from './storage/open.js';
import type { Storage } from './storage/storage.js';

/** Everything below HTTP: storage, market, event bus and the trading engine, chosen by config. */
export interface Runtime {
  storage: Storage;
  market: MarketData;
  bus: EventBus;
  secrets: SecretBox;
  deps: ManagerDeps;
  close(): Promise<void>;
}

export async function openRuntime(config: Config): Promise<Runtime> {
  const storage = await openStorage(config);
  const market = createMarketData(storage, config);
  const bus = config.redis
    ? await RedisEventBus.create({
        url: config.redis.url,
        prefix: config.redis.prefix,
        storage,
        bufferSize: config.stream.bufferEvents,
        // Streams end and clients resume; the log says why.
        onError: (err) => console.error(JSON.stringify({ level: 50, msg: 'redis event bus', err: String(err) })),
      })
    : await MemoryEventBus.create(storage, config.stream.bufferEvents);
  const secrets = new SecretBox(config.jwtSecret);
  const deps: ManagerDeps = { storage, bus, market, llm: llmAgentFactory({ secrets, timeoutMs: config.llm.timeoutMs }) };
  return {
    storage,
    market,
    bus,
    secrets,
    deps,
    async close() {
      await bus.close();
      await storage.close();
    },
  };
}

/** In-process sessions by default; with Redis, a queue and this node's share of the workers. */
export function createTrading(config: Config, runtime: Runtime): { trading: Trading; workers: RunWorker[] } {
  if (!config.redis) return { trading: new AgentManager(runtime.deps), workers: [] };
  const workers = Array.from({ length: config.workers.count }, () => startWorker(config, runtime));
  return { trading: new QueuedTrading(runtime.deps, config.redis), workers };
}

export function startWorker(config: Config, runtime: Runtime): RunWorker {
  if (!config.redis) throw new Error('REDIS_URL is required to run queue workers');
  return new RunWorker(runtime.deps, { ...config.redis, concurrency: config.workers.concurrency, lockMs: config.workers.lockMs });
}

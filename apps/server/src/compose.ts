import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config/config.js';
import { SecretBox } from './auth/secret-box.js';
import { TokenService } from './auth/tokens.js';
import { llmAgentFactory } from './agents/llm/llm-agents.js';
import { AgentManager } from './engine/agent-manager.js';
import { MemoryEventBus } from './events/memory-bus.js';
import { authGuards } from './http/auth-guard.js';
import { buildApp } from './http/app.js';
import type { AppContext } from './http/context.js';
import { llmRoutes } from './http/llm.js';
import { marketRoutes } from './http/market.js';
import { runRoutes } from './http/runs.js';
import { streamRoutes } from './http/stream.js';
import { tradingRoutes } from './http/trading.js';
import { createMarketData } from './market/index.js';
import { openPostgres } from './storage/postgres.js';
import { openSqlite } from './storage/sqlite.js';

const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface Server {
  app: FastifyInstance;
  ctx: AppContext;
  /** Interrupts running sessions, ends streams, closes storage. */
  close(): Promise<void>;
}

/** Wires storage, auth, market, engine, event bus and HTTP into one server. */
export async function createServer(config: Config, opts: { logStream?: DestinationStream } = {}): Promise<Server> {
  const storage = config.databaseUrl ? await openPostgres(config.databaseUrl) : await openSqlite(join(config.dataDir, 'tradewire.db'));
  const tokens = new TokenService(config.jwtSecret, { accessS: config.jwtTtlS, ticketS: config.streamTicketTtlS });
  const market = createMarketData(storage, config);
  const bus = await MemoryEventBus.create(storage, config.stream.bufferEvents);
  const manager = new AgentManager({
    storage,
    bus,
    market,
    llm: llmAgentFactory({ secrets: new SecretBox(config.jwtSecret), timeoutMs: config.llm.timeoutMs }),
  });
  await manager.recover();
  const ctx: AppContext = {
    config,
    storage,
    tokens,
    secrets: new SecretBox(config.jwtSecret),
    guards: authGuards(tokens, storage),
    market,
    manager,
    bus,
    version,
    startedAt: Date.now(),
  };
  ctx.extraRoutes = [marketRoutes(ctx), tradingRoutes(ctx), runRoutes(ctx), streamRoutes(ctx), llmRoutes(ctx)];
  const app = await buildApp(ctx, opts);
  let closed = false;
  return {
    app,
    ctx,
    async close() {
      if (closed) return;
      closed = true;
      await ctx.manager.shutdown();
      await bus.close();
      await app.close();
      await storage.close();
    },
  };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config/config.js';
import { SecretBox } from './auth/secret-box.js';
import { TokenService } from './auth/tokens.js';
import { authGuards } from './http/auth-guard.js';
import { buildApp } from './http/app.js';
import type { AppContext } from './http/context.js';
import { createMarketData } from './market/index.js';
import { openSqlite } from './storage/sqlite.js';

const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

export interface Server {
  app: FastifyInstance;
  ctx: AppContext;
  /** Stops sessions (marking them interrupted), ends streams, closes storage. */
  close(): Promise<void>;
}

/** Wires storage, auth, market, engine and HTTP into one server. */
export async function createServer(config: Config, opts: { logStream?: DestinationStream } = {}): Promise<Server> {
  const storage = await openSqlite(join(config.dataDir, 'tradewire.db'));
  const tokens = new TokenService(config.jwtSecret, { accessS: config.jwtTtlS, ticketS: config.streamTicketTtlS });
  const market = createMarketData(storage, config);
  const ctx: AppContext = {
    config,
    storage,
    tokens,
    secrets: new SecretBox(config.jwtSecret),
    guards: authGuards(tokens, storage),
    market,
    runningModels: () => new Set(),
    deleteModel: async (id) => {
      await storage.models.delete(id);
    },
    version,
    startedAt: Date.now(),
  };
  const app = await buildApp(ctx, opts);
  return {
    app,
    ctx,
    async close() {
      await app.close();
      await storage.close();
    },
  };
}

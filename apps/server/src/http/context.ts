import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config/config.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { TokenService } from '../auth/tokens.js';
import type { Storage } from '../storage/storage.js';
import type { AuthGuards } from './auth-guard.js';
import type { FetchJobs } from '../market/fetch-jobs.js';
import type { MarketData } from '../market/market-data.js';
import type { Trading } from '../engine/trading.js';
import type { EventBus } from '../events/event-bus.js';

/** What routes may use: the layers above HTTP, built once in main. */
export interface AppContext {
  config: Config;
  storage: Storage;
  tokens: TokenService;
  secrets: SecretBox;
  guards: AuthGuards;
  market: MarketData;
  manager: Trading;
  /** Background downloads of market data from providers. */
  fetchJobs: FetchJobs;
  bus: EventBus;
  /** Route plugins of later layers (trading, market, stream), mounted under /api. */
  extraRoutes?: FastifyPluginAsync[];
  version: string;
  startedAt: number;
}

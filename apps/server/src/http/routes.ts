import type { FastifyPluginAsync } from 'fastify';
import { adminRoutes } from './admin.js';
import { arenaRoutes } from './arena.js';
import { assistantRoutes } from './assistant.js';
import { authRoutes } from './auth.js';
import { backtestRoutes } from './backtests.js';
import type { AppContext } from './context.js';
import { healthRoutes } from './health.js';
import { llmRoutes } from './llm.js';
import { marketFetchRoutes } from './market-fetch.js';
import { marketRoutes } from './market.js';
import { resultsRoutes } from './results.js';
import { modelRoutes } from './models.js';
import { runRoutes } from './runs.js';
import { searchRoutes } from './search.js';
import { settingsRoutes } from './settings.js';
import { streamRoutes } from './stream.js';
import { tradingRoutes } from './trading.js';

/** Every route plugin of the API, with the prefix it is mounted under: the one list. */
export const API_ROUTES: [prefix: string, plugin: (ctx: AppContext) => FastifyPluginAsync][] = [
  ['/api', healthRoutes],
  ['/api/auth', authRoutes],
  ['/api/models', modelRoutes],
  ['/api', marketRoutes],
  ['/api', marketFetchRoutes],
  ['/api', tradingRoutes],
  ['/api', arenaRoutes],
  ['/api', backtestRoutes],
  ['/api', runRoutes],
  ['/api', resultsRoutes],
  ['/api', streamRoutes],
  ['/api', llmRoutes],
  ['/api', searchRoutes],
  ['/api', settingsRoutes],
  ['/api', assistantRoutes],
  ['/api', adminRoutes],
];

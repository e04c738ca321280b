import type { Config } from '../config/config.js';
import type { TokenService } from '../auth/tokens.js';
import type { EventBus } from '../events/event-bus.js';
import type { SseSessions } from '../events/sse-session.js';
import type { RevocationFeed } from '../events/revocations.js';
import type { LimiterFactory } from '../auth/limiters.js';
import type { FetchJobs } from '../market/fetch-jobs.js';
import type { MarketData } from '../market/market-data.js';
import type { AssistantService } from '../services/assistant.js';
import type { BacktestService } from '../services/backtests.js';
import type { ModelService } from '../services/models.js';
import type { ResultsService } from '../services/results.js';
import type { RunService } from '../services/runs.js';
import type { TradingService } from '../services/trading.js';
import type { SecretBox } from '../auth/secret-box.js';
import type { Storage } from '../storage/storage.js';
import type { AuthGuards } from './auth-guard.js';

/** What routes may use: the services and the layers above HTTP, built once in compose. */
export interface AppContext {
  config: Config;
  storage: Storage;
  tokens: TokenService;
  secrets: SecretBox;
  guards: AuthGuards;
  market: MarketData;
  models: ModelService;
  trading: TradingService;
  runs: RunService;
  results: ResultsService;
  /** The run assistant: endpoints, conversations, grounded answers. */
  assistant: AssistantService;
  /** Backtests played on request, not stored. */
  backtests: BacktestService;
  streams: SseSessions;
  /** Logout and role changes: streams they end, on every node. */
  revocations: RevocationFeed;
  /** Rate limiters (login, signup), shared by the nodes in scaled mode. */
  limiters: LimiterFactory;
  /** Background downloads of market data from providers. */
  fetchJobs: FetchJobs;
  bus: EventBus;
  version: string;
  startedAt: number;
}

import type { Generated } from 'kysely';
import type { AssistantConversationRecord, AssistantEndpointRecord, BarRecord, EquityPointRecord, LogRecord, ModelRecord, PositionRecord, RunRecord, TradeRecord, UserRecord } from './records.js';

/**
 * Row shapes as stored, derived from the records where a table holds one: JSON columns are TEXT
 * holding JSON (`Json` names them), an auto-numbered `id` is Generated.
 */
type Stored<R, Json extends keyof R = never> = {
  [K in keyof R]: K extends Json ? (null extends R[K] ? string | null : string) : K extends 'id' ? Generated<number> : R[K];
};

export type UsersTable = Stored<UserRecord>;

export interface RevokedTokensTable {
  jti: string;
  expires_at: number;
}

export type ModelsTable = Stored<Omit<ModelRecord, 'agent' | 'dataset'>, 'allowed_symbols' | 'risk'> & {
  /** The name lower-cased: names are unique per user regardless of case. */
  name_key: string;
  /** The agent: its kind, and its params as JSON. */
  agent_kind: string;
  agent_params: string;
  dataset: Generated<string>;
};

export type RunsTable = Stored<RunRecord, 'config' | 'metrics' | 'usage'>;

export type PositionsTable = PositionRecord & { run_id: number };

export type TradesTable = Stored<TradeRecord>;

export type EquityPointsTable = EquityPointRecord & { run_id: number };

export type LogsTable = Stored<LogRecord>;

export interface ArenasTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  start_date: string;
  end_date: string;
  pace_ms: number;
  /** JSON list of run ids. */
  run_ids: string;
  created_at: string;
}

export interface RunEventsTable {
  id: number;
  model_id: number;
  run_id: number | null;
  type: string;
  timestamp: string;
  data: string;
}

export interface MarketDatasetsTable {
  name: string;
  source: 'import' | 'provider';
  provider: 'yahoo' | 'alpaca' | 'alphavantage' | null;
  /** 0 or 1: better-sqlite3 binds no booleans. */
  adjusted: number;
  created_at: string;
  updated_at: string;
}

export interface MarketSymbolsTable {
  dataset: string;
  symbol: string;
  name: string;
  sector: string;
  source: string;
  /** Span and count of its stored bars, kept by every write so listings need not scan the bars. */
  first_date: string | null;
  last_date: string | null;
  bar_count: number;
  /** JSON SplitAdjustment[]; null when the bars were not back-adjusted. */
  split_adjustments: string | null;
}

export type MarketBarsTable = BarRecord & { dataset: string; symbol: string };

/** A live run's place between bars. */
export interface LiveRunsTable {
  run_id: number;
  /** The start of the last bar the run acted on (as bars are dated). */
  last_bar: string;
  /** JSON Order[]: placed at `last_bar`'s close, to fill at the next bar's open. */
  pending: string;
  updated_at: string;
}

/** One trading day of one symbol's intraday bars, packed (see market/intraday-codec.ts). */
export interface MarketIntradayTable {
  dataset: string;
  symbol: string;
  timeframe: string;
  day: string;
  bar_count: number;
  bars: Uint8Array;
}

/** A user's settings as one JSON document. */
export interface UserSettingsTable {
  user_id: number;
  settings: string;
  updated_at: string;
}

export type AssistantEndpointsTable = AssistantEndpointRecord;

export type AssistantConversationsTable = Stored<AssistantConversationRecord>;

export interface AssistantMessagesTable {
  id: Generated<number>;
  conversation_id: number;
  role: 'user' | 'assistant';
  content: string;
  /** JSON AssistantCitation[]. */
  citations: string;
  /** JSON AssistantToolUse[]. */
  tools_used: string;
  status: 'complete' | 'stopped' | 'failed';
  error: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  latency_ms: number | null;
  created_at: string;
}

export interface AssistantUsageTable {
  user_id: number;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  tokens: number;
}

export interface Database {
  users: UsersTable;
  revoked_tokens: RevokedTokensTable;
  models: ModelsTable;
  runs: RunsTable;
  positions: PositionsTable;
  trades: TradesTable;
  equity_points: EquityPointsTable;
  logs: LogsTable;
  run_events: RunEventsTable;
  arenas: ArenasTable;
  market_datasets: MarketDatasetsTable;
  market_symbols: MarketSymbolsTable;
  market_bars: MarketBarsTable;
  user_settings: UserSettingsTable;
  assistant_endpoints: AssistantEndpointsTable;
  assistant_conversations: AssistantConversationsTable;
  assistant_messages: AssistantMessagesTable;
  assistant_usage: AssistantUsageTable;
  live_runs: LiveRunsTable;
  market_intraday: MarketIntradayTable;
}

import type { RunConfig } from '../domain/run.js';
import type { AgentSpec, AssistantMessage, Bar, EquityPoint, LogEntry, Model, Position, Run, SymbolInfo, Trade, User } from '@tradewire/contract';

/**
 * Domain records the repositories hand out, derived from the contract's wire types: JSON columns
 * parsed (and checked against the contract where the contract has a schema), secrets still sealed.
 */
export type UserRecord = User & { password_hash: string; created_at: string };

export type ModelRecord = Omit<Model, 'agent' | 'status' | 'last_run'> & {
  /** The agent as the contract defines it, parsed once as it is read; an LLM's `api_key` is never here. */
  agent: AgentSpec;
  /** The LLM API key, sealed by the secret box; null for other agents or without a key. */
  agent_secret: string | null;
};

export type ModelWrite = Omit<ModelRecord, 'id' | 'user_id' | 'created_at' | 'updated_at'>;

export type RunRecord = Run & {
  /** The model's settings as the run used them. */
  config: RunConfig;
  cash: number;
  step: number;
  total_steps: number;
  last_date: string | null;
  trade_count: number;
};

export type RunCreate = Pick<
  RunRecord,
  'model_id' | 'start_date' | 'end_date' | 'pace_ms' | 'config' | 'started_at' | 'cash' | 'total_steps'
>;

export type PositionRecord = Omit<Position, 'market_value' | 'unrealized_pnl'>;

export type TradeRecord = Trade & { created_at: string };

export type TradeWrite = Omit<TradeRecord, 'id'>;

export type EquityPointRecord = EquityPoint & { step: number };

export type LogRecord = LogEntry & { model_id: number };

export interface StoredEvent {
  id: number;
  model_id: number;
  run_id: number | null;
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** Everything one trading step changes, written in one transaction. */
export interface StepWrite {
  run_id: number;
  step: number;
  date: string;
  cash: number;
  trade_count: number;
  /** Every position held after the step; the run's other stored positions are removed. */
  positions: PositionRecord[];
  /**
   * The symbols the run held as last written, when the caller knows them: only those no longer
   * held are deleted (no statement at all on a day that closes nothing).
   */
  previous?: string[];
  trades: TradeWrite[];
  equity: EquityPointRecord;
  events: StoredEvent[];
  /** A live run's place after this step, written with it. */
  live?: LiveRunState;
}

/** Where a live run is between bars: what a restart resumes from. */
export interface LiveRunState {
  /** The start of the last bar the run acted on, as bars are dated. */
  last_bar: string;
  /** Orders placed at that bar's close, to fill at the next bar's open. */
  pending: { symbol: string; side: 'buy' | 'sell'; quantity: number; reason?: string }[];
}

export type BarRecord = Bar;

export type SymbolRecord = SymbolInfo;

/** What a stored data set is; bars of one data set all come from one source, adjusted alike. */
export interface DatasetWrite {
  name: string;
  source: 'import' | 'provider';
  provider: 'yahoo' | 'alpaca' | 'alphavantage' | null;
  adjusted: boolean;
}

export interface DatasetRecord extends DatasetWrite {
  symbols: number;
  /** First and last bar date over all its symbols; null without bars. */
  first: string | null;
  last: string | null;
  updated_at: string;
}

/** A split whose factor divided the stored prices before its date (and multiplied volumes). */
export interface SplitAdjustment {
  date: string;
  ratio: string;
  factor: number;
}

/** The splits a symbol's stored bars were back-adjusted for. */
export interface SymbolSplits {
  symbol: string;
  splits: SplitAdjustment[];
}

/** One symbol's bars to store. */
export interface SeriesWrite {
  info: SymbolRecord;
  bars: BarRecord[];
  /**
   * Every split the symbol's stored bars are back-adjusted for, recorded with them. Omitted: none
   * when the series is replaced whole; an update (`keepEarlier`) keeps what was recorded.
   */
  splitAdjusted?: SplitAdjustment[];
  /**
   * An update: keep the stored bars dated before the first new one. Otherwise the series is
   * replaced whole.
   */
  keepEarlier?: boolean;
}

/** First and last stored bar of a symbol. */
export interface SymbolSpan {
  symbol: string;
  first: string;
  last: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** A stored arena: a line-up of runs started together over the same dates. */
export interface ArenaRecord {
  id: number;
  user_id: number;
  name: string;
  start_date: string;
  end_date: string;
  pace_ms: number;
  run_ids: number[];
  created_at: string;
}

/** A user's run-assistant endpoint; the key is still sealed. */
export interface AssistantEndpointRecord {
  user_id: number;
  base_url: string;
  model: string;
  /** The API key sealed by the secret box; null: none. */
  api_key_secret: string | null;
  updated_at: string;
}

export interface AssistantConversationRecord {
  id: number;
  user_id: number;
  model_id: number;
  run_id: number | null;
  title: string;
  created_at: string;
  updated_at: string;
}

export type AssistantMessageRecord = AssistantMessage & { conversation_id: number };

/** A trade of a user's own run, with what a link to it needs. */
export interface TradeRef {
  trade_id: number;
  model_id: number;
  run_id: number;
  run_number: number;
  date: string;
}

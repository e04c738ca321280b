import type { RunConfig } from '../domain/run.js';
import type { AgentKind, Metrics, RiskRules, RunStatus, Usage } from '@tradewire/contract';

/** Domain records the repositories hand out: JSON columns parsed, secrets still sealed. */
export interface UserRecord {
  id: number;
  email: string;
  password_hash: string;
  display_name: string;
  role: 'user' | 'admin';
  created_at: string;
}

export interface ModelRecord {
  id: number;
  user_id: number;
  name: string;
  description: string;
  agent_kind: AgentKind;
  agent_params: Record<string, unknown>;
  agent_secret: string | null;
  initial_cash: number;
  allowed_symbols: string[];
  risk: RiskRules;
  commission_bps: number;
  slippage_bps: number;
  /** The market data set it trades on. */
  dataset: string;
  created_at: string;
  updated_at: string;
}

export type ModelWrite = Omit<ModelRecord, 'id' | 'user_id' | 'created_at' | 'updated_at'>;

export interface RunRecord {
  id: number;
  model_id: number;
  run_number: number;
  status: RunStatus;
  start_date: string;
  end_date: string;
  pace_ms: number;
  config: RunConfig;
  started_at: string;
  ended_at: string | null;
  error: string | null;
  metrics: Metrics | null;
  usage: Usage | null;
  cash: number;
  step: number;
  total_steps: number;
  last_date: string | null;
  trade_count: number;
}

export type RunCreate = Pick<
  RunRecord,
  'model_id' | 'start_date' | 'end_date' | 'pace_ms' | 'config' | 'started_at' | 'cash' | 'total_steps'
>;

export interface PositionRecord {
  symbol: string;
  quantity: number;
  avg_cost: number;
  last_price: number;
}

export interface TradeRecord {
  id: number;
  run_id: number;
  model_id: number;
  step: number;
  date: string;
  action: 'buy' | 'sell' | 'hold';
  symbol: string | null;
  quantity: number;
  price: number;
  amount: number;
  commission: number;
  cash_after: number;
  status: 'filled' | 'rejected';
  reason: string | null;
  created_at: string;
}

export type TradeWrite = Omit<TradeRecord, 'id'>;

export interface EquityPointRecord {
  step: number;
  date: string;
  equity: number;
  cash: number;
}

export interface LogRecord {
  id: number;
  model_id: number;
  run_id: number | null;
  level: 'info' | 'warn' | 'error';
  message: string;
  created_at: string;
}

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
  positions: PositionRecord[];
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

export interface BarRecord {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface SymbolRecord {
  symbol: string;
  name: string;
  sector: string;
  source: string;
}

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

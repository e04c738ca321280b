import type { Generated } from 'kysely';

/** Row shapes as stored. JSON columns are TEXT holding JSON. */
export interface UsersTable {
  id: Generated<number>;
  email: string;
  password_hash: string;
  display_name: string;
  role: 'user' | 'admin';
  created_at: string;
}

export interface RevokedTokensTable {
  jti: string;
  expires_at: number;
}

export interface ModelsTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  name_key: string;
  description: string;
  agent_kind: string;
  agent_params: string;
  agent_secret: string | null;
  initial_cash: number;
  allowed_symbols: string;
  risk: string;
  commission_bps: number;
  slippage_bps: number;
  dataset: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface RunsTable {
  id: Generated<number>;
  model_id: number;
  run_number: number;
  status: 'running' | 'completed' | 'stopped' | 'failed' | 'interrupted';
  start_date: string;
  end_date: string;
  pace_ms: number;
  config: string;
  started_at: string;
  ended_at: string | null;
  error: string | null;
  metrics: string | null;
  usage: string | null;
  cash: number;
  step: number;
  total_steps: number;
  last_date: string | null;
  trade_count: number;
}

export interface PositionsTable {
  run_id: number;
  symbol: string;
  quantity: number;
  avg_cost: number;
  last_price: number;
}

export interface TradesTable {
  id: Generated<number>;
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

export interface EquityPointsTable {
  run_id: number;
  step: number;
  date: string;
  equity: number;
  cash: number;
}

export interface LogsTable {
  id: Generated<number>;
  model_id: number;
  run_id: number | null;
  level: 'info' | 'warn' | 'error';
  message: string;
  created_at: string;
}

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

export interface MarketBarsTable {
  dataset: string;
  symbol: string;
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

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
  live_runs: LiveRunsTable;
  market_intraday: MarketIntradayTable;
}

import type { Metrics, RunStatus, Usage, UserSettings } from '@tradewire/contract';
import type {
  ArenaRecord,
  AssistantConversationRecord,
  AssistantEndpointRecord,
  AssistantMessageRecord,
  BarRecord,
  DatasetRecord,
  DatasetWrite,
  EquityPointRecord,
  LogRecord,
  ModelRecord,
  ModelWrite,
  Page,
  PositionRecord,
  RunCreate,
  RunRecord,
  SeriesWrite,
  StepWrite,
  LiveRunState,
  StoredEvent,
  SymbolRecord,
  SymbolSpan,
  SymbolSplits,
  TradeRecord,
  TradeRef,
  UserRecord,
} from './records.js';

/** Thrown when a write would break a uniqueness rule (email, model name). */
export class UniqueViolation extends Error {
  constructor(readonly field: string) {
    super(`${field} already exists`);
  }
}

/**
 * Thrown when a step is written for a run that is no longer running: another process closed it
 * (its owner was presumed gone). Nothing of the step is written; the session that wrote it stops.
 */
export class RunClosed extends Error {
  override name = 'RunClosed';
  constructor(readonly runId: number) {
    super(`run ${runId} was closed while its session was still writing`);
  }
}

/** True when `e`, or an error it was caused by, is RunClosed. */
export function isRunClosed(e: unknown): boolean {
  for (let c: unknown = e; c instanceof Error; c = c.cause) if (c instanceof RunClosed) return true;
  return false;
}

/** Thrown when a write names a data set that holds another kind of data (another provider, unadjusted prices). */
export class DatasetMismatch extends Error {
  override name = 'DatasetMismatch';
}

export interface EventSearch {
  modelIds: number[];
  q?: string;
  types?: string[];
  /** Only buy/sell trades that filled. */
  fillsOnly?: boolean;
  /** Only trades and decisions of this action. */
  action?: 'buy' | 'sell' | 'hold';
  /** Only trades of this symbol (exact, upper case). */
  symbol?: string;
  runId?: number;
  from?: string;
  to?: string;
  limit: number;
  cursor?: number;
}

/** Thrown when a role change would leave the platform without an admin. */
export class LastAdmin extends Error {
  override name = 'LastAdmin';
}

/** An account with how many models it owns; never the password hash. */
export type UserSummary = Omit<UserRecord, 'password_hash'> & { model_count: number };

/** The one storage interface; SQLite and PostgreSQL both implement it. */
export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  close(): Promise<void>;

  users: {
    /** The first account on an empty database becomes admin. */
    create(u: { email: string; password_hash: string; display_name: string }): Promise<UserRecord>;
    byEmail(email: string): Promise<UserRecord | undefined>;
    byId(id: number): Promise<UserRecord | undefined>;
    /** Every account with its model count, oldest first. */
    list(): Promise<UserSummary[]>;
    /** Undefined for an unknown id; fails with LastAdmin, changing nothing, when it would demote the last admin. */
    setRole(id: number, role: UserRecord['role']): Promise<UserRecord | undefined>;
  };
  tokens: {
    revoke(jti: string, expiresAt: number): Promise<void>;
    isRevoked(jti: string): Promise<boolean>;
  };
  /** Each user's settings as one JSON document; the HTTP layer parses it, filling fields added since. */
  settings: {
    /** Undefined when the user never saved settings. */
    get(userId: number): Promise<unknown>;
    put(userId: number, settings: UserSettings): Promise<void>;
  };
  models: {
    create(userId: number, m: ModelWrite): Promise<ModelRecord>;
    byId(id: number): Promise<ModelRecord | undefined>;
    listByUser(userId: number): Promise<ModelRecord[]>;
    /** Every user's models, by id. */
    listAll(): Promise<ModelRecord[]>;
    update(id: number, m: ModelWrite): Promise<ModelRecord>;
    delete(id: number): Promise<boolean>;
  };
  runs: {
    /** Numbers the run per model; fails with UniqueViolation('run') if the model already runs. */
    create(r: RunCreate): Promise<RunRecord>;
    byId(id: number): Promise<RunRecord | undefined>;
    listByModel(modelId: number): Promise<RunRecord[]>;
    latestByModel(modelId: number): Promise<RunRecord | undefined>;
    running(): Promise<RunRecord[]>;
    /** The latest run of each of these models that has one. */
    latestPerModel(modelIds: number[]): Promise<RunRecord[]>;
    /** For each model with a completed run, its latest completed run. */
    latestCompletedPerModel(): Promise<RunRecord[]>;
    finish(
      id: number,
      f: { status: RunStatus; ended_at: string; error: string | null; metrics: Metrics | null; usage: Usage | null },
    ): Promise<void>;
    /** Marks every run still `running` as `interrupted`, but those in `keep` (live runs resume); returns them. */
    interruptAll(endedAt: string, keep?: readonly number[]): Promise<RunRecord[]>;
    /** A live run's place between bars, as its last step wrote it; undefined before its first step. */
    liveState(runId: number): Promise<LiveRunState | undefined>;
    delete(id: number): Promise<void>;
    positions(runId: number): Promise<PositionRecord[]>;
    equityCurve(runId: number): Promise<EquityPointRecord[]>;
    /** Cash, positions, trades, equity point and events of one step, atomically. */
    recordStep(s: StepWrite): Promise<void>;
  };
  trades: {
    list(q: { model_id: number; run_id?: number; limit: number; cursor?: number }): Promise<Page<TradeRecord>>;
    /** Filled buy/sell trades of these models recorded at or after `since` (ISO time). */
    countFilledSince(modelIds: number[], since: string): Promise<number>;
  };
  logs: {
    add(l: Omit<LogRecord, 'id'>): Promise<void>;
    list(q: { model_id: number; run_id?: number; limit: number; cursor?: number }): Promise<Page<LogRecord>>;
  };
  events: {
    add(e: StoredEvent): Promise<void>;
    maxId(): Promise<number>;
    byRun(runId: number, q: { limit: number; after?: number }): Promise<StoredEvent[]>;
    after(modelIds: number[], afterId: number, limit: number): Promise<StoredEvent[]>;
    /** The newest `limit` events of a model, oldest first. */
    recentByModel(modelId: number, limit: number): Promise<StoredEvent[]>;
    /**
     * Events of these models, newest first, one page after `cursor` (an id). `q` matches the
     * event's data text case-insensitively (a substring of its JSON); `from`/`to` bound the
     * timestamp, both inclusive.
     */
    search(q: EventSearch): Promise<Page<StoredEvent>>;
  };
  arenas: {
    create(a: Omit<ArenaRecord, 'id'>): Promise<ArenaRecord>;
    byId(id: number): Promise<ArenaRecord | undefined>;
    /** A user's arenas, newest first, one page after `cursor` (an id). */
    listByUser(userId: number, q: { limit: number; cursor?: number }): Promise<Page<ArenaRecord>>;
  };
  /** The run assistant: each user's endpoint, conversations and messages, and tokens used per day. */
  assistant: {
    endpoint(userId: number): Promise<AssistantEndpointRecord | undefined>;
    /** `api_key_secret` undefined keeps the stored key. */
    putEndpoint(userId: number, e: { base_url: string; model: string; api_key_secret: string | null | undefined }): Promise<AssistantEndpointRecord>;
    deleteEndpoint(userId: number): Promise<boolean>;
    createConversation(c: Omit<AssistantConversationRecord, 'id' | 'created_at' | 'updated_at'>): Promise<AssistantConversationRecord>;
    conversation(id: number): Promise<AssistantConversationRecord | undefined>;
    /** A user's conversations, most recently active first; `run_id: null` selects those about a model as a whole. */
    conversations(userId: number, q: { model_id?: number; run_id?: number | null; limit: number }): Promise<AssistantConversationRecord[]>;
    deleteConversation(id: number): Promise<boolean>;
    /** A conversation's messages, oldest first. */
    messages(conversationId: number): Promise<AssistantMessageRecord[]>;
    /** Stores a message and marks its conversation active. */
    addMessage(m: Omit<AssistantMessageRecord, 'id'>): Promise<AssistantMessageRecord>;
    /** Adds to the tokens a user used on a UTC day (YYYY-MM-DD). */
    addUsage(userId: number, day: string, tokens: number): Promise<void>;
    usage(userId: number, day: string): Promise<number>;
    /** Which of these trade ids are trades of the user's own runs, with their run; the others are left out. */
    tradeRefs(userId: number, tradeIds: number[]): Promise<TradeRef[]>;
  };
  /** Imported and downloaded market data, by data set; the simulated market is never stored. */
  market: {
    /** Every stored data set with its symbol count and date span, by name. */
    datasets(): Promise<DatasetRecord[]>;
    dataset(name: string): Promise<DatasetRecord | undefined>;
    symbols(dataset: string): Promise<SymbolRecord[]>;
    bars(dataset: string, symbol: string, from?: string, to?: string): Promise<BarRecord[]>;
    /** First and last bar of each symbol of the data set that has bars. */
    spans(dataset: string): Promise<SymbolSpan[]>;
    /** Symbols of the data set whose bars were back-adjusted for splits, with those splits. */
    splitAdjusted(dataset: string): Promise<SymbolSplits[]>;
    /**
     * Writes series into a data set, creating it on first use, all in one transaction: nothing is
     * half-written. Fails with DatasetMismatch, writing nothing, when the data set holds another
     * source, provider or adjustment.
     */
    save(dataset: DatasetWrite, items: SeriesWrite[]): Promise<void>;
    /**
     * Writes one symbol's intraday bars at one resolution (`1m`, `5m`, `15m`, `1h`) into a data
     * set, creating it on first use, in one transaction: each trading day (UTC date) the bars
     * touch is replaced whole by the given bars of that day. Packed, one row per day.
     */
    saveIntraday(dataset: DatasetWrite, info: SymbolRecord, timeframe: string, bars: BarRecord[]): Promise<void>;
    /** A symbol's intraday bars at one resolution within [from, to] (YYYY-MM-DD days, inclusive), oldest first. */
    intradayBars(dataset: string, symbol: string, timeframe: string, from?: string, to?: string): Promise<BarRecord[]>;
    /** The resolutions the data set holds intraday bars at, and for which symbols. */
    intradaySeries(dataset: string): Promise<{ symbol: string; timeframe: string; days: number; first: string; last: string }[]>;
  };
}

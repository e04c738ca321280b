import type { Kysely, Selectable, Transaction } from 'kysely';
import { AgentSpec } from '@tradewire/contract';
import { RunConfig } from '../../domain/run.js';
import type { ArenasTable, Database, ModelsTable, RunsTable } from '../schema.js';
import type { ArenaRecord, ModelRecord, ModelWrite, Page, RunRecord, StoredEvent } from '../records.js';

/** Row mappers and helpers the repositories share. */

export type Db = Kysely<Database>;

/** What every repository is given: the database and the two check-then-write helpers. */
export interface RepositoryContext {
  db: Db;
  /** Transactions that may write at once: SQLite's one connection runs one; PostgreSQL's pool several. */
  writers: number;
  /**
   * Holds a lock on `scope`/`id` until the transaction ends, so a check and the write that depends
   * on it cannot interleave with another transaction doing the same (PostgreSQL; SQLite's one
   * connection runs one transaction at a time).
   */
  serialise(tx: Transaction<Database>, scope: keyof typeof LOCKS, id?: number): Promise<void>;
  /** Runs `fn`, turning a unique-key violation into UniqueViolation(field). */
  unique<T>(field: string, fn: () => Promise<T>): Promise<T>;
}

export const isUniqueError = (e: unknown) => {
  const err = e as { code?: string };
  return err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || err?.code === '23505';
};

export const toModel = (r: Selectable<ModelsTable>): ModelRecord => ({
  id: Number(r.id),
  user_id: Number(r.user_id),
  name: r.name,
  description: r.description,
  agent: AgentSpec.parse({ kind: r.agent_kind, params: JSON.parse(r.agent_params) }),
  agent_secret: r.agent_secret,
  initial_cash: Number(r.initial_cash),
  allowed_symbols: JSON.parse(r.allowed_symbols),
  risk: JSON.parse(r.risk),
  commission_bps: Number(r.commission_bps),
  slippage_bps: Number(r.slippage_bps),
  dataset: r.dataset,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export const modelRow = (m: ModelWrite) => ({
  name: m.name,
  name_key: m.name.toLowerCase(),
  description: m.description,
  agent_kind: m.agent.kind,
  agent_params: JSON.stringify(m.agent.params),
  agent_secret: m.agent_secret,
  initial_cash: m.initial_cash,
  allowed_symbols: JSON.stringify(m.allowed_symbols),
  risk: JSON.stringify(m.risk),
  commission_bps: m.commission_bps,
  slippage_bps: m.slippage_bps,
  dataset: m.dataset,
});

export const toRun = (r: Selectable<RunsTable>): RunRecord => ({
  ...r,
  id: Number(r.id),
  model_id: Number(r.model_id),
  run_number: Number(r.run_number),
  pace_ms: Number(r.pace_ms),
  config: RunConfig.parse(JSON.parse(r.config)),
  metrics: r.metrics ? JSON.parse(r.metrics) : null,
  usage: r.usage ? JSON.parse(r.usage) : null,
  cash: Number(r.cash),
  step: Number(r.step),
  total_steps: Number(r.total_steps),
  trade_count: Number(r.trade_count),
});

export const toEvent = (r: { id: number | string; model_id: number; run_id: number | null; type: string; timestamp: string; data: string }): StoredEvent => ({
  id: Number(r.id),
  model_id: Number(r.model_id),
  run_id: r.run_id === null ? null : Number(r.run_id),
  type: r.type,
  timestamp: r.timestamp,
  data: JSON.parse(r.data),
});

export function paged<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, next_cursor: more ? String(items[items.length - 1]!.id) : null };
}

/**
 * A LIKE pattern for `text` anywhere in a lowercased JSON column: the text JSON-escaped as it is
 * stored, then LIKE's wildcards escaped with `!` (an escape character both engines read the same).
 */
export function containsPattern(text: string): string {
  const stored = JSON.stringify(text.toLowerCase()).slice(1, -1);
  return `%${stored.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export function toArena(row: Selectable<ArenasTable>): ArenaRecord {
  return { ...row, id: Number(row.id), run_ids: JSON.parse(row.run_ids) as number[] };
}

/** A LIKE pattern matching `"key":"value"` in stored JSON. */
export function fieldPattern(key: string, value: string): string {
  return `%${JSON.stringify({ [key]: value }).slice(1, -1).replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

export const now = () => new Date().toISOString();

/** What a check-then-write transaction serialises on: the first key of its advisory lock. */
export const LOCKS = { signup: 1, modelRuns: 2, market: 3, roles: 4 } as const;


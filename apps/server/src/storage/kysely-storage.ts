import { type Kysely, type Selectable, type Transaction, sql } from 'kysely';
import type { ArenasTable, Database, ModelsTable, RunsTable } from './schema.js';
import { claimDataset, toDataset, toSymbolSplits, writeSeries } from './market-rows.js';
import type { ArenaRecord, ModelRecord, ModelWrite, Page, RunRecord, StepWrite, StoredEvent } from './records.js';
import { LastAdmin, type Storage, UniqueViolation } from './storage.js';

type Db = Kysely<Database>;

const isUniqueError = (e: unknown) => {
  const err = e as { code?: string };
  return err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || err?.code === '23505';
};

const toModel = (r: Selectable<ModelsTable>): ModelRecord => ({
  id: Number(r.id),
  user_id: Number(r.user_id),
  name: r.name,
  description: r.description,
  agent_kind: r.agent_kind as ModelRecord['agent_kind'],
  agent_params: JSON.parse(r.agent_params),
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

const modelRow = (m: ModelWrite) => ({
  name: m.name,
  name_key: m.name.toLowerCase(),
  description: m.description,
  agent_kind: m.agent_kind,
  agent_params: JSON.stringify(m.agent_params),
  agent_secret: m.agent_secret,
  initial_cash: m.initial_cash,
  allowed_symbols: JSON.stringify(m.allowed_symbols),
  risk: JSON.stringify(m.risk),
  commission_bps: m.commission_bps,
  slippage_bps: m.slippage_bps,
  dataset: m.dataset,
});

const toRun = (r: Selectable<RunsTable>): RunRecord => ({
  ...r,
  id: Number(r.id),
  model_id: Number(r.model_id),
  run_number: Number(r.run_number),
  pace_ms: Number(r.pace_ms),
  config: JSON.parse(r.config),
  metrics: r.metrics ? JSON.parse(r.metrics) : null,
  usage: r.usage ? JSON.parse(r.usage) : null,
  cash: Number(r.cash),
  step: Number(r.step),
  total_steps: Number(r.total_steps),
  trade_count: Number(r.trade_count),
});

const toEvent = (r: { id: number | string; model_id: number; run_id: number | null; type: string; timestamp: string; data: string }): StoredEvent => ({
  id: Number(r.id),
  model_id: Number(r.model_id),
  run_id: r.run_id === null ? null : Number(r.run_id),
  type: r.type,
  timestamp: r.timestamp,
  data: JSON.parse(r.data),
});

function paged<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, next_cursor: more ? String(items[items.length - 1]!.id) : null };
}

/**
 * A LIKE pattern for `text` anywhere in a lowercased JSON column: the text JSON-escaped as it is
 * stored, then LIKE's wildcards escaped with `!` (an escape character both engines read the same).
 */
function containsPattern(text: string): string {
  const stored = JSON.stringify(text.toLowerCase()).slice(1, -1);
  return `%${stored.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

function toArena(row: Selectable<ArenasTable>): ArenaRecord {
  return { ...row, id: Number(row.id), run_ids: JSON.parse(row.run_ids) as number[] };
}

/** A LIKE pattern matching `"key":"value"` in stored JSON. */
function fieldPattern(key: string, value: string): string {
  return `%${JSON.stringify({ [key]: value }).slice(1, -1).replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

const now = () => new Date().toISOString();

/** What a check-then-write transaction serialises on: the first key of its advisory lock. */
const LOCKS = { signup: 1, modelRuns: 2, market: 3, roles: 4 } as const;

/** One repository implementation over Kysely; the dialect only changes the connection. */
export class KyselyStorage implements Storage {
  constructor(
    readonly db: Db,
    readonly kind: 'sqlite' | 'postgres',
  ) {}

  close() {
    return this.db.destroy();
  }

  /**
   * Holds a lock on `scope`/`id` until the transaction ends, so a check and the write that depends
   * on it cannot interleave with another transaction doing the same. SQLite needs nothing: its one
   * connection runs one transaction at a time. PostgreSQL at READ COMMITTED would let both pass the
   * check, so it takes a transaction-level advisory lock.
   */
  private async serialise(tx: Transaction<Database>, scope: keyof typeof LOCKS, id = 0): Promise<void> {
    if (this.kind === 'postgres') await sql`select pg_advisory_xact_lock(${LOCKS[scope]}, ${id})`.execute(tx);
  }

  private async unique<T>(field: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isUniqueError(e)) throw new UniqueViolation(field);
      throw e;
    }
  }

  users: Storage['users'] = {
    create: (u) =>
      this.unique('email', () =>
        this.db.transaction().execute(async (tx) => {
          await this.serialise(tx, 'signup');
          const any = await tx.selectFrom('users').select('id').limit(1).executeTakeFirst();
          const row = await tx
            .insertInto('users')
            .values({ ...u, role: any ? 'user' : 'admin', created_at: now() })
            .returningAll()
            .executeTakeFirstOrThrow();
          return { ...row, id: Number(row.id) };
        }),
      ),
    byEmail: async (email) => {
      const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      return row && { ...row, id: Number(row.id) };
    },
    byId: async (id) => {
      const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && { ...row, id: Number(row.id) };
    },
    list: async () => {
      const rows = await this.db
        .selectFrom('users as u')
        .leftJoin('models as m', 'm.user_id', 'u.id')
        .select((eb) => ['u.id', 'u.email', 'u.display_name', 'u.role', 'u.created_at', eb.fn.count<number>('m.id').as('model_count')])
        .groupBy(['u.id', 'u.email', 'u.display_name', 'u.role', 'u.created_at'])
        .orderBy('u.id')
        .execute();
      return rows.map((r) => ({ ...r, id: Number(r.id), model_count: Number(r.model_count) }));
    },
    setRole: (id, role) =>
      this.db.transaction().execute(async (tx) => {
        await this.serialise(tx, 'roles');
        const current = await tx.selectFrom('users').select('role').where('id', '=', id).executeTakeFirst();
        if (!current) return undefined;
        if (current.role === 'admin' && role !== 'admin') {
          const admins = await tx
            .selectFrom('users')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('role', '=', 'admin')
            .executeTakeFirstOrThrow();
          if (Number(admins.n) <= 1) throw new LastAdmin('the platform needs at least one admin');
        }
        const row = await tx.updateTable('users').set({ role }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        return { ...row, id: Number(row.id) };
      }),
  };

  settings: Storage['settings'] = {
    get: async (userId) => {
      const row = await this.db.selectFrom('user_settings').select('settings').where('user_id', '=', userId).executeTakeFirst();
      return row && (JSON.parse(row.settings) as unknown);
    },
    put: async (userId, settings) => {
      const row = { user_id: userId, settings: JSON.stringify(settings), updated_at: now() };
      await this.db
        .insertInto('user_settings')
        .values(row)
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ settings: row.settings, updated_at: row.updated_at }))
        .execute();
    },
  };

  tokens: Storage['tokens'] = {
    revoke: async (jti, expiresAt) => {
      await this.db.deleteFrom('revoked_tokens').where('expires_at', '<', Math.floor(Date.now() / 1000)).execute();
      await this.db
        .insertInto('revoked_tokens')
        .values({ jti, expires_at: expiresAt })
        .onConflict((oc) => oc.column('jti').doNothing())
        .execute();
    },
    isRevoked: async (jti) =>
      !!(await this.db.selectFrom('revoked_tokens').select('jti').where('jti', '=', jti).executeTakeFirst()),
  };

  models: Storage['models'] = {
    create: (userId, m) =>
      this.unique('name', async () => {
        const ts = now();
        const row = await this.db
          .insertInto('models')
          .values({ ...modelRow(m), user_id: userId, created_at: ts, updated_at: ts })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toModel(row);
      }),
    byId: async (id) => {
      const row = await this.db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toModel(row);
    },
    listByUser: async (userId) =>
      (await this.db.selectFrom('models').selectAll().where('user_id', '=', userId).orderBy('id').execute()).map(toModel),
    listAll: async () => (await this.db.selectFrom('models').selectAll().orderBy('id').execute()).map(toModel),
    update: (id, m) =>
      this.unique('name', async () => {
        const row = await this.db
          .updateTable('models')
          .set({ ...modelRow(m), updated_at: now() })
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirstOrThrow();
        return toModel(row);
      }),
    delete: async (id) => {
      const r = await this.db.deleteFrom('models').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };

  runs: Storage['runs'] = {
    create: (r) =>
      this.db.transaction().execute(async (tx) => {
        await this.serialise(tx, 'modelRuns', r.model_id);
        const running = await tx
          .selectFrom('runs')
          .select('id')
          .where('model_id', '=', r.model_id)
          .where('status', '=', 'running')
          .executeTakeFirst();
        if (running) throw new UniqueViolation('run');
        const last = await tx
          .selectFrom('runs')
          .select((eb) => eb.fn.max('run_number').as('n'))
          .where('model_id', '=', r.model_id)
          .executeTakeFirst();
        const row = await tx
          .insertInto('runs')
          .values({
            ...r,
            config: JSON.stringify(r.config),
            run_number: Number(last?.n ?? 0) + 1,
            status: 'running',
            ended_at: null,
            error: null,
            metrics: null,
            usage: null,
            step: 0,
            last_date: null,
            trade_count: 0,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toRun(row);
      }),
    byId: async (id) => {
      const row = await this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRun(row);
    },
    listByModel: async (modelId) =>
      (await this.db.selectFrom('runs').selectAll().where('model_id', '=', modelId).orderBy('run_number', 'desc').execute()).map(
        toRun,
      ),
    latestByModel: async (modelId) => {
      const row = await this.db
        .selectFrom('runs')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('run_number', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && toRun(row);
    },
    running: async () =>
      (await this.db.selectFrom('runs').selectAll().where('status', '=', 'running').execute()).map(toRun),
    latestPerModel: async (modelIds) => {
      if (modelIds.length === 0) return [];
      const rows = await this.db
        .selectFrom('runs as r')
        .selectAll('r')
        .where('r.model_id', 'in', modelIds)
        .where('r.run_number', '=', (eb) =>
          eb
            .selectFrom('runs as l')
            .select((l) => l.fn.max('l.run_number').as('n'))
            .whereRef('l.model_id', '=', 'r.model_id'),
        )
        .execute();
      return rows.map(toRun);
    },
    latestCompletedPerModel: async () => {
      const rows = await this.db
        .selectFrom('runs as r')
        .selectAll('r')
        .where('r.status', '=', 'completed')
        .where('r.run_number', '=', (eb) =>
          eb
            .selectFrom('runs as l')
            .select((l) => l.fn.max('l.run_number').as('n'))
            .whereRef('l.model_id', '=', 'r.model_id')
            .where('l.status', '=', 'completed'),
        )
        .orderBy('r.model_id')
        .execute();
      return rows.map(toRun);
    },
    finish: async (id, f) => {
      await this.db
        .updateTable('runs')
        .set({
          status: f.status,
          ended_at: f.ended_at,
          error: f.error,
          metrics: f.metrics ? JSON.stringify(f.metrics) : null,
          usage: f.usage ? JSON.stringify(f.usage) : null,
        })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .execute();
    },
    interruptAll: async (endedAt) => {
      const rows = await this.db
        .updateTable('runs')
        .set({ status: 'interrupted', ended_at: endedAt, error: 'The server stopped while this run was in progress' })
        .where('status', '=', 'running')
        .returningAll()
        .execute();
      return rows.map(toRun);
    },
    delete: async (id) => {
      await this.db.transaction().execute(async (tx) => {
        await tx.deleteFrom('run_events').where('run_id', '=', id).execute();
        await tx.deleteFrom('logs').where('run_id', '=', id).execute();
        await tx.deleteFrom('runs').where('id', '=', id).execute();
      });
    },
    positions: async (runId) =>
      this.db
        .selectFrom('positions')
        .select(['symbol', 'quantity', 'avg_cost', 'last_price'])
        .where('run_id', '=', runId)
        .orderBy('symbol')
        .execute(),
    equityCurve: async (runId) =>
      this.db
        .selectFrom('equity_points')
        .select(['step', 'date', 'equity', 'cash'])
        .where('run_id', '=', runId)
        .orderBy('step')
        .execute(),
    recordStep: (s) => this.db.transaction().execute((tx) => writeStep(tx, s)),
  };

  trades: Storage['trades'] = {
    list: async (q) => {
      let query = this.db.selectFrom('trades').selectAll().where('model_id', '=', q.model_id);
      if (q.run_id !== undefined) query = query.where('run_id', '=', q.run_id);
      if (q.cursor !== undefined) query = query.where('id', '<', q.cursor);
      const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
      return paged(
        rows.map((r) => ({ ...r, id: Number(r.id), run_id: Number(r.run_id), model_id: Number(r.model_id) })),
        q.limit,
      );
    },
    countFilledSince: async (modelIds, since) => {
      if (modelIds.length === 0) return 0;
      const r = await this.db
        .selectFrom('trades')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('model_id', 'in', modelIds)
        .where('status', '=', 'filled')
        .where('created_at', '>=', since)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };

  logs: Storage['logs'] = {
    add: async (l) => {
      await this.db.insertInto('logs').values(l).execute();
    },
    list: async (q) => {
      let query = this.db.selectFrom('logs').selectAll().where('model_id', '=', q.model_id);
      if (q.run_id !== undefined) query = query.where('run_id', '=', q.run_id);
      if (q.cursor !== undefined) query = query.where('id', '<', q.cursor);
      const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
      return paged(rows.map((r) => ({ ...r, id: Number(r.id) })), q.limit);
    },
  };

  events: Storage['events'] = {
    add: async (e) => {
      await this.db
        .insertInto('run_events')
        .values({ ...e, data: JSON.stringify(e.data) })
        .execute();
    },
    maxId: async () => {
      const r = await this.db
        .selectFrom('run_events')
        .select((eb) => eb.fn.max('id').as('m'))
        .executeTakeFirst();
      return Number(r?.m ?? 0);
    },
    byRun: async (runId, q) => {
      let query = this.db.selectFrom('run_events').selectAll().where('run_id', '=', runId);
      if (q.after !== undefined) query = query.where('id', '>', q.after);
      return (await query.orderBy('id').limit(q.limit).execute()).map(toEvent);
    },
    after: async (modelIds, afterId, limit) => {
      if (modelIds.length === 0) return [];
      const rows = await this.db
        .selectFrom('run_events')
        .selectAll()
        .where('model_id', 'in', modelIds)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toEvent);
    },
    recentByModel: async (modelId, limit) => {
      const rows = await this.db
        .selectFrom('run_events')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toEvent).reverse();
    },
    search: async (q) => {
      if (q.modelIds.length === 0) return { items: [], next_cursor: null };
      let query = this.db.selectFrom('run_events').selectAll().where('model_id', 'in', q.modelIds);
      if (q.types && q.types.length > 0) query = query.where('type', 'in', q.types);
      if (q.runId !== undefined) query = query.where('run_id', '=', q.runId);
      if (q.from !== undefined) query = query.where('timestamp', '>=', q.from);
      if (q.to !== undefined) query = query.where('timestamp', '<=', q.to);
      if (q.cursor !== undefined) query = query.where('id', '<', q.cursor);
      if (q.q) query = query.where(sql<boolean>`lower(data) like ${containsPattern(q.q)} escape '!'`);
      // The data column holds the codec's JSON.stringify output: a key and its value appear as
      // `"key":"value"` only as that field (a quote inside a string value is escaped).
      const field = (key: string, value: string) => sql<boolean>`data like ${fieldPattern(key, value)} escape '!'`;
      if (q.fillsOnly) {
        query = query.where('type', '=', 'trade').where(field('status', 'filled')).where((eb) => eb.not(field('action', 'hold')));
      }
      if (q.action !== undefined) query = query.where('type', 'in', ['trade', 'decision']).where(field('action', q.action));
      if (q.symbol !== undefined) query = query.where('type', '=', 'trade').where(field('symbol', q.symbol));
      const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
      return paged(rows.map(toEvent), q.limit);
    },
  };

  arenas: Storage['arenas'] = {
    create: async (a) => {
      const row = await this.db
        .insertInto('arenas')
        .values({ ...a, run_ids: JSON.stringify(a.run_ids) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toArena(row);
    },
    byId: async (id) => {
      const row = await this.db.selectFrom('arenas').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toArena(row);
    },
    listByUser: async (userId, q) => {
      let query = this.db.selectFrom('arenas').selectAll().where('user_id', '=', userId);
      if (q.cursor !== undefined) query = query.where('id', '<', q.cursor);
      const rows = await query.orderBy('id', 'desc').limit(q.limit + 1).execute();
      return paged(rows.map(toArena), q.limit);
    },
  };

  market: Storage['market'] = {
    datasets: async () => (await this.datasetQuery().execute()).map(toDataset),
    dataset: async (name) => {
      const row = await this.datasetQuery().where('d.name', '=', name).executeTakeFirst();
      return row && toDataset(row);
    },
    symbols: (dataset) =>
      this.db
        .selectFrom('market_symbols')
        .select(['symbol', 'name', 'sector', 'source'])
        .where('dataset', '=', dataset)
        .orderBy('symbol')
        .execute(),
    bars: (dataset, symbol, from, to) => {
      let q = this.db
        .selectFrom('market_bars')
        .select(['date', 'open', 'high', 'low', 'close', 'volume'])
        .where('dataset', '=', dataset)
        .where('symbol', '=', symbol);
      if (from) q = q.where('date', '>=', from);
      if (to) q = q.where('date', '<=', to);
      return q.orderBy('date').execute();
    },
    spans: async (dataset) => {
      const rows = await this.db
        .selectFrom('market_symbols')
        .select(['symbol', 'first_date', 'last_date'])
        .where('dataset', '=', dataset)
        .where('bar_count', '>', 0)
        .orderBy('symbol')
        .execute();
      return rows.map((r) => ({ symbol: r.symbol, first: r.first_date!, last: r.last_date! }));
    },
    splitAdjusted: async (dataset) => {
      const rows = await this.db
        .selectFrom('market_symbols')
        .select(['symbol', 'split_adjustments'])
        .where('dataset', '=', dataset)
        .where('split_adjustments', 'is not', null)
        .orderBy('symbol')
        .execute();
      return rows.map(toSymbolSplits);
    },
    save: (dataset, items) =>
      this.db.transaction().execute(async (tx) => {
        await this.serialise(tx, 'market');
        await claimDataset(tx, dataset);
        for (const item of items) await writeSeries(tx, dataset.name, item);
      }),
  };

  /** Data sets with their symbol counts and date spans, from the per-symbol summaries. */
  private datasetQuery() {
    return this.db
      .selectFrom('market_datasets as d')
      .leftJoin('market_symbols as s', 's.dataset', 'd.name')
      .select((eb) => [
        'd.name',
        'd.source',
        'd.provider',
        'd.adjusted',
        'd.updated_at',
        eb.fn.count<number>('s.symbol').as('symbols'),
        eb.fn.min('s.first_date').as('first'),
        eb.fn.max('s.last_date').as('last'),
      ])
      .groupBy(['d.name', 'd.source', 'd.provider', 'd.adjusted', 'd.updated_at'])
      .orderBy('d.name');
  }
}

async function writeStep(tx: Transaction<Database>, s: StepWrite): Promise<void> {
  await tx
    .updateTable('runs')
    .set({ cash: s.cash, step: s.step, last_date: s.date, trade_count: s.trade_count })
    .where('id', '=', s.run_id)
    .execute();
  await tx.deleteFrom('positions').where('run_id', '=', s.run_id).execute();
  if (s.positions.length > 0) {
    await tx
      .insertInto('positions')
      .values(s.positions.map((p) => ({ ...p, run_id: s.run_id })))
      .execute();
  }
  if (s.trades.length > 0) await tx.insertInto('trades').values(s.trades).execute();
  await tx
    .insertInto('equity_points')
    .values({ ...s.equity, run_id: s.run_id })
    .onConflict((oc) => oc.columns(['run_id', 'step']).doUpdateSet({ equity: s.equity.equity, cash: s.equity.cash }))
    .execute();
  if (s.events.length > 0) {
    await tx
      .insertInto('run_events')
      .values(s.events.map((e) => ({ ...e, data: JSON.stringify(e.data) })))
      .execute();
  }
}



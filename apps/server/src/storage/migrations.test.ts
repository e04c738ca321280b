import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/postgres.js';
import { KyselyStorage } from './kysely-storage.js';
import { type Dialect, migrate } from './migrations.js';
import type { Database as Schema } from './schema.js';

const dir = mkdtempSync(join(tmpdir(), 'tradewire-migrations-'));
let database: TestDatabase | undefined;
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database?.drop();
});

/** A database as version 002 left it: one imported symbol and a model, no data sets yet. */
async function atVersion2(db: Kysely<unknown>, dialect: Dialect) {
  await migrate(db, dialect, '002_runs_and_market');
  await sql`insert into users (email, password_hash, display_name, role, created_at) values ('a@example.com', 'h', 'a', 'admin', 'now')`.execute(db);
  await sql`insert into models (user_id, name, name_key, description, agent_kind, agent_params, agent_secret, initial_cash, allowed_symbols, risk, commission_bps, slippage_bps, created_at, updated_at)
    values (1, 'M', 'm', '', 'buy_and_hold', '{}', null, 1000, '[]', '{}', 0, 0, 'now', 'now')`.execute(db);
  await sql`insert into market_symbols (symbol, name, sector, source) values ('ACME', 'Acme', 'Tech', 'import')`.execute(db);
  await sql`insert into market_bars (symbol, date, open, high, low, close, volume) values
    ('ACME', '2024-01-02', 1, 2, 0.5, 1.5, 10), ('ACME', '2024-01-03', 1.5, 2, 1, 1.75, 20)`.execute(db);
}

async function expectMigrated(db: Kysely<unknown>, dialect: Dialect) {
  await migrate(db, dialect);
  const s = new KyselyStorage(db as Kysely<Schema>, dialect);
  expect((await s.market.datasets()).map(({ updated_at: _, ...d }) => d)).toEqual([
    { name: 'import', source: 'import', provider: null, adjusted: false, symbols: 1, first: '2024-01-02', last: '2024-01-03' },
  ]);
  expect(await s.market.symbols('import')).toEqual([{ symbol: 'ACME', name: 'Acme', sector: 'Tech', source: 'import' }]);
  expect((await s.market.bars('import', 'ACME')).map((b) => b.close)).toEqual([1.5, 1.75]);
  expect((await s.models.byId(1))?.dataset).toBe('simulated');
  // The rebuilt tables take writes under their new keys.
  await s.market.save({ name: 'import', source: 'import', provider: null, adjusted: false }, [
    { info: { symbol: 'ACME', name: 'Acme', sector: 'Tech', source: 'import' }, bars: [] },
  ]);
  expect(await s.market.spans('import')).toEqual([]);
  // 005: symbols record the splits their bars were back-adjusted for.
  expect(await s.market.splitAdjusted('import')).toEqual([]);
  const splits = [{ date: '2024-01-03', ratio: '2:1', factor: 2 }];
  await s.market.save({ name: 'import', source: 'import', provider: null, adjusted: false }, [
    { info: { symbol: 'ACME', name: 'Acme', sector: 'Tech', source: 'import' }, bars: [], splitAdjusted: splits },
  ]);
  expect(await s.market.splitAdjusted('import')).toEqual([{ symbol: 'ACME', splits }]);
}

describe('migration 003_market_datasets', () => {
  it('moves what SQLite held into the data set import and gives models the simulated one', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(join(dir, 'v2.db')) }) });
    try {
      await atVersion2(db, 'sqlite');
      await expectMigrated(db, 'sqlite');
    } finally {
      await db.destroy();
    }
  });

  it('does the same on PostgreSQL', async () => {
    database = await createTestDatabase();
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) }) });
    try {
      await atVersion2(db, 'postgres');
      await expectMigrated(db, 'postgres');
    } finally {
      await db.destroy();
    }
  });

  it('creates no data set on a database that had imported nothing', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(join(dir, 'empty.db')) }) });
    try {
      await migrate(db, 'sqlite');
      expect(await new KyselyStorage(db as Kysely<Schema>, 'sqlite').market.datasets()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});

import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/postgres.js';
import { openPostgres } from './postgres.js';
import { storageContract } from './storage.contract.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

// One database per file; each contract test starts from emptied tables (faster than a database each).
storageContract('postgres', async () => {
  const s = await openPostgres(database.url);
  const { rows } = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(s.db);
  await sql`truncate ${sql.join(rows.map((r) => sql.table(r.tablename)))} restart identity cascade`.execute(s.db);
  return s;
});

describe('openPostgres', () => {
  it('migrates once when several servers open a new database at the same time', async () => {
    const fresh = await createTestDatabase();
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openPostgres(fresh.url)));
      expect(stores.map((s) => s.kind)).toEqual(['postgres', 'postgres', 'postgres']);
      const u = await stores[0]!.users.create({ email: 'a@example.com', password_hash: 'h', display_name: 'a' });
      expect(await stores[2]!.users.byId(u.id)).toEqual(u);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await fresh.drop();
    }
  });

  it('reads BIGINT and NUMERIC as numbers without changing pg’s global parsers', async () => {
    const s = await openPostgres(database.url);
    try {
      const { rows } = await sql<{ big: unknown; num: unknown; real: unknown; count: unknown }>`
        select 9007199254740991::bigint as big, 12.5::numeric as num, 0.1::double precision as real,
               (select count(*) from generate_series(1, 3)) as count`.execute(s.db);
      expect(rows[0]).toEqual({ big: 9007199254740991, num: 12.5, real: 0.1, count: 3 });
      expect(pg.types.getTypeParser(pg.types.builtins.INT8)('5')).toBe('5');
    } finally {
      await s.close();
    }
  });

  it('fails to open with a clear error when the database is missing', async () => {
    const url = new URL(database.url);
    url.pathname = '/tw_test_does_not_exist';
    await expect(openPostgres(url.toString())).rejects.toThrow(/does not exist/);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/postgres.js';
import { namingStatements } from './postgres.js';
import { cachingStatements } from './sqlite.js';

describe('SQLite statements kept prepared', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tradewire-stmts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands the same statement back for the same SQL, a fresh one while it is busy, and keeps at most `size`', () => {
    const raw = new Database(join(dir, 'a.db'));
    raw.exec('create table t (x integer); insert into t values (1), (2), (3)');
    const db = cachingStatements(raw, 2);
    const a = db.prepare('select x from t');
    expect(db.prepare('select x from t')).toBe(a);

    // An open iterator keeps its statement busy: a second user must not share it.
    const iter = (a as Database.Statement).iterate();
    iter.next();
    const b = db.prepare('select x from t');
    expect(b).not.toBe(a);
    expect((b as Database.Statement).all()).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    iter.return?.();
    expect(db.prepare('select x from t')).toBe(a);

    db.prepare('select 1');
    db.prepare('select 2');
    // Least recently used went first.
    expect(db.prepare('select x from t')).not.toBe(a);
    db.close();
  });

  it('survives a schema change under a kept statement', () => {
    const raw = new Database(join(dir, 'b.db'));
    raw.exec('create table t (x integer); insert into t values (1)');
    const db = cachingStatements(raw);
    expect((db.prepare('select * from t') as Database.Statement).all()).toEqual([{ x: 1 }]);
    raw.exec('alter table t add column y integer default 7');
    expect((db.prepare('select * from t') as Database.Statement).all()).toEqual([{ x: 1, y: 7 }]);
    db.close();
  });
});

describe('PostgreSQL statements named and prepared once per connection', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<{ t: { x: number } }>;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 1 });
    // As openPostgres does: a terminated connection is dropped, not thrown.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    db = new Kysely({ dialect: new PostgresDialect({ pool: namingStatements(pool) }) });
    await sql`create table t (x integer)`.execute(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const prepared = async () =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements where name like 'tw_%'`.execute(db)).rows.map((r) => r.statement);

  it('prepares a data statement once and runs it again by name; DDL and transactions run unnamed', async () => {
    for (let i = 1; i <= 3; i++) await db.insertInto('t').values({ x: i }).execute();
    const rows = await db.selectFrom('t').select('x').where('x', '>', 1).orderBy('x').execute();
    expect(rows).toEqual([{ x: 2 }, { x: 3 }]);
    await db.transaction().execute(async (tx) => {
      await tx.updateTable('t').set({ x: 10 }).where('x', '=', 1).execute();
    });
    const names = await prepared();
    expect(names.filter((s) => s.startsWith('insert into "t"'))).toHaveLength(1);
    expect(names.filter((s) => s.startsWith('select "x" from "t"'))).toHaveLength(1);
    expect(names.filter((s) => s.startsWith('update "t"'))).toHaveLength(1);
    expect(names.some((s) => /^(begin|commit|create)/i.test(s))).toBe(false);
    expect((await db.selectFrom('t').select('x').orderBy('x').execute()).map((r) => r.x)).toEqual([2, 3, 10]);
  });

  it('prepares again on a new connection after the old one is terminated', async () => {
    const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]);
    await admin.end();
    // The pool notices the dead connection on its next use; the query after that runs on a new one.
    await db.selectFrom('t').select('x').execute().catch(() => {});
    expect((await db.selectFrom('t').select('x').where('x', '>', 1).orderBy('x').execute()).length).toBe(3);
  });
});

import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Database as Schema } from './schema.js';
import { KyselyStorage } from './kysely-storage.js';
import { migrate } from './migrations.js';

/** Most distinct statements kept prepared; queries with long IN lists come and go. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as Kysely sees it, with its prepared statements kept by SQL text: Kysely asks for
 * a new statement for every query, and preparing one costs more than running most of ours.
 * SQLite re-prepares a kept statement itself when the schema changes; one still busy (an open
 * iterator) is not shared: the query gets a fresh statement.
 */
export function cachingStatements(database: Database.Database, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      const kept = cache.get(sql);
      if (kept && !kept.busy) {
        // Least recently used first: move it to the end.
        cache.delete(sql);
        cache.set(sql, kept);
        return kept;
      }
      const stmt = database.prepare(sql);
      if (!kept) {
        cache.set(sql, stmt);
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
}

/** Opens (and migrates) the SQLite file: WAL for concurrent readers, foreign keys enforced. */
export async function openSqlite(file: string): Promise<KyselyStorage> {
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingStatements(database) }) });
  await migrate(db as Kysely<unknown>, 'sqlite');
  return new KyselyStorage(db, 'sqlite');
}

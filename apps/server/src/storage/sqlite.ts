import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database as Schema } from './schema.js';
import { KyselyStorage } from './kysely-storage.js';
import { migrate } from './migrations.js';

/** Opens (and migrates) the SQLite file: WAL for concurrent readers, foreign keys enforced. */
export async function openSqlite(file: string): Promise<KyselyStorage> {
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
  await migrate(db as Kysely<unknown>, 'sqlite');
  return new KyselyStorage(db, 'sqlite');
}

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database as Schema } from './schema.js';
import { KyselyStorage } from './kysely-storage.js';
import { migrate } from './migrations.js';

/**
 * pg hands BIGINT (ids of events, COUNT(*)) and NUMERIC back as strings so no precision is lost;
 * our ids and counts stay far below 2^53 and our money columns are double precision anyway, so the
 * repositories want plain numbers. Set on this pool only: other pg users in the process keep the
 * library defaults.
 */
function numberTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  const toNumber = (value: string) => Number(value);
  types.setTypeParser(pg.types.builtins.INT8, toNumber);
  types.setTypeParser(pg.types.builtins.NUMERIC, toNumber);
  return types;
}

/** Opens (and migrates) a PostgreSQL database; several API nodes may share it. */
export async function openPostgres(url: string): Promise<KyselyStorage> {
  const pool = new pg.Pool({ connectionString: url, types: numberTypes() });
  // An idle client whose connection dies (restart, failover) is dropped from the pool and the next
  // query opens a new one; without a listener pg would crash the process on this event.
  pool.on('error', () => {});
  // A client checked out between two statements (inside a transaction) gets the same event from
  // its own connection; its next query fails and the caller retries on a fresh connection.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(db as Kysely<unknown>, 'postgres');
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return new KyselyStorage(db, 'postgres');
}

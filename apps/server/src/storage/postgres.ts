import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect, type PostgresCursor, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';
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

/** Most distinct statements given names; past it (long IN lists of every length) the rest run unnamed. */
const NAMED_STATEMENTS = 1000;
/** Statements PostgreSQL can keep prepared; everything else (DDL, BEGIN, locks) runs as sent. */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * The pool as Kysely sees it, with each data statement named after its text: pg then parses and
 * plans it once per connection and afterwards only binds and executes it (Kysely sends every
 * query unnamed, so PostgreSQL would parse and plan it again each time). A connection opened
 * later prepares its own; a dropped one takes its statements with it.
 */
export function namingStatements(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (sql: string) => {
    let name = names.get(sql);
    if (name === undefined && names.size < NAMED_STATEMENTS && PREPARABLE.test(sql)) {
      name = `tw_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
      names.set(sql, name);
    }
    return name;
  };
  const clients = new WeakMap<pg.PoolClient, NamingClient>();
  return {
    end: () => pool.end(),
    async connect() {
      const client = await pool.connect();
      let wrapped = clients.get(client);
      if (!wrapped) clients.set(client, (wrapped = new NamingClient(client, nameOf)));
      return wrapped;
    },
  };
}

/** A pooled client that sends each statement under the name `nameOf` gives it (none: unnamed). */
class NamingClient implements PostgresPoolClient {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly nameOf: (sql: string) => string | undefined,
  ) {}

  query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(sql: string | PostgresCursor<R>, parameters: readonly unknown[] = []): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // Kysely's streaming queries hand over a pg-cursor, which is a pg Submittable.
    if (typeof sql !== 'string') return this.client.query(sql as unknown as pg.Submittable) as unknown as PostgresCursor<R>;
    const name = this.nameOf(sql);
    return this.client.query<R & pg.QueryResultRow>({ ...(name ? { name } : {}), text: sql, values: [...parameters] }) as Promise<PostgresQueryResult<R>>;
  }

  release(destroy?: boolean) {
    this.client.release(destroy);
  }
}

/** Opens (and migrates) a PostgreSQL database; several API nodes may share it. */
export async function openPostgres(url: string): Promise<KyselyStorage> {
  // Pipelined: statements sent together (a step's writes) share one round trip instead of one each.
  const pool = new pg.Pool({ connectionString: url, types: numberTypes(), pipeline: true });
  // An idle client whose connection dies (restart, failover) is dropped from the pool and the next
  // query opens a new one; without a listener pg would crash the process on this event.
  pool.on('error', () => {});
  // A client checked out between two statements (inside a transaction) gets the same event from
  // its own connection; its next query fails and the caller retries on a fresh connection.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: namingStatements(pool) }) });
  try {
    await migrate(db as Kysely<unknown>, 'postgres');
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return new KyselyStorage(db, 'postgres');
}

import { type Kysely, type Transaction, sql } from 'kysely';
import { arenasRepository } from './repositories/arenas.js';
import { assistantRepository } from './repositories/assistant.js';
import { eventsRepository } from './repositories/events.js';
import { logsRepository } from './repositories/logs.js';
import { marketRepository } from './repositories/market.js';
import { modelsRepository } from './repositories/models.js';
import { isUniqueError, LOCKS, type RepositoryContext } from './repositories/rows.js';
import { runsRepository } from './repositories/runs.js';
import { settingsRepository } from './repositories/settings.js';
import { tokensRepository } from './repositories/tokens.js';
import { tradesRepository } from './repositories/trades.js';
import { usersRepository } from './repositories/users.js';
import type { Database } from './schema.js';
import { type Storage, UniqueViolation } from './storage.js';

/**
 * The storage over Kysely: one repository per file under `repositories/`, each given the database
 * and the check-then-write helpers; the dialect only changes the connection and the locking.
 */
/** Step transactions in flight at once on PostgreSQL (its pool holds 10 connections; the rest serve reads). */
const POSTGRES_STEP_WRITERS = 4;

export class KyselyStorage implements Storage {
  readonly users: Storage['users'];
  readonly settings: Storage['settings'];
  readonly tokens: Storage['tokens'];
  readonly models: Storage['models'];
  readonly runs: Storage['runs'];
  readonly trades: Storage['trades'];
  readonly logs: Storage['logs'];
  readonly events: Storage['events'];
  readonly arenas: Storage['arenas'];
  readonly market: Storage['market'];
  readonly assistant: Storage['assistant'];

  constructor(
    readonly db: Kysely<Database>,
    readonly kind: 'sqlite' | 'postgres',
  ) {
    const c: RepositoryContext = {
      db,
      writers: kind === 'postgres' ? POSTGRES_STEP_WRITERS : 1,
      // SQLite needs nothing: its one connection runs one transaction at a time. PostgreSQL at
      // READ COMMITTED would let two transactions pass the same check, so it takes a
      // transaction-level advisory lock.
      serialise: async (tx: Transaction<Database>, scope: keyof typeof LOCKS, id = 0) => {
        if (kind === 'postgres') await sql`select pg_advisory_xact_lock(${LOCKS[scope]}, ${id})`.execute(tx);
      },
      unique: async (field, fn) => {
        try {
          return await fn();
        } catch (e) {
          if (isUniqueError(e)) throw new UniqueViolation(field);
          throw e;
        }
      },
    };
    this.users = usersRepository(c);
    this.settings = settingsRepository(c);
    this.tokens = tokensRepository(c);
    this.models = modelsRepository(c);
    this.runs = runsRepository(c);
    this.trades = tradesRepository(c);
    this.logs = logsRepository(c);
    this.events = eventsRepository(c);
    this.arenas = arenasRepository(c);
    this.market = marketRepository(c);
    this.assistant = assistantRepository(c);
  }

  close() {
    return this.db.destroy();
  }
}

import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import type { Storage } from './storage.js';

/** The configured storage: PostgreSQL when DATABASE_URL is set, else the SQLite file in DATA_DIR. */
export function openStorage(config: Config): Promise<Storage> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openSqlite(join(config.dataDir, 'tradewire.db'));
}

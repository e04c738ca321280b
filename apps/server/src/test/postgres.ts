import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server the test databases live on; its user must be allowed to create databases. */
const adminUrl = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Connection URL of the fresh, empty database. */
  url: string;
  /** Ends every connection to the database and drops it. */
  drop(): Promise<void>;
}

async function asAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(`PostgreSQL for tests is not reachable at ${adminUrl} (set TEST_PG_URL): ${String(e)}`, { cause: e });
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates a uniquely named database on the test PostgreSQL server, one per test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `tw_test_${randomBytes(8).toString('hex')}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE terminates the connections a failed test may have leaked (PostgreSQL 13+).
    drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

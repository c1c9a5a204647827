// A fresh PostgreSQL database for one test file, on the server at TEST_POSTGRES_URL (test/services.ts).
import pg from 'pg';
import { testPostgresUrl, testRun } from './services.js';

export interface FreshDatabase {
  name: string;
  /** postgres://… of the database, for a server process or another pool. */
  url: string;
  pool: pg.Pool;
  /** Ends the pool and drops the database. */
  drop(): Promise<void>;
}

/** Creates a uniquely named database with C collation (byte-order text sorting, as on SQLite); fails clearly when PostgreSQL is down. */
export async function freshPgDatabase(label: string): Promise<FreshDatabase> {
  const admin = new pg.Client({ connectionString: `${testPostgresUrl}/test` });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${testPostgresUrl} (user postgres, database test): ${(error as Error).message}. ` +
        '`npm test` starts its own when that one is down (test/global-setup.ts); outside it, start PostgreSQL there or set TEST_POSTGRES_URL.',
    );
  }
  // The run's name in it lets the global setup drop what a crashed file left.
  const name = `${label}_${testRun}_${process.pid}_${Date.now()}`;
  // drizzle-kit cannot set a database's collation: the database is created with it.
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  const url = `${testPostgresUrl}/${name}`;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      // pool.end() resolves before the server has closed the sessions: dropping one by force would
      // reach its closing client as an uncaught error. Sessions of other pools (the platform's, a
      // killed child process's) are ended by FORCE after a short wait.
      for (let i = 0; i < 100 && (await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [name])).rowCount; i++) await new Promise((r) => setTimeout(r, 10));
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

// A fresh PostgreSQL database for one test file, on the server the machines and CI run.
import pg from 'pg';

const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;

export interface FreshDatabase {
  name: string;
  pool: pg.Pool;
  /** Ends the pool and drops the database. */
  drop(): Promise<void>;
}

/** Creates a uniquely named database with C collation (byte-order text sorting, as on SQLite); fails clearly when PostgreSQL is down. */
export async function freshPgDatabase(label: string): Promise<FreshDatabase> {
  const admin = new pg.Client({ ...SERVER, database: 'test' });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${SERVER.host}:${SERVER.port} (user postgres, database test): ${(error as Error).message}. The machines and CI run PostgreSQL 15 there; start it.`,
    );
  }
  const name = `${label}_${process.pid}_${Date.now()}`;
  // drizzle-kit cannot set a database's collation: the database is created with it.
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  const pool = new pg.Pool({ ...SERVER, database: name, max: 2 });
  return {
    name,
    pool,
    async drop() {
      await pool.end();
      // pool.end() resolves before the server has closed the sessions: dropping one by force would
      // reach its closing client as an uncaught error.
      while ((await admin.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [name])).rowCount) await new Promise((r) => setTimeout(r, 10));
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

// Opens the database: SQLite (the embedded default) with the pragmas the design requires, or
// PostgreSQL when DATABASE_URL is set, and applies the committed migrations of that engine.
//
// Both engines run the same drizzle tables (db/tables) and relations: the PostgreSQL tables
// (db/dialect/pg-tables.ts) store every value as SQLite does, so the builders' SQL and the
// column mappers serve both. The PostgreSQL tables only generate db/migrations-pg.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Db } from './db.js';
import { isConnectionError } from './errors.js';
import { relations } from './relations.js';
import { prepareQueriesByShape } from './query-shapes.js';
import { attachPool, attachWriter, isPostgres, noteStatement, writerOf } from './tx.js';

export type { Db };

// Relative to the project root's child folder, so it holds both here and in the server bundle (dist/).
const migrationsFolder = fileURLToPath(new URL('../db/migrations/', import.meta.url));
const pgMigrationsFolder = fileURLToPath(new URL('../db/migrations-pg/', import.meta.url));

export interface OpenDbOptions {
  /** Called with every SQL statement drizzle runs (tests count statements with it). */
  onQuery?: (sql: string) => void;
}

function connect(path: string, options: OpenDbOptions): Db {
  const sqlite = new Database(path);
  // exec, not db.pragma(): better-sqlite3 12 aborts on Node >= 24.19 when pragma()'s temporary
  // statement is garbage-collected, and this must keep working after a Node upgrade.
  sqlite.exec(
    [
      'PRAGMA journal_mode = WAL',
      // Consent and grants must survive power loss: FULL syncs the WAL on every commit.
      'PRAGMA synchronous = FULL',
      'PRAGMA foreign_keys = ON',
      'PRAGMA busy_timeout = 5000',
      // Erased personal information must not linger in freed pages (even as ciphertext).
      'PRAGMA secure_delete = ON',
    ].join(';\n'),
  );
  return drizzle({ client: sqlite, relations, logger: statementLogger(options) }) as Db;
}

/** Every statement goes to db/tx.ts (which tables a transaction writes) and to the caller's onQuery. */
function statementLogger(options: OpenDbOptions) {
  const onQuery = options.onQuery;
  return { logQuery: onQuery ? (query: string) => (noteStatement(query), onQuery(query)) : noteStatement };
}

/**
 * Two connections to one file: the returned one for reads, and a writer that only transactions
 * use (db/tx.ts), so a read never sees a write its transaction has not committed yet.
 */
export function openDb(path: string, options: OpenDbOptions = {}): Db {
  if (path === ':memory:') throw new Error('openDb needs a file: its reader and writer connections must share one database');
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const writer = connect(path, options);
  migrateSqlite(writer.$client);
  const db = connect(path, options);
  attachWriter(db, writer);
  prepareQueriesByShape(db);
  return db;
}

/** Applies the committed SQLite migrations (db/migrations) to a connection. */
export function migrateSqlite(client: Database.Database): void {
  migrate(drizzle({ client }), { migrationsFolder });
}

export async function closeDb(db: Db): Promise<void> {
  if (isPostgres(db)) {
    const pool = db.$client as unknown as pg.Pool;
    if (!pool.ended) await pool.end();
    return;
  }
  for (const connection of [writerOf(db), db]) if (connection.$client.open) connection.$client.close();
}

export interface PgOptions extends OpenDbOptions {
  poolSize?: number;
  /** Apply db/migrations-pg first (under the migration lock); `npm run migrate` does it before processes start. */
  migrate?: boolean;
}

// int8 (counts, bigint money) and numeric (sums of bigint) read as numbers, as SQLite returns them:
// every amount is fen below 2^53. Set on the driver itself: drizzle passes node-postgres' own
// parsers with every query, so a pool's `types` would not reach its results.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);

/**
 * A pool on PostgreSQL (15+). The database must sort text byte by byte, as SQLite does (ids, ISO
 * timestamps and cursors): it is refused at open unless created with LC_COLLATE 'C'.
 */
export async function openPgDb(url: string, options: PgOptions = {}): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // A connection the server drops (a restart, a failover, pg_terminate_backend) is reported as an
  // 'error' event, which crashes the process where nobody listens: the pool's for an idle client
  // (the pool replaces it), each client's own while it is checked out between two statements of a
  // transaction (its next statement fails, and the caller is told SERVICE_UNAVAILABLE).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  retryReadsOnce(pool);
  try {
    const { rows } = await pool.query<{ collate: string }>('SELECT datcollate AS collate FROM pg_database WHERE datname = current_database()');
    if (rows[0]?.collate !== 'C') {
      throw new Error(
        `the PostgreSQL database has collation ${rows[0]?.collate}; it must be created with byte-order sorting: CREATE DATABASE … TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'`,
      );
    }
    const logger = statementLogger(options);
    const db = drizzlePg({ client: pool, relations, logger }) as unknown as Db;
    // pg hands out the same client objects again: build drizzle over each once.
    const onConnection = new WeakMap<object, Db>();
    attachPool(db, (connection) => {
      let over = onConnection.get(connection);
      if (!over) onConnection.set(connection, (over = drizzlePg({ client: connection as unknown as pg.PoolClient, relations, logger }) as unknown as Db));
      return over;
    });
    if (options.migrate ?? true) await migratePostgres(db);
    prepareQueriesByShape(db);
    return db;
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/**
 * A read outside a transaction that lost its connection runs once more: pg-pool discards the broken
 * client, so the retry takes another, or opens a fresh one (the usual case after a restart or a
 * failover, whose terminations reach the idle clients too). Writes are not retried: a dropped
 * connection leaves unknown whether they committed.
 */
function retryReadsOnce(pool: pg.Pool): void {
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  pool.query = ((...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    // A callback-style call is left as it is: our code awaits its queries.
    if (!text || !/^\s*select\b/i.test(text) || typeof args.at(-1) === 'function') return query(...args);
    return query(...args).catch((error: unknown) => {
      if (!isConnectionError(error)) throw error;
      return query(...args);
    });
  }) as typeof pool.query;
}

// Any fixed number, the same in every process: pg_advisory_lock takes a 64-bit key.
const MIGRATION_LOCK = 7_318_004_211;

/** Applies db/migrations-pg once, however many processes start together: they take turns on an advisory lock. */
export async function migratePostgres(db: Db): Promise<void> {
  const pool = db.$client as unknown as pg.Pool;
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // On the connection that holds the lock: a pool of one (DATABASE_POOL_SIZE=1) has no other to
    // lend, and the migrator would wait for one forever.
    await migratePg(drizzlePg({ client: lock }), { migrationsFolder: pgMigrationsFolder });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    lock.release();
  }
}

/** The database the configuration names: PostgreSQL at DATABASE_URL, else the SQLite file. */
export async function openDatabase(config: { DATABASE_URL?: string; DATABASE_PATH: string; DATABASE_POOL_SIZE?: number }, options: PgOptions = {}): Promise<Db> {
  return config.DATABASE_URL ? openPgDb(config.DATABASE_URL, { ...options, poolSize: config.DATABASE_POOL_SIZE }) : openDb(config.DATABASE_PATH, options);
}

// Opens SQLite with the pragmas the design requires and applies the committed migrations.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { relations } from './relations.js';
import { attachWriter, writerOf } from './tx.js';

export type Db = BetterSQLite3Database<Record<string, never>, typeof relations> & { $client: Database.Database };

// Relative to the project root's child folder, so it holds both here and in the server bundle (dist/).
const migrationsFolder = fileURLToPath(new URL('../db/migrations/', import.meta.url));

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
  const logger = options.onQuery ? { logQuery: (query: string) => options.onQuery!(query) } : undefined;
  return drizzle({ client: sqlite, relations, logger }) as Db;
}

/**
 * Two connections to one file: the returned one for reads, and a writer that only transactions
 * use (db/tx.ts), so a read never sees a write its transaction has not committed yet.
 */
export function openDb(path: string, options: OpenDbOptions = {}): Db {
  if (path === ':memory:') throw new Error('openDb needs a file: its reader and writer connections must share one database');
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const writer = connect(path, options);
  migrate(writer, { migrationsFolder });
  const db = connect(path, options);
  attachWriter(db, writer);
  return db;
}

export function closeDb(db: Db): void {
  for (const connection of [writerOf(db), db]) if (connection.$client.open) connection.$client.close();
}

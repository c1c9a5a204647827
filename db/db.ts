// The database handle every command, query and transaction takes: drizzle over better-sqlite3's
// API with the one set of relations (on PostgreSQL the same API over a pool, see db/client.ts).
// Its own module so db/client.ts (which opens it) and db/tx.ts, db/queries (which use it) import it
// without importing each other.
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { relations } from './relations.js';

export type Db = BetterSQLite3Database<Record<string, never>, typeof relations> & { $client: Database.Database };

// Hot statements are built and prepared once per database, not on every call: building a drizzle
// query costs several times what running a prepared one does.
import type { Db } from '../client.js';

/** A per-database memo of prepared statements (tests open many databases in one process). */
export function preparedPer<T>(prepare: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let statements = cache.get(db);
    if (!statements) {
      statements = prepare(db);
      cache.set(db, statements);
    }
    return statements;
  };
}

/**
 * The arguments of a hot statement's `prepare(...statementName(name))`: on PostgreSQL the name makes
 * each connection parse and plan the statement once instead of on every execution. Typed as none,
 * as the tables are SQLite's, whose prepare takes none (and ignores one).
 */
export const statementName = (name: string): [] => [name] as unknown as [];

/**
 * A memo of prepared statements per connection, for statements that run inside transactions too.
 * A prepared statement runs on the connection it was prepared on: on PostgreSQL a transaction's
 * `tx` is a new object each time, over the pooled connection the transaction holds (db/tx.ts
 * builds drizzle over each connection once), so the memo is keyed by drizzle's session, which
 * is that connection's. A statement prepared on `tx` therefore runs inside the transaction that
 * holds the connection, never on the pool (and one prepared on the pool's `db` never runs on
 * `tx`). On SQLite `tx` is the writer connection and `db` the reader, each with its own session.
 */
export function preparedPerConnection<T>(prepare: (q: Db) => T): (q: Db) => T {
  const cache = new WeakMap<object, T>();
  return (q) => {
    const key = (q as unknown as { session?: object }).session ?? q;
    let statements = cache.get(key);
    if (!statements) {
      statements = prepare(q);
      cache.set(key, statements);
    }
    return statements;
  };
}

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

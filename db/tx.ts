// Every mutation's writes run through here: one synchronous IMMEDIATE transaction.
// With better-sqlite3 a transaction callback that awaits is silently non-atomic, and a deferred
// transaction that upgrades to a write fails with SQLITE_BUSY at once, ignoring busy_timeout.
import type { Db } from './client.js';

type TxCallback = Parameters<Db['transaction']>[0];
export type Tx = Parameters<TxCallback>[0];

export function inTransaction<T>(db: Db, work: (tx: Tx) => T): T {
  const run = (tx: Tx) => {
    const result = work(tx);
    // Rolls back instead of committing half a mutation.
    if (result instanceof Promise) throw new Error('inTransaction: the callback must be synchronous');
    return result;
  };
  return db.transaction(run as TxCallback, { behavior: 'immediate' }) as T;
}

// Every mutation's writes run through here: one IMMEDIATE transaction that stays atomic across
// `await`, so the same command code can run on an asynchronous driver.
//
// better-sqlite3 runs one statement at a time on a connection, and drizzle's own async
// transaction on it commits the part before an await. So transactions take turns (a FIFO queue)
// on a writer connection of their own, begun and ended by hand; reads outside transactions use
// the other connection (`Db`) and never see a write before it commits. A deferred transaction
// that upgrades to a write fails with SQLITE_BUSY at once, ignoring busy_timeout: hence IMMEDIATE.
// Inside a transaction await only database calls: every other mutation waits for this one.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from './client.js';

/** The writer connection, as a transaction's work sees it. */
export type Tx = Db;

interface Writer {
  tx: Tx;
  /** The end of the queue: the next transaction begins when this settles. */
  queue: Promise<unknown>;
}

const writers = new WeakMap<Db, Writer>();
const inside = new AsyncLocalStorage<Writer>();

/** Called once by openDb: transactions on `db` run on `writer`. */
export function attachWriter(db: Db, writer: Db): void {
  writers.set(db, { tx: writer, queue: Promise.resolve() });
}

export function writerOf(db: Db): Tx {
  const writer = writers.get(db);
  if (!writer) throw new Error('inTransaction: this database was not opened by openDb');
  return writer.tx;
}

export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const writer = writers.get(db);
  if (!writer) return Promise.reject(new Error('inTransaction: this database was not opened by openDb'));
  // A transaction that waited for its own turn would wait forever: pass `tx` down instead.
  if (inside.getStore() === writer) return Promise.reject(new Error('inTransaction: already inside a transaction; pass its tx'));
  const client = writer.tx.$client;
  const turn = writer.queue.then(() =>
    inside.run(writer, async () => {
      client.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(writer.tx);
        client.exec('COMMIT');
        return result;
      } catch (err) {
        // A failed COMMIT (or SQLite's own rollback on some errors) may have ended it already.
        if (client.inTransaction) client.exec('ROLLBACK');
        throw err;
      }
    }),
  );
  writer.queue = turn.catch(() => undefined);
  return turn;
}

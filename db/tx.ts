// Every mutation's writes run through here: one IMMEDIATE transaction that stays atomic across
// `await`, so the same command code can run on an asynchronous driver.
//
// better-sqlite3 runs one statement at a time on a connection, and drizzle's own async
// transaction on it commits the part before an await. So transactions take turns (a FIFO queue)
// on a writer connection of their own, begun and ended by hand; reads outside transactions use
// the other connection (`Db`) and never see a write before it commits. A deferred transaction
// that upgrades to a write fails with SQLITE_BUSY at once, ignoring busy_timeout: hence IMMEDIATE.
// Inside a transaction await only database calls: every other mutation waits for this one.
//
// On PostgreSQL every transaction is SERIALIZABLE: the result is as if they had run one at a time,
// as on SQLite, so the same read-check-write code holds caps, compare-and-set status changes, token
// rotation and outbox claims across processes. The price is that PostgreSQL may abort one of two
// overlapping transactions (40001, or a deadlock 40P01): it is run again from the start, a bounded
// number of times after a jittered wait. So the work must have no effect outside the database.
// A connection lost mid-transaction (a restart, a failover) fails it, rolled back by the server: it
// is not run again, since a lost COMMIT may have committed; the client is told to try again.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db } from './db.js';
import { conflict, isConnectionError } from './errors.js';

/** The writer connection, as a transaction's work sees it. */
export type Tx = Db;

interface Writer {
  tx: Tx;
  /** The end of the queue: the next transaction begins when this settles. */
  queue: Promise<unknown>;
}

/** Work every transaction started inside `whileCommitting` does last, in the same transaction. */
const commitHooks = new AsyncLocalStorage<(tx: Tx) => Promise<void>>();

/**
 * Runs `fn` so that each transaction it starts also runs `hook` just before committing: a record
 * of the work that commits or rolls back with it (an idempotency key's "done" mark).
 */
export function whileCommitting<T>(hook: (tx: Tx) => Promise<void>, fn: () => T): T {
  return commitHooks.run(hook, fn);
}

/** The work itself, then the hook of the surrounding `whileCommitting`, if any. */
function withCommitHook<T>(work: (tx: Tx) => Promise<T>): (tx: Tx) => Promise<T> {
  const hook = commitHooks.getStore();
  if (!hook) return work;
  return async (tx) => {
    const result = await work(tx);
    await hook(tx);
    return result;
  };
}

/** The tables a transaction wrote to, gathered from its statements (noteStatement). */
const written = new AsyncLocalStorage<Set<string>>();
type CommitListener = (tables: ReadonlySet<string>) => unknown;
const commitListeners = new WeakMap<Db, CommitListener[]>();

/**
 * Calls `listener` after every transaction on `db` that wrote to some table has committed, with
 * the tables it wrote to, before that transaction's caller goes on (a cache drops what it changed).
 */
export function onCommitted(db: Db, listener: CommitListener): void {
  commitListeners.set(db, [...(commitListeners.get(db) ?? []), listener]);
}

const WRITE = /^(?:insert into|update|delete from) "([a-z_]+)"/;

/** Called with every statement the connections run (db/client.ts): records what a transaction writes. */
export function noteStatement(statement: string): void {
  const tables = written.getStore();
  if (!tables) return;
  const table = WRITE.exec(statement)?.[1];
  if (table) tables.add(table);
}

/** Runs a transaction, then tells the listeners what it wrote (a rolled-back one tells nothing). */
async function tracked<T>(db: Db, run: () => Promise<T>): Promise<T> {
  const tables = new Set<string>();
  const result = await written.run(tables, run);
  if (tables.size > 0) for (const listener of commitListeners.get(db) ?? []) await listener(tables);
  return result;
}

const writers = new WeakMap<Db, Writer>();
/** A pooled connection as tx.ts uses it (node-postgres' PoolClient). */
export interface PgConnection {
  query(text: string, values: unknown[]): Promise<unknown>;
  release(destroy?: boolean): void;
}
/** For each PostgreSQL database: drizzle over one of its pool's connections (db/client.ts builds it). */
const pools = new WeakMap<Db, (connection: PgConnection) => Db>();
const inside = new AsyncLocalStorage<object>();

/**
 * Called once by openPgDb: transactions on `db` take a connection from its pool; `onConnection`
 * gives drizzle over one connection, for transactions that must hold a lock on it first.
 */
export function attachPool(db: Db, onConnection: (connection: PgConnection) => Db): void {
  pools.set(db, onConnection);
}

export function isPostgres(db: Db): boolean {
  return pools.has(db);
}

/** Called once by openDb: transactions on `db` run on `writer`. */
export function attachWriter(db: Db, writer: Db): void {
  writers.set(db, { tx: writer, queue: Promise.resolve() });
}

export function writerOf(db: Db): Tx {
  const writer = writers.get(db);
  if (!writer) throw new Error('inTransaction: this database was not opened by openDb');
  return writer.tx;
}

export interface TransactionOptions {
  /**
   * Transactions naming the same key run one after another on PostgreSQL, each beginning after the
   * previous one committed (SQLite runs every transaction so). For work whose reads overlap so
   * much that SERIALIZABLE would abort most concurrent attempts: creating referral requests, whose
   * caps read the newest rows every other request inserts.
   */
  oneAtATime?: string;
}

export function inTransaction<T>(db: Db, body: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const work = withCommitHook(body);
  const onConnection = pools.get(db);
  if (onConnection) return tracked(db, () => pgTransaction(db, onConnection, work, options.oneAtATime));
  const writer = writers.get(db);
  if (!writer) return Promise.reject(new Error('inTransaction: this database was not opened by openDb'));
  // A transaction that waited for its own turn would wait forever: pass `tx` down instead.
  if (inside.getStore() === writer) return Promise.reject(new Error('inTransaction: already inside a transaction; pass its tx'));
  const client = writer.tx.$client;
  return tracked(db, () => {
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
  });
}

/** Attempts of one transaction on PostgreSQL before the caller is told to try again. */
export const PG_ATTEMPTS = 12;

/** The SQLSTATE of a PostgreSQL error, which drizzle wraps in its own (as `cause`). */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs the transaction on a pooled connection checked out here, not by drizzle: drizzle's own
 * checkout never gives back a connection whose BEGIN failed (one dropped by the server), and each
 * such failure would cost the pool a connection for good. One that failed is given back broken,
 * so the pool closes it. With a `oneAtATime` key it first holds a session advisory lock on that
 * same connection (waiting for a second one could exhaust the pool), so its snapshot is taken
 * after the previous holder committed.
 */
async function pgTransaction<T>(db: Db, onConnection: (connection: PgConnection) => Db, work: (tx: Tx) => Promise<T>, oneAtATime?: string): Promise<T> {
  if (inside.getStore() === db) throw new Error('inTransaction: already inside a transaction; pass its tx');
  const pool = db.$client as unknown as { connect(): Promise<PgConnection> };
  const connection = await pool.connect();
  let broken = false;
  try {
    if (oneAtATime) await connection.query('SELECT pg_advisory_lock(hashtext($1))', [oneAtATime]);
    return await serializable(db, work, onConnection(connection));
  } catch (error) {
    broken = isConnectionError(error);
    throw error;
  } finally {
    // A connection whose unlock failed is closed, which ends its lock.
    if (oneAtATime && !broken) await connection.query('SELECT pg_advisory_unlock(hashtext($1))', [oneAtATime]).catch(() => (broken = true));
    connection.release(broken);
  }
}

/** SERIALIZABLE, run again from the start when PostgreSQL aborted it for overlapping another. */
async function serializable<T>(db: Db, work: (tx: Tx) => Promise<T>, on: Db): Promise<T> {
  const pg = on as unknown as { transaction(run: (tx: Tx) => Promise<T>, config: { isolationLevel: 'serializable' }): Promise<T> };
  for (let attempt = 1; ; attempt++) {
    try {
      return await inside.run(db, () => pg.transaction(work, { isolationLevel: 'serializable' }));
    } catch (error) {
      const state = sqlState(error);
      if (state && RETRYABLE.has(state)) {
        if (attempt >= PG_ATTEMPTS) throw conflict('The platform is busy with the same records; try again in a moment.');
        // Exponential with full jitter, so the transactions that collided do not collide again; up
        // to a second, so a burst (notifiers fanning out while customers answer) drains before the
        // attempts run out.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 2 ** attempt * 4)));
        continue;
      }
      // A unique key taken by a transaction that committed first: the same answer SQLite's checks give.
      if (state === '23505') throw conflict('This was just created by another request; reload and try again.');
      throw error;
    }
  }
}

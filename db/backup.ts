// Online backup and restore of the SQLite database. A backup runs while the server serves requests
// (SQLite's backup API copies a consistent snapshot); a restore is refused while any process holds
// the database, and swaps a checked copy in.
//
// "Holds": every server, worker or migration on the file keeps a shared lock on a gate file beside
// it (`<database>.lock`, a tiny SQLite file, so the lock is SQLite's own fcntl lock: the operating
// system drops it when the process dies, even by SIGKILL). A restore takes the gate exclusively, so
// it runs only when nothing holds the database, and a process starting meanwhile waits for it.
// Each holder also leaves `<database>.lock.<pid>` naming its role, for the refusal to name it.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { migrateSqlite } from './client.js';

export function integrityOk(path: string): boolean {
  // Not read-only: a read-only connection to a file in WAL mode leaves -wal and -shm files behind.
  const db = new Database(path, { fileMustExist: true });
  try {
    return db.prepare('PRAGMA integrity_check').pluck().get() === 'ok';
  } finally {
    db.close();
  }
}

/** Copies the live database to `destination` and checks the copy. */
export async function backupDatabase(source: string, destination: string): Promise<void> {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    await db.backup(destination);
  } finally {
    db.close();
  }
  // One self-contained file (the copy inherits WAL mode, whose log and index files would follow it around).
  const copy = new Database(destination, { fileMustExist: true });
  copy.exec('PRAGMA journal_mode = DELETE');
  copy.close();
  if (!integrityOk(destination)) throw new Error(`the backup at ${destination} failed its integrity check`);
}

export class DatabaseHeldError extends Error {}

const gatePath = (database: string) => `${database}.lock`;
// Referenced for the process's lifetime: a collected connection would close and drop its lock.
const gates = new Set<Database.Database>();

function openGate(database: string, waitMs: number): Database.Database {
  const gate = new Database(gatePath(database));
  gate.exec(`PRAGMA busy_timeout = ${waitMs}`);
  return gate;
}

/**
 * Holds the database for this process's lifetime (a server, the worker, a migration): a restore is
 * refused until it exits. Waits for a restore in progress to finish, for at most `waitMs`.
 */
export function holdDatabase(database: string, role: string, waitMs = 60_000): void {
  mkdirSync(dirname(resolve(database)), { recursive: true });
  const name = `${gatePath(database)}.${process.pid}`;
  writeFileSync(name, role);
  process.once('exit', () => rmSync(name, { force: true }));
  const gate = openGate(database, waitMs);
  try {
    // A read transaction left open keeps SQLite's shared lock on the gate.
    gate.exec('BEGIN');
    gate.prepare('SELECT count(*) FROM sqlite_master').get();
    gates.add(gate);
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    throw new DatabaseHeldError(`${database} is being restored; start again when the restore has finished`);
  }
}

/** The processes named beside the gate that are still alive; the files of dead ones are removed. */
function holders(database: string): string[] {
  const prefix = `${basename(gatePath(database))}.`;
  const dir = dirname(database);
  const alive: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.startsWith(prefix))) {
    const pid = Number(file.slice(prefix.length));
    const path = join(dir, file);
    if (Number.isInteger(pid) && isAlive(pid)) alive.push(`the ${readFileSync(path, 'utf8')} (pid ${pid})`);
    else rmSync(path, { force: true });
  }
  return alive;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The tables, indexes and applied migrations, to compare a restored file with what the code builds. */
function schemaOf(db: Database.Database): string {
  const objects = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all();
  const migrations = db.prepare('SELECT name FROM __drizzle_migrations ORDER BY name').pluck().all();
  return JSON.stringify({ objects, migrations });
}

/** Brings a copy up to the code's migrations and checks it: intact, and exactly the schema the code expects. */
function checkRestored(path: string, backup: string): void {
  if (!integrityOk(path)) throw new Error(`${backup} failed its integrity check; nothing was restored`);
  const expected = new Database(':memory:');
  const restored = new Database(path, { fileMustExist: true });
  try {
    migrateSqlite(expected);
    try {
      migrateSqlite(restored);
    } catch {
      throw new Error(`${backup} could not be migrated to this version's schema; nothing was restored`);
    }
    if (schemaOf(restored) !== schemaOf(expected)) throw new Error(`${backup} does not have this version's schema (made by another version?); nothing was restored`);
  } finally {
    expected.close();
    restored.close();
  }
}

/**
 * Replaces the database with a checked copy of a backup, refused (DatabaseHeldError) while a server,
 * worker or migration holds it. The copy is made, migrated and checked in a new file beside the
 * database, then renamed over it; the old file's write-ahead log goes first, as it would otherwise
 * be replayed over the restored file.
 */
export async function restoreDatabase(backup: string, target: string): Promise<void> {
  if (!existsSync(backup)) throw new Error(`${backup} does not exist; nothing was restored`);
  mkdirSync(dirname(resolve(target)), { recursive: true });
  const gate = openGate(target, 0);
  try {
    try {
      gate.exec('BEGIN EXCLUSIVE');
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
      const names = holders(target);
      throw new DatabaseHeldError(`refused: ${target} is in use by ${names.length > 0 ? names.join(' and ') : 'another process'}; stop ${names.length > 1 ? 'them' : 'it'}, then restore`);
    }
    holders(target); // nothing holds the gate, so every name left beside it is stale
    const fresh = `${target}.restoring`;
    for (const suffix of ['', '-wal', '-shm']) rmSync(fresh + suffix, { force: true });
    try {
      await copyOf(backup, fresh);
      checkRestored(fresh, backup);
      retire(target);
      renameSync(fresh, target);
      syncDirectory(dirname(target));
    } finally {
      for (const suffix of ['', '-wal', '-shm']) rmSync(fresh + suffix, { force: true });
    }
  } finally {
    gate.close();
  }
}

async function copyOf(backup: string, fresh: string): Promise<void> {
  let source: Database.Database | undefined;
  try {
    source = new Database(backup, { fileMustExist: true });
    await source.backup(fresh);
  } catch {
    throw new Error(`${backup} is not a readable SQLite database; nothing was restored`);
  } finally {
    source?.close();
  }
}

/** Folds the old file's write-ahead log into it (a damaged file's log is dropped), so none is left to replay over the restored one. */
function retire(target: string): void {
  if (existsSync(target)) {
    try {
      const old = new Database(target, { fileMustExist: true });
      old.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      old.close();
    } catch {
      // The file being replaced may be the damaged one: its log goes with it.
    }
  }
  for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
}

/** Makes the rename itself durable. */
function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// Online backup and restore of the SQLite database. A backup runs while the server serves requests
// (SQLite's backup API copies a consistent snapshot); a restore runs while the server is stopped.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';

export function integrityOk(path: string): boolean {
  const db = new Database(path, { readonly: true, fileMustExist: true });
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
  if (!integrityOk(destination)) throw new Error(`the backup at ${destination} failed its integrity check`);
}

/** Replaces the database with a checked backup. The server must be stopped. */
export function restoreDatabase(backup: string, target: string): void {
  if (!integrityOk(backup)) throw new Error(`${backup} failed its integrity check; nothing was restored`);
  // A stale WAL beside the target would be replayed over the restored file.
  for (const suffix of ['-wal', '-shm']) if (existsSync(target + suffix)) rmSync(target + suffix);
  copyFileSync(backup, target);
}

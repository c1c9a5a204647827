// Online backup while the platform serves writes, and a restore that is refused while a process
// holds the database and never leaves a damaged or foreign file in its place.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupDatabase, integrityOk, restoreDatabase } from '../../db/backup.js';
import { signUpMerchant } from '../factories.js';
import { createTestPlatform } from '../fixtures.js';
import { startServer } from '../stress/processes.js';

const count = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from merchants').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** `npm run <backup|restore> -- <file>` on the database at `database`: exit status and what it printed. */
const cli = (command: 'backup' | 'restore', file: string, database: string) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/backup.ts', command, file], { env: { ...process.env, DATABASE_PATH: database }, encoding: 'utf8' });
  return { status: run.status, out: run.stdout, err: run.stderr };
};

describe('backup and restore', () => {
  it('a backup taken during writes passes integrity_check and holds every committed row', async () => {
    const p = await createTestPlatform();
    const source = join(p.dir, 'test.db');
    for (let i = 0; i < 3; i++) await signUpMerchant(p);
    const writes = Promise.all(Array.from({ length: 5 }, () => signUpMerchant(p)));
    const copy = join(p.dir, 'backup.db');
    await backupDatabase(source, copy);
    await writes;
    expect(integrityOk(copy)).toBe(true);
    expect(count(copy)).toBeGreaterThanOrEqual(3);
    // One self-contained file: no write-ahead log travels with it.
    expect(existsSync(`${copy}-wal`)).toBe(false);
  });

  it('npm run restore is refused while a server and the worker hold the database, naming them, and swaps a checked copy in once it stopped', async () => {
    const p = await createTestPlatform();
    await signUpMerchant(p);
    const older = join(p.dir, 'older.db');
    expect(cli('backup', older, join(p.dir, 'test.db')).out).toMatch(/integrity ok/);
    await signUpMerchant(p);
    const newer = join(p.dir, 'newer.db');
    await backupDatabase(join(p.dir, 'test.db'), newer);

    // The deployment's database starts as the newer backup (a restore with nothing running).
    const live = join(p.dir, 'live', 'platform.db');
    await restoreDatabase(newer, live);
    expect(count(live)).toBe(2);

    const server = await startServer({ entry: 'source', env: { DATABASE_PATH: live, MEDIA_DIR: join(p.dir, 'media'), RUN_JOBS: 'no' }, readyTimeoutMs: 30_000 });
    const worker = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], { env: { ...process.env, DATABASE_PATH: live, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const workerExited = new Promise((resolve) => worker.once('exit', resolve));
    try {
      for await (const line of createInterface({ input: worker.stdout! })) if (line.includes('worker running')) break;
      const refused = cli('restore', older, live);
      expect(refused.status).toBe(1);
      expect(refused.err.trim().split('\n')).toHaveLength(1);
      expect(refused.err.trim()).toMatch(new RegExp(`^refused: ${live} is in use by the (server|worker) \\(pid \\d+\\) and the (server|worker) \\(pid \\d+\\); stop them, then restore$`));
      expect(refused.err).toContain(`the server (pid ${server.proc.pid})`);
      expect(refused.err).toContain(`the worker (pid ${worker.pid})`);
      expect(count(live)).toBe(2);
      expect((await fetch(`${server.base}/readyz`)).status).toBe(200);
    } finally {
      worker.kill('SIGTERM');
      await Promise.all([server.stop('SIGTERM'), workerExited]);
    }

    const restored = cli('restore', older, live);
    expect(restored.err).toBe('');
    expect(restored.out).toMatch(/restored .* \(integrity and schema ok\)/);
    expect(count(live)).toBe(1);
    expect(integrityOk(live)).toBe(true);
    for (const leftover of [`${live}-wal`, `${live}.restoring`]) expect(existsSync(leftover)).toBe(false);
  }, 60_000);

  it('a damaged backup, a file that is no database and a database of another schema are refused, the live database untouched', async () => {
    const p = await createTestPlatform();
    await signUpMerchant(p);
    const live = join(p.dir, 'live.db');
    await backupDatabase(join(p.dir, 'test.db'), live);
    const before = readFileSync(live);

    const damaged = join(p.dir, 'damaged.db');
    const bytes = readFileSync(live);
    // Page 3 onwards overwritten: the header still says SQLite, the b-trees are garbage.
    bytes.fill(0x5a, 2 * 4096, 6 * 4096);
    writeFileSync(damaged, bytes);
    await expect(restoreDatabase(damaged, live)).rejects.toThrow(/failed its integrity check; nothing was restored/);

    const notADatabase = join(p.dir, 'notes.txt');
    writeFileSync(notADatabase, 'not a database '.repeat(500));
    await expect(restoreDatabase(notADatabase, live)).rejects.toThrow(/not a readable SQLite database/);

    const foreign = join(p.dir, 'foreign.db');
    const other = new Database(foreign);
    other.exec('create table shopping_list (item text)');
    other.close();
    await expect(restoreDatabase(foreign, live)).rejects.toThrow(/does not have this version's schema/);

    await expect(restoreDatabase(join(p.dir, 'missing.db'), live)).rejects.toThrow(/does not exist/);
    expect(readFileSync(live).equals(before)).toBe(true);
    expect(existsSync(`${live}.restoring`)).toBe(false);
  });
});

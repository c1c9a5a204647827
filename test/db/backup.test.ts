// Online backup while the platform serves writes, and restore from the copy.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupDatabase, integrityOk, restoreDatabase } from '../../db/backup.js';
import { signUpMerchant } from '../factories.js';
import { createTestPlatform } from '../fixtures.js';

const count = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from merchants').get() as { n: number }).n;
  } finally {
    db.close();
  }
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
  });

  it('npm run backup writes a checked copy, and a restore brings the data back', async () => {
    const p = await createTestPlatform();
    const source = join(p.dir, 'test.db');
    await signUpMerchant(p);
    const copy = join(p.dir, 'cli-backup.db');
    const out = execFileSync('npx', ['tsx', 'server/cli/backup.ts', 'backup', copy], { env: { ...process.env, DATABASE_PATH: source }, encoding: 'utf8' });
    expect(out).toMatch(/integrity ok/);
    const target = join(p.dir, 'restored.db');
    restoreDatabase(copy, target);
    expect(count(target)).toBe(count(copy));
  }, 30_000);

  it('a damaged backup is refused and nothing is restored', () => {
    expect(() => restoreDatabase('/nonexistent/backup.db', '/tmp/never-written.db')).toThrow();
  });
});

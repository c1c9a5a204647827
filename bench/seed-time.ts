// Times seedBench on one size and engine, in this process: a fresh SQLite file or PostgreSQL database.
// Usage: tsx bench/seed-time.ts [small|medium|large] [--engine=sqlite|pg]
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDb } from '../db/client.js';
import { loadConfig } from '../server/config.js';
import { createDeps } from '../server/deps.js';
import { freshPgDatabase } from '../test/pg.js';
import { SIZES, type Size } from './seed.js';

const args = process.argv.slice(2);
const size = (args.find((a) => !a.startsWith('--')) ?? 'small') as Size;
const engine = args.find((a) => a.startsWith('--engine='))?.slice('--engine='.length) ?? 'sqlite';
if (!(size in SIZES) || !['sqlite', 'pg'].includes(engine)) throw new Error('usage: seed-time.ts [small|medium|large] [--engine=sqlite|pg]');
const { seedBench } = await import(process.env.SEED_MODULE ?? './seed.js');

const dir = mkdtempSync(join(tmpdir(), 'arp-seed-time-'));
const database = engine === 'pg' ? await freshPgDatabase('bench_seed') : null;
const pair = generateKeyPairSync('ed25519', { publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const deps = await createDeps(
  loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_PATH: join(dir, 'bench.db'),
    ...(database ? { DATABASE_URL: database.url } : {}),
    JWT_PRIVATE_KEY: pair.privateKey,
    JWT_PUBLIC_KEY: pair.publicKey,
    PII_KEY: randomBytes(32).toString('base64'),
  }),
);
try {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const fixture = await seedBench(deps.db, deps.vault, size);
  const used = process.cpuUsage(cpu);
  const rows = Object.values(fixture.counts as Record<string, number>).reduce((a, b) => a + b, 0);
  console.log(`${size} on ${engine}: ${rows} rows in ${((performance.now() - started) / 1000).toFixed(1)} s (${((used.user + used.system) / 1e6).toFixed(1)} s CPU in this process)`);
} finally {
  await closeDb(deps.db);
  await deps.closeRedis();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
}

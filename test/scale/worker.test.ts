// `npm run worker` runs the background jobs on the shared database without serving HTTP: the
// server processes of a deployment on PostgreSQL can then run with RUN_JOBS=no.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createTestPlatform, dropRedisKeys, onFileEnd } from '../fixtures.js';
import { testRedisPrefix, testRedisUrl } from '../services.js';
import { createCast, ok } from '../story.js';

const p = await createTestPlatform({}, undefined, 'pg');
const root = new URL('../..', import.meta.url).pathname;
const redis = { REDIS_URL: testRedisUrl, REDIS_KEY_PREFIX: testRedisPrefix('worker') };
onFileEnd(() => dropRedisKeys(redis.REDIS_URL, redis.REDIS_KEY_PREFIX));
const undispatched = async () => (await p.sql<{ n: number }>('select count(*) as n from referral_events where dispatched_at is null'))[0]!.n;

describe('the worker process', () => {
  it('delivers what the servers wrote to the outbox, then stops cleanly on SIGTERM', async () => {
    const cast = await createCast(p);
    await ok(p, `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`, { i: { customerId: cast.customerId, toMerchantId: cast.light.merchantId, purpose: '介绍灯具搭配方案', fields: ['PHONE'], retentionDays: 14 } }, cast.sofa.accessToken);
    expect(await undispatched()).toBeGreaterThan(0);
    const worker = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      cwd: root,
      env: { ...process.env, ...p.databaseEnv, NODE_ENV: 'test', LOG_LEVEL: 'info', NOTIFY_POLL_MS: '200', ...redis },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    worker.stdout.on('data', (chunk) => (output += chunk));
    worker.stderr.on('data', (chunk) => (output += chunk));
    try {
      const deadline = Date.now() + 20_000;
      while ((await undispatched()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await undispatched(), output).toBe(0);
      expect(output).toContain('worker running');
    } finally {
      worker.kill('SIGTERM');
    }
    const [code] = await once(worker, 'exit');
    expect(code, output).toBe(0);
  }, 30_000);

  it('refuses to start on PostgreSQL without the keys every process must share', async () => {
    const worker = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: p.databaseEnv.DATABASE_URL!, JWT_PRIVATE_KEY: '', JWT_PUBLIC_KEY: '', PII_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    worker.stderr.on('data', (chunk) => (output += chunk));
    const [code] = await once(worker, 'exit');
    expect(code).toBe(1);
    expect(output).toMatch(/JWT_PRIVATE_KEY, JWT_PUBLIC_KEY, PII_KEY/);
    expect(output).not.toMatch(/\bat .*\.(ts|js):\d+/);
  }, 30_000);
});

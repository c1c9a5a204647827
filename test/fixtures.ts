// A fresh migrated database and app per test file, and helpers to call the API over HTTP.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { afterAll } from 'vitest';
import { closeDb } from '../db/client.js';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import type { AppDeps } from '../services/context.js';
import { createDeps } from '../server/deps.js';
import type { CodeMessage, CodeSender } from '../services/notify/codes.js';
import { freshPgDatabase } from './pg.js';
import { testRedisPrefix, testRedisUrl, testRun, testTempDir } from './services.js';

/** `npm run test:pg` sets TEST_ENGINE=pg: the same tests on PostgreSQL and Redis. */
export const onPostgres = process.env.TEST_ENGINE === 'pg';

const cleanups: (() => unknown)[] = [];
/**
 * Removes what a test created when its file ends, pass or fail, the newest first. One hook for the
 * file: an afterAll registered inside a test never runs, and such platforms were left behind.
 */
export const onFileEnd = (cleanup: () => unknown) => void cleanups.push(cleanup);
afterAll(async () => {
  const failures: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve().then(cleanup).catch((error) => failures.push(error));
  if (failures.length > 0) throw new AggregateError(failures, 'cleaning up after the tests failed');
});

/** Deletes the keys under a prefix of this run's tests (never another's: a test may name any Redis). */
export async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  if (!prefix.startsWith(`test:${testRun}:`)) return;
  const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
  } catch {
    return; // an unreachable Redis (a test of that) holds none of the test's keys
  }
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
  } finally {
    redis.disconnect();
  }
}

/**
 * What a deployment on PostgreSQL and Redis sets: a database of this test file's own, a Redis key
 * prefix of its own, and keys from the environment (every process shares them).
 */
export async function postgresEnv(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const fresh = await freshPgDatabase('t');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    env: {
      DATABASE_URL: fresh.url,
      DATABASE_POOL_SIZE: '4',
      JWT_PRIVATE_KEY: privateKey,
      JWT_PUBLIC_KEY: publicKey,
      PII_KEY: randomBytes(32).toString('base64'),
      REDIS_URL: testRedisUrl,
      REDIS_KEY_PREFIX: testRedisPrefix('t'),
    },
    drop: () => fresh.drop(),
  };
}

export interface GqlResult<T = any> {
  status: number;
  data: T;
  errors?: { message: string; extensions?: { code?: string; field?: string; [k: string]: unknown } }[];
  body: any;
}

export interface TestPlatform {
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
  dir: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  /** Every SQL statement drizzle ran since the last reset. */
  statements: string[];
  /** Every one-time code and sign-up notice the platform sent (what the gateway would deliver). */
  sent: CodeMessage[];
  /** The newest code sent to a phone or email (what the person reads on their phone). */
  lastCode(to: string): string;
  /**
   * Raw SQL with `?` placeholders on whichever engine the tests run, for looking at what is stored
   * (or planting a state the API cannot reach, such as an expired code): the rows it returns.
   */
  sql<T = Record<string, any>>(text: string, ...params: unknown[]): Promise<T[]>;
  /** The settings that point another instance at this platform's database, with the keys it must share. */
  databaseEnv: Record<string, string>;
}

/** SQLite's `?` placeholders, outside string literals, as PostgreSQL's `$1…$n`. */
export function numberedPlaceholders(text: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}

/** Runs `text` on the platform's database, SQLite or PostgreSQL, and returns its rows. */
export async function rawSql<T>(deps: AppDeps, text: string, params: unknown[]): Promise<T[]> {
  if (deps.config.DATABASE_URL) {
    const pool = deps.db.$client as unknown as import('pg').Pool;
    return (await pool.query(numberedPlaceholders(text), params)).rows as T[];
  }
  const statement = deps.db.$client.prepare(text);
  if (statement.reader) return statement.all(...params) as T[];
  statement.run(...params);
  return [];
}

/** A gateway stand-in that keeps what it was asked to deliver. */
export function capturingCodeSender(): CodeSender & { sent: CodeMessage[]; lastCode(to: string): string } {
  const sent: CodeMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
    },
    lastCode(to) {
      const message = sent.findLast((m) => m.to === to && m.kind === 'CODE');
      if (!message || message.kind !== 'CODE') throw new Error(`no code was sent to ${to}`);
      return message.code;
    },
  };
}

/**
 * `engine` is the suite's (SQLite, or PostgreSQL under `npm run test:pg`) unless a test is about
 * one engine, such as the race tests on PostgreSQL.
 */
export async function createTestPlatform(
  env: Record<string, string> = {},
  logDestination?: DestinationStream,
  engine: 'sqlite' | 'pg' = onPostgres ? 'pg' : 'sqlite',
): Promise<TestPlatform> {
  const dir = testTempDir('test');
  onFileEnd(() => rmSync(dir, { recursive: true, force: true }));
  // A second instance on another's database (several processes) brings that database's settings.
  const pgDatabase = engine === 'pg' && !env.DATABASE_URL ? await postgresEnv() : null;
  if (pgDatabase) onFileEnd(pgDatabase.drop);
  // Every test client comes from one address: only tests of the per-address code limit lower it.
  // Uploaded images go to the platform's own directory, never to ./data.
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_PATH: join(dir, 'test.db'),
    MEDIA_DIR: join(dir, 'media'),
    CODES_PER_IP_PER_HOUR: '1000000',
    ...pgDatabase?.env,
    ...env,
  });
  const statements: string[] = [];
  const codes = capturingCodeSender();
  const deps = await createDeps(config, { onQuery: (sql) => statements.push(sql), logDestination, codeSender: codes });
  onFileEnd(async () => {
    await closeDb(deps.db);
    await deps.closeRedis();
    if (config.REDIS_URL) await dropRedisKeys(config.REDIS_URL, config.REDIS_KEY_PREFIX);
  });
  const app = createApp(deps);
  return {
    deps,
    app,
    dir,
    statements,
    sent: codes.sent,
    lastCode: codes.lastCode,
    sql: (text, ...params) => rawSql(deps, text, params),
    databaseEnv: config.DATABASE_URL
      ? { DATABASE_URL: config.DATABASE_URL, JWT_PRIVATE_KEY: config.JWT_PRIVATE_KEY!, JWT_PUBLIC_KEY: config.JWT_PUBLIC_KEY!, PII_KEY: config.PII_KEY! }
      : { DATABASE_PATH: config.DATABASE_PATH },
    async gql(query, variables, token) {
      let req = request(app).post('/graphql').set('content-type', 'application/json');
      if (token) req = req.set('authorization', `Bearer ${token}`);
      const res = await req.send({ query, variables });
      return { status: res.status, data: res.body.data, errors: res.body.errors, body: res.body };
    },
  };
}

/** The error code of the first error, for assertions that read like the rule. */
export const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;

// A fresh migrated database and app per test file, and helpers to call the API over HTTP.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { afterAll } from 'vitest';
import { closeDb } from '../db/client.js';
import { createApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import type { AppDeps } from '../server/context.js';
import { createDeps } from '../server/deps.js';
import type { CodeMessage, CodeSender } from '../server/notify/codes.js';
import { freshPgDatabase } from './pg.js';

/** `npm run test:pg` sets TEST_ENGINE=pg: the same tests on PostgreSQL and Redis. */
export const onPostgres = process.env.TEST_ENGINE === 'pg';

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
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${fresh.name}`,
      DATABASE_POOL_SIZE: '4',
      JWT_PRIVATE_KEY: privateKey,
      JWT_PUBLIC_KEY: publicKey,
      PII_KEY: randomBytes(32).toString('base64'),
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `test:${fresh.name}:`,
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
  const dir = mkdtempSync(join(tmpdir(), 'arp-test-'));
  // A second instance on another's database (several processes) brings that database's settings.
  const pgDatabase = engine === 'pg' && !env.DATABASE_URL ? await postgresEnv() : null;
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
  const app = createApp(deps);
  afterAll(async () => {
    await closeDb(deps.db);
    await deps.closeRedis();
    await pgDatabase?.drop();
    rmSync(dir, { recursive: true, force: true });
  });
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

// A fresh migrated database and app per test file, and helpers to call the API over HTTP.
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

export async function createTestPlatform(env: Record<string, string> = {}, logDestination?: DestinationStream): Promise<TestPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'arp-test-'));
  // Every test client comes from one address: only tests of the per-address code limit lower it.
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'test.db'), CODES_PER_IP_PER_HOUR: '1000000', ...env });
  const statements: string[] = [];
  const codes = capturingCodeSender();
  const deps = await createDeps(config, { onQuery: (sql) => statements.push(sql), logDestination, codeSender: codes });
  const app = createApp(deps);
  afterAll(async () => {
    closeDb(deps.db);
    await deps.closeRedis();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    deps,
    app,
    dir,
    statements,
    sent: codes.sent,
    lastCode: codes.lastCode,
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

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
}

export async function createTestPlatform(env: Record<string, string> = {}, logDestination?: DestinationStream): Promise<TestPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'arp-test-'));
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'test.db'), ...env });
  const statements: string[] = [];
  const deps = await createDeps(config, { onQuery: (sql) => statements.push(sql), logDestination });
  const app = createApp(deps);
  afterAll(() => {
    closeDb(deps.db);
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    deps,
    app,
    dir,
    statements,
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

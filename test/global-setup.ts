// Before the run: what its test files need beyond Node. Debian's Chromium for browser tests
// (installed when missing and this is root), PostgreSQL and Redis for the files that use them
// (the shared ones at TEST_POSTGRES_URL / TEST_REDIS_URL, or instances of the run's own when those
// do not answer). After the run: whatever a file left under the run's name (ARP_TEST_RUN) is
// removed, and the run fails naming it, so a leak is seen where it happens.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { globSync } from 'tinyglobby';
import type { TestProject } from 'vitest/node';
import { BROWSER_FILES, POSTGRES_FILES, REDIS_FILES } from '../vitest.config.js';
import {
  ensureChromium,
  postgresAnswers,
  redisAnswers,
  runTempDirs,
  startPostgres,
  startRedis,
  testPostgresUrl,
  testRedisUrl,
  testRun,
  type OwnService,
} from './services.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Drops the databases this run's tests created and did not drop; answers their names. */
async function dropRunDatabases(url: string): Promise<string[]> {
  const admin = new pg.Client({ connectionString: `${url}/test` });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '%\\_' || $1 || '\\_%'`, [testRun]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    return rows.map((r) => `database ${r.datname}`);
  } finally {
    await admin.end();
  }
}

/** Deletes the Redis keys under this run's prefixes; answers how many there were, by prefix. */
async function deleteRunKeys(url: string): Promise<string[]> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  const left = new Map<string, number>();
  try {
    for await (const keys of redis.scanStream({ match: `test:${testRun}:*`, count: 500 })) {
      if ((keys as string[]).length === 0) continue;
      for (const key of keys as string[]) {
        const prefix = key.split(':').slice(0, 5).join(':');
        left.set(prefix, (left.get(prefix) ?? 0) + 1);
      }
      await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
  return [...left].map(([prefix, n]) => `${n} Redis keys under ${prefix}:`);
}

export default async function setup(project: TestProject) {
  // The files this run has (the command line's filters, or every file).
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern ?? [];
  const { testFiles } = await project.globTestFiles(filters);
  const needs = (globs: string[]) => {
    const matching = new Set(globSync(globs, { cwd: root, absolute: true }));
    return testFiles.some((file) => matching.has(file));
  };
  const onPostgres = process.env.TEST_ENGINE === 'pg';

  if (needs(BROWSER_FILES)) ensureChromium();

  const own: OwnService[] = [];
  let postgresUrl: string | undefined;
  let redisUrl: string | undefined;
  try {
    if (onPostgres || needs(POSTGRES_FILES)) {
      postgresUrl = testPostgresUrl;
      if (!(await postgresAnswers(postgresUrl))) {
        const server = await startPostgres(`postgres`);
        own.push(server);
        console.log(`[test setup] PostgreSQL does not answer at ${postgresUrl}: the run uses its own at ${server.url}`);
        postgresUrl = process.env.TEST_POSTGRES_URL = server.url;
      }
    }
    if (onPostgres || needs(REDIS_FILES)) {
      redisUrl = testRedisUrl;
      if (!(await redisAnswers(redisUrl))) {
        const server = await startRedis(`redis`);
        own.push(server);
        console.log(`[test setup] Redis does not answer at ${redisUrl}: the run uses its own at ${server.url}`);
        redisUrl = process.env.TEST_REDIS_URL = server.url;
      }
    }
  } catch (error) {
    for (const server of own) await server.stop();
    throw error;
  }

  return async () => {
    const left: string[] = [];
    // Any file may have used the shared services, listed or not.
    postgresUrl ??= (await postgresAnswers(testPostgresUrl)) ? testPostgresUrl : undefined;
    redisUrl ??= (await redisAnswers(testRedisUrl)) ? testRedisUrl : undefined;
    if (postgresUrl) left.push(...(await dropRunDatabases(postgresUrl)));
    if (redisUrl) left.push(...(await deleteRunKeys(redisUrl)));
    for (const server of own.reverse()) await server.stop();
    for (const dir of runTempDirs()) {
      left.push(`folder ${dir}`);
      rmSync(dir, { recursive: true, force: true });
    }
    if (left.length > 0) {
      // vitest reports an error thrown here but still exits 0.
      console.error(`\nThe tests left behind (now removed):\n  ${left.join('\n  ')}\n`);
      process.exitCode = 1;
    }
  };
}

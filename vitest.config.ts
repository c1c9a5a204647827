import { defineConfig } from 'vitest/config';

// `npm run test:pg` runs every file again on PostgreSQL and Redis, except those about SQLite
// itself; their PostgreSQL counterparts are in test/db/postgres-*.test.ts.
const SQLITE_ONLY = [
  'test/db/backup.test.ts', // the SQLite file's online backup (PostgreSQL: pg_dump or PITR, README)
  'test/db/portable-sql.test.ts', // replays SQLite's statements on PostgreSQL: it needs both
  'test/db/query-plans.test.ts', // SQLite's EXPLAIN QUERY PLAN
  'test/db/transactions.test.ts', // the SQLite writer connection and its queue
];
// Files that always run on PostgreSQL: `npm test` runs them already.
const POSTGRES_ONLY = ['test/db/postgres-*.test.ts', 'test/scale/worker.test.ts'];

// What test/global-setup.ts brings for a run that includes these files (under TEST_ENGINE=pg every
// file needs PostgreSQL and Redis).
export const POSTGRES_FILES = [...POSTGRES_ONLY, 'test/db/dialects.test.ts', 'test/db/portable-sql.test.ts', 'test/stress/multi-process.stress.ts'];
export const REDIS_FILES = ['test/scale/*.test.ts', 'test/security/viewer-cache.test.ts', 'test/stress/multi-process.stress.ts'];
export const BROWSER_FILES = ['test/e2e/**/*.test.ts'];

export default defineConfig({
  // Node loads graphql's CommonJS build for dependencies, while Vite would give our sources the ES
  // build: two graphql realms. Point our imports at the same CommonJS entry.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', ...(process.env.TEST_ENGINE === 'pg' ? [...SQLITE_ONLY, ...POSTGRES_ONLY] : [])],
    // Each file gets its own database; files run in parallel processes.
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});

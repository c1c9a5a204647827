// The hot queries never scan a table: every statement they run is answered from indexes, so their
// cost does not grow with the data. The statements are the ones the API really runs, captured
// while serving the benchmark's data set and then explained.
import { beforeAll, describe, expect } from 'vitest';
import { seedBench, type BenchFixture, type Login } from '../../bench/seed.js';
import { createTestPlatform } from '../fixtures.js';
import { hotQueryPlanTests } from './hot-queries.js';

const p = await createTestPlatform();
let fixture: BenchFixture;
const token = (login: Login) => p.deps.tokens.signAccess({ ...login, tokenVersion: 0 }).then((t) => t.token);

beforeAll(async () => {
  fixture = await seedBench(p.deps.db, p.deps.vault, 'small');
  // The seed leaves statistics of the small set, by which SQLite rightly reads a table of twenty
  // merchants whole rather than through its index. Without them it plans as for tables of any size,
  // which is what this test is about.
  p.deps.db.$client.exec('delete from sqlite_stat1; analyze sqlite_schema');
}, 60_000);

/** The statements one request runs, with the plan SQLite chose for each. */
async function plansOf(query: string, variables: Record<string, unknown>, login: Login) {
  const auth = await token(login);
  p.statements.length = 0;
  const result = await p.gql(query, variables, auth);
  expect(result.errors).toBeUndefined();
  const plans = p.statements.map((sql) => {
    // The plan does not depend on the values: bind nulls.
    const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
    const steps = p.deps.db.$client.prepare(`explain query plan ${sql}`).all(...params) as { detail: string }[];
    return { sql, steps: steps.map((s) => s.detail) };
  });
  return { data: result.data, plans };
}

/**
 * Full scans of a table or of a whole index; a scan of a derived table (drizzle's "t") reads rows
 * already found by index, and one of json_each reads the list of ids the statement was given.
 */
const fullScans = (plans: { sql: string; steps: string[] }[]) =>
  plans.flatMap(({ sql, steps }) =>
    steps.filter((s) => /^SCAN /.test(s) && !/^SCAN (t|CONSTANT ROW|json_each VIRTUAL TABLE INDEX \d+:)$/.test(s)).map((s) => `${s} in: ${sql.slice(0, 200)}`),
  );

describe('query plans of the hot queries', () => {
  hotQueryPlanTests({ fixture: () => fixture, plansOf, fullScans });
});

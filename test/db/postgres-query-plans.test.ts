// The hot queries on PostgreSQL read the big tables through indexes, so their cost does not grow
// with the data: the statements are the ones the API really runs (as in query-plans.test.ts, with
// its documents) while serving the benchmark's medium data set (bench/seed.ts, then ANALYZE), each
// explained as PostgreSQL would run it:
// - the custom plan, with the values the statement ran with (what a statement gets on its first
//   executions, and always when it is not prepared);
// - the generic plan (PREPARE, plan_cache_mode = force_generic_plan), which a prepared statement
//   may switch to after five executions and which knows no values.
// A table of at most SMALL_PAGES pages (80 kB; on the medium set the directory tables: alliances,
// communities, campaigns, merchants, staff, memberships, notices, participants, 1–7 pages each) is
// read whole more cheaply than through an index, so the planner scans it, and that is allowed when
// an index could answer it instead: re-planned with enable_seqscan = off, no sequential scan may
// remain (one that remains is a missing index, whatever the table's size). Every other table
// (37 pages and more here: accounts, sessions, offers, placements, customers, referrals, logs…)
// must never be scanned. The medium set (seeded in about 15 s) is used because the large one takes
// minutes on PostgreSQL; `tsx bench/seed-time.ts large --engine=pg` times it.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEED } from '../../bench/documents.js';
import { seedBench, type BenchFixture, type Login } from '../../bench/seed.js';
import { createTestPlatform } from '../fixtures.js';
import { hotQueryPlanTests } from './hot-queries.js';

const SMALL_PAGES = 10;

const p = await createTestPlatform({}, undefined, 'pg');
const pool = p.deps.db.$client as unknown as pg.Pool;
let fixture: BenchFixture;
let pages: Map<string, number>;
const token = (login: Login) => p.deps.tokens.signAccess({ ...login, tokenVersion: 0 }).then((t) => t.token);

// p.statements has each statement's text: the values it ran with are taken where drizzle sends it.
const valuesOf = new Map<string, unknown[]>();
const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
pool.query = ((...args: unknown[]) => {
  const [config, values] = args as [{ text?: string } | string, unknown];
  const text = typeof config === 'string' ? config : config.text;
  if (text && Array.isArray(values)) valuesOf.set(text, values);
  return query(...args);
}) as typeof pool.query;

beforeAll(async () => {
  fixture = await seedBench(p.deps.db, p.deps.vault, 'medium');
  const { rows } = await pool.query<{ name: string; pages: number }>(`select relname as name, relpages as pages from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace`);
  pages = new Map(rows.map((r) => [r.name, r.pages]));
}, 60_000);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Sort Key'?: string[];
  Plans?: PlanNode[];
}
interface Explained {
  sql: string;
  custom: PlanNode;
  generic: PlanNode;
  /** The custom plan with enable_seqscan = off: a sequential scan left in it has no index to use. */
  indexOnly: PlanNode;
}

const nodesOf = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];

/** The statements one request runs, each with its plans on PostgreSQL. */
async function plansOf(document: string, variables: Record<string, unknown>, login: Login) {
  const auth = await token(login);
  p.statements.length = 0;
  const result = await p.gql(document, variables, auth);
  expect(result.errors).toBeUndefined();
  const client = await pool.connect();
  const explain = async (text: string, values: unknown[] = []) => ((await client.query(`EXPLAIN (FORMAT JSON) ${text}`, values)).rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
  const plans: Explained[] = [];
  try {
    for (const sql of p.statements) {
      const values = valuesOf.get(sql);
      if (!values) throw new Error(`no values were captured for: ${sql}`);
      const custom = await explain(sql, values);
      await client.query('SET plan_cache_mode = force_generic_plan');
      // A statement of our own name: the pool's connections keep drizzle's named statements.
      await client.query(`PREPARE plan_probe AS ${sql}`);
      try {
        const generic = await explain(`EXECUTE plan_probe(${values.map(() => 'NULL').join(', ')})`);
        await client.query('RESET plan_cache_mode');
        await client.query('SET enable_seqscan = off');
        const indexOnly = await explain(sql, values);
        await client.query('RESET enable_seqscan');
        plans.push({ sql, custom, generic, indexOnly });
      } finally {
        await client.query('DEALLOCATE plan_probe');
      }
    }
  } finally {
    await client.query('RESET plan_cache_mode; RESET enable_seqscan');
    client.release();
  }
  return { data: result.data, plans };
}

/** Sequential scans of tables bigger than SMALL_PAGES, and of any table no index can answer (each named once). */
function fullScans(plans: Explained[]): string[] {
  const found = new Set<string>();
  for (const { sql, custom, generic, indexOnly } of plans) {
    for (const node of [...nodesOf(custom), ...nodesOf(generic)]) {
      const table = node['Relation Name'];
      if (node['Node Type'] === 'Seq Scan' && table && (pages.get(table) ?? Infinity) > SMALL_PAGES) found.add(`Seq Scan on ${table}`);
    }
    for (const node of nodesOf(indexOnly)) {
      if (node['Node Type'] === 'Seq Scan') found.add(`Seq Scan on ${node['Relation Name']} (no index can answer it): ${sql.slice(0, 160)}`);
    }
  }
  return [...found].sort();
}

describe('query plans of the hot queries on PostgreSQL', () => {
  hotQueryPlanTests({ fixture: () => fixture, plansOf, fullScans });


  // Found by this test and not fixed yet (it.fails: it turns red once fixed; make it an `it` then).
  // The page's placements are filtered by two EXISTS (an approved membership
  // on (alliance_id, merchant_id), a current published offer). PostgreSQL multiplies the two
  // columns' join selectivities as if independent, expects 4 of the community's 376 placements to
  // pass instead of 331, and so reads them all, hashes every approved membership of every alliance
  // and sorts, rather than walking offer_placements_feed_idx newest first and stopping after 21
  // rows: 0.85 ms on the medium set and 2.0 ms on the large one, against 0.1 ms for the walk on
  // both; the cost grows with the number of alliances, which the feed must not.
  it.fails("the feed page walks the community's feed index newest first, without sorting the whole community", async () => {
    const { plans } = await plansOf(FEED, { community: encodeGlobalID('Community', fixture.feedCommunityId) }, fixture.merchant);
    // The community's planned statement, its page of placements nested in it.
    const page = plans.find((plan) => plan.sql.includes('from "communities" as "d0"') && plan.sql.includes('"offer_placements"'));
    expect(page).toBeDefined();
    const sortKeys = nodesOf(page!.custom).flatMap((node) => (node['Node Type'] === 'Sort' ? (node['Sort Key'] ?? []) : []));
    expect(sortKeys.some((key) => key.includes('posted_at'))).toBe(false);
  });
});

// The hot queries never scan a table: every statement they run is answered from indexes, so their
// cost does not grow with the data. The statements are the ones the API really runs, captured
// while serving the benchmark's data set and then explained.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEED, PENDING } from '../../bench/documents.js';
import { seedBench, type BenchFixture, type Login } from '../../bench/seed.js';
import { createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();
let fixture: BenchFixture;
const token = (login: Login) => p.deps.tokens.signAccess({ ...login, tokenVersion: 0 }).then((t) => t.token);

beforeAll(async () => {
  fixture = await seedBench(p.deps.db, p.deps.vault, 'small');
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
  it('a community feed page, and the next page by its cursor', async () => {
    const community = encodeGlobalID('Community', fixture.feedCommunityId);
    const first = await plansOf(FEED, { community }, fixture.merchant);
    expect(first.data.community.offers.edges).toHaveLength(20);
    expect(fullScans(first.plans)).toEqual([]);
    const after = first.data.community.offers.pageInfo.endCursor;
    const next = await plansOf(FEED.replace('offers(first: 20)', 'offers(first: 20, after: $after)').replace('($community: ID!)', '($community: ID!, $after: String)'), { community, after }, fixture.merchant);
    expect(next.data.community.offers.edges).toHaveLength(20);
    expect(fullScans(next.plans)).toEqual([]);
    // The web app's card also shows the body and whether the reader is interested.
    const app = await plansOf(FEED.replace('status merchant', 'status body viewerInterested merchant'), { community }, fixture.merchant);
    expect(app.plans.some((plan) => plan.sql.includes('from "interests"'))).toBe(true);
    expect(fullScans(app.plans)).toEqual([]);
  });

  it("a customer's pending referral requests", async () => {
    const { data, plans } = await plansOf(PENDING, {}, fixture.customer);
    expect(data.viewer.customer.referralRequests.edges.length).toBeGreaterThan(0);
    expect(fullScans(plans)).toEqual([]);
  });

  it("a merchant's customers, with the total", async () => {
    const query = 'query { viewer { merchant { customers(first: 20) { totalCount edges { node { id pseudonym tags } } } } } }';
    const { data, plans } = await plansOf(query, {}, fixture.merchant);
    expect(data.viewer.merchant.customers.edges).toHaveLength(20);
    expect(fullScans(plans)).toEqual([]);
  });

  it("a merchant's access log and a customer's", async () => {
    const merchantLog = await plansOf('query { viewer { merchant { accessLog(first: 20) { edges { node { id at kind fields } } } } } }', {}, fixture.merchant);
    expect(merchantLog.data.viewer.merchant.accessLog.edges.length).toBeGreaterThan(0);
    expect(fullScans(merchantLog.plans)).toEqual([]);
    const customerLog = await plansOf('query { viewer { customer { accessLog(first: 20) { edges { node { id at kind fields } } } } } }', {}, fixture.customer);
    expect(fullScans(customerLog.plans)).toEqual([]);
  });
});

// The hot queries whose plans must never scan a big table, asked of either engine: the SQLite and
// the PostgreSQL plan tests each say how they explain a statement and what counts as a full scan.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { expect, it } from 'vitest';
import { FEED, PENDING } from '../../bench/documents.js';
import type { BenchFixture, Login } from '../../bench/seed.js';

export interface PlanProbe<Plan extends { sql: string }> {
  /** The benchmark data set the queries run on (seeded before the tests run). */
  fixture(): BenchFixture;
  /** Runs a request and explains every statement it ran. */
  plansOf(query: string, variables: Record<string, unknown>, login: Login): Promise<{ data: any; plans: Plan[] }>;
  /** The full scans among the plans, described; none is expected. */
  fullScans(plans: Plan[]): string[];
}

export function hotQueryPlanTests<Plan extends { sql: string }>({ fixture, plansOf, fullScans }: PlanProbe<Plan>): void {
  it('a community feed page, and the next page by its cursor', async () => {
    const community = encodeGlobalID('Community', fixture().feedCommunityId);
    const first = await plansOf(FEED, { community }, fixture().merchant);
    expect(first.data.community.offers.edges).toHaveLength(20);
    expect(fullScans(first.plans)).toEqual([]);
    const after = first.data.community.offers.pageInfo.endCursor;
    const next = await plansOf(FEED.replace('offers(first: 20)', 'offers(first: 20, after: $after)').replace('($community: ID!)', '($community: ID!, $after: String)'), { community, after }, fixture().merchant);
    expect(next.data.community.offers.edges).toHaveLength(20);
    expect(fullScans(next.plans)).toEqual([]);
    // The web app's card also shows the body and whether the reader is interested.
    const app = await plansOf(FEED.replace('status merchant', 'status body viewerInterested merchant'), { community }, fixture().merchant);
    expect(app.plans.some((plan) => plan.sql.includes('from "interests"'))).toBe(true);
    expect(fullScans(app.plans)).toEqual([]);
  });

  it("a customer's pending referral requests", async () => {
    const { data, plans } = await plansOf(PENDING, {}, fixture().customer);
    expect(data.viewer.customer.referralRequests.edges.length).toBeGreaterThan(0);
    expect(fullScans(plans)).toEqual([]);
  });

  it("a merchant's customers, with the total", async () => {
    const query = 'query { viewer { merchant { customers(first: 20) { totalCount edges { node { id pseudonym tags } } } } } }';
    const { data, plans } = await plansOf(query, {}, fixture().merchant);
    expect(data.viewer.merchant.customers.edges).toHaveLength(20);
    expect(fullScans(plans)).toEqual([]);
  });

  it("a merchant's access log and a customer's", async () => {
    const merchantLog = await plansOf('query { viewer { merchant { accessLog(first: 20) { edges { node { id at kind fields } } } } } }', {}, fixture().merchant);
    expect(merchantLog.data.viewer.merchant.accessLog.edges.length).toBeGreaterThan(0);
    expect(fullScans(merchantLog.plans)).toEqual([]);
    const customerLog = await plansOf('query { viewer { customer { accessLog(first: 20) { edges { node { id at kind fields } } } } } }', {}, fixture().customer);
    expect(fullScans(customerLog.plans)).toEqual([]);
  });
}

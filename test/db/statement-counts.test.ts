// The hot pages cost as many SQL statements for one row as for a full page: each list is one
// statement and each relation one batched statement per request, never one per row. Counted on the
// benchmark's data set, each page asked twice so that the viewer's access is remembered.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedBench, type BenchFixture, type Login } from '../../bench/seed.js';
import { createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();
let fixture: BenchFixture;

beforeAll(async () => {
  fixture = await seedBench(p.deps.db, p.deps.vault, 'small');
}, 60_000);

/** The statements of a page of `first` rows, and how many rows it held. */
async function statementsOf(query: string, first: number, login: Login, variables: Record<string, unknown> = {}) {
  const token = (await p.deps.tokens.signAccess({ ...login, tokenVersion: 0 })).token;
  await p.gql(query, { ...variables, first }, token);
  p.statements.length = 0;
  const r = await p.gql(query, { ...variables, first }, token);
  expect(r.errors).toBeUndefined();
  return { statements: p.statements.length, data: r.data };
}

describe('statements per page do not grow with its size', () => {
  it('a community feed of 1 offer and of 20, each with merchant and communities; their campaigns one statement more', async () => {
    const query = (campaign: string) => `query($c: ID!, $first: Int) { community(id: $c) { offers(first: $first) {
      edges { node { id title merchant { id name privacyNotice { version } } communities { id name merchantCount } ${campaign} } } } } }`;
    const c = encodeGlobalID('Community', fixture.feedCommunityId);
    const one = await statementsOf(query(''), 1, fixture.merchant, { c });
    const many = await statementsOf(query(''), 20, fixture.merchant, { c });
    expect(one.data.community.offers.edges).toHaveLength(1);
    expect(many.data.community.offers.edges).toHaveLength(20);
    expect(many.statements).toBe(one.statements);
    // The campaigns of the whole page are read together (none are read for a page without any).
    const withCampaigns = await statementsOf(query('campaign { id title }'), 20, fixture.merchant, { c });
    expect(withCampaigns.statements).toBe(many.statements + 1);
  });

  it("a customer's referral requests of 1 and of all, with requester and offer", async () => {
    const query = `query($first: Int) { viewer { customer { referralRequests(first: $first) {
      edges { node { id status requester { id name privacyNotice { version } } offer { id title merchant { name } } } } } } } }`;
    const one = await statementsOf(query, 1, fixture.customer);
    const many = await statementsOf(query, 20, fixture.customer);
    expect(one.data.viewer.customer.referralRequests.edges).toHaveLength(1);
    expect(many.data.viewer.customer.referralRequests.edges.length).toBeGreaterThan(1);
    expect(many.statements).toBe(one.statements);
  });

  it("a merchant's customers of 1 and of 20, with the total", async () => {
    const query = `query($first: Int) { viewer { merchant { customers(first: $first) { totalCount edges { node { id pseudonym tags confirmed } } } } } }`;
    const one = await statementsOf(query, 1, fixture.merchant);
    const many = await statementsOf(query, 20, fixture.merchant);
    expect(many.data.viewer.merchant.customers.edges).toHaveLength(20);
    expect(many.statements).toBe(one.statements);
  });

  it("a merchant's access log and a customer's, of 1 entry and of 20", async () => {
    const merchantLog = `query($first: Int) { viewer { merchant { accessLog(first: $first) { edges { node { id at kind fields merchant { name } } } } } } }`;
    const one = await statementsOf(merchantLog, 1, fixture.merchant);
    const many = await statementsOf(merchantLog, 20, fixture.merchant);
    expect(many.data.viewer.merchant.accessLog.edges.length).toBeGreaterThan(1);
    expect(many.statements).toBe(one.statements);
    const customerLog = `query($first: Int) { viewer { customer { accessLog(first: $first) { edges { node { id at kind fields merchant { name } } } } } } }`;
    const herOne = await statementsOf(customerLog, 1, fixture.customer);
    const herMany = await statementsOf(customerLog, 20, fixture.customer);
    expect(herMany.statements).toBe(herOne.statements);
  });
});

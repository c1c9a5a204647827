// Relational queries run one prepared statement per shape (db/query-shapes.ts): values
// are bound per query, never baked into a statement another viewer's query reuses.
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createCampaign } from '../factories.js';
import { createTestPlatform, type TestPlatform } from '../fixtures.js';
import { createCast, type Cast } from '../story.js';

let p: TestPlatform;
let cast: Cast;
beforeAll(async () => {
  p = await createTestPlatform();
  cast = await createCast(p);
  const proposed = await p.gql(
    `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`,
    { i: { customerId: cast.customerId, toMerchantId: cast.curtain.merchantId, purpose: '介绍窗帘上门测量', fields: ['PHONE'], retentionDays: 14 } },
    cast.sofa.accessToken,
  );
  expect(proposed.errors).toBeUndefined();
});

const PENDING = `query { viewer { customer { referralRequests(status: PENDING, first: 20) { edges { node { id purpose requester { name } } } } } } }`;
const pendingOf = async (token: string) => {
  const r = await p.gql(PENDING, {}, token);
  expect(r.errors).toBeUndefined();
  return r.data.viewer.customer.referralRequests.edges.map((e: { node: { purpose: string } }) => e.node.purpose);
};

/** Counts the relational statements drizzle builds while `work` runs. */
async function statementsBuilt(work: () => Promise<unknown>): Promise<number> {
  const dialect = (p.deps.db.query as unknown as Record<string, { dialect: { buildRelationalQuery: (...args: unknown[]) => unknown } }>).accounts!.dialect;
  const build = dialect.buildRelationalQuery;
  let built = 0;
  dialect.buildRelationalQuery = (...args) => (built++, build.apply(dialect, args));
  try {
    await work();
  } finally {
    dialect.buildRelationalQuery = build;
  }
  return built;
}

describe('one prepared statement per query shape', () => {
  it("two customers asking for their pending requests the same way each see only their own, whichever asked first", async () => {
    expect(await pendingOf(cast.customerToken)).toEqual(['介绍窗帘上门测量']);
    expect(await pendingOf(cast.otherCustomerToken)).toEqual([]);
    expect(await pendingOf(cast.customerToken)).toEqual(['介绍窗帘上门测量']);
  });

  it('a page asked again builds no statement: the pending requests and a community feed', async () => {
    await pendingOf(cast.otherCustomerToken);
    expect(await statementsBuilt(() => pendingOf(cast.customerToken))).toBe(0);
    const feed = () => p.gql(`query($c: ID!) { community(id: $c) { name offers(first: 5) { edges { node { title merchant { name } } } } } }`, { c: cast.communityId }, cast.light.accessToken);
    expect((await feed()).data.community.offers.edges).toHaveLength(1);
    expect(await statementsBuilt(feed)).toBe(0);
  });

  it('a campaign read by a partner and by an outsider: the outsider is refused, though the statement is shared', async () => {
    const campaignId = await createCampaign(p, cast.curtain, cast.allianceId, [cast.communityId], [cast.light]);
    const read = (token: string) => p.gql(`query($id: ID!) { campaign(id: $id) { title } }`, { id: campaignId }, token);
    expect((await read(cast.curtain.accessToken)).data.campaign.title).toBeTruthy();
    const outsider = await read(cast.customerToken);
    expect(outsider.data?.campaign ?? null).toBeNull();
  });

  it('booleans, lists of any length and raw filters give the rows they ask for', async () => {
    const db = p.deps.db;
    const organizers = await db.query.campaignParticipants.findMany({ where: { isOrganizer: true } });
    const partners = await db.query.campaignParticipants.findMany({ where: { isOrganizer: false } });
    expect(organizers.every((r) => r.isOrganizer)).toBe(true);
    expect(partners.every((r) => !r.isOrganizer)).toBe(true);
    expect(organizers.length + partners.length).toBeGreaterThan(0);

    const merchants = [cast.sofa, cast.curtain, cast.light].map((m) => Buffer.from(m.merchantId, 'base64').toString().split(':')[1]!);
    for (const n of [1, 2, 3]) {
      const found = await db.query.merchants.findMany({ where: { id: { in: merchants.slice(0, n) } }, columns: { id: true } });
      expect(found.map((m) => m.id).sort()).toEqual(merchants.slice(0, n).sort());
    }
    const named = await db.query.merchants.findMany({ where: { RAW: (t) => sql`${t.name} = ${'雅居窗帘'}` }, columns: { name: true } });
    expect(named).toEqual([{ name: '雅居窗帘' }]);
    expect(encodeGlobalID('Merchant', merchants[1]!)).toBe(cast.curtain.merchantId);
  });

});

// A community's feed page: what each viewer sees of its offers, their communities and campaigns,
// paged and filtered, in a few flat statements whatever the page's size (the community, the page of
// placements, the page's offers with what their rule and relations read).
import { beforeAll, describe, expect, it } from 'vitest';
import { allianceWithCommunity, createCommunity, inDays, joinCommunity, postOffer, signUpMerchant, type MerchantSession } from '../factories.js';
import { createTestPlatform } from '../fixtures.js';
import { createCast, ok } from '../story.js';

const p = await createTestPlatform();

const NODE = 'id title category status endsAt merchant { id name } communities { id name } campaign { id title }';
const page = (extra = '') => `query($c: ID!, $first: Int, $after: String, $category: String) {
  community(id: $c) { name ${extra} offers(first: $first, after: $after, category: $category) {
    edges { cursor node { ${NODE} } } pageInfo { hasNextPage endCursor } } } }`;
const FEED = page();

/**
 * Most statements of a feed page once the viewer's access is remembered: the community, the page of
 * placements, its offers, their placements, merchants, communities and campaigns (none when no offer has one).
 */
const FEED_STATEMENTS = 7;

/** The feed page; asked again (the viewer's access is then remembered), it runs at most FEED_STATEMENTS statements. */
async function feed(token: string, variables: Record<string, unknown>) {
  const r = await p.gql(FEED, variables, token);
  expect(r.errors).toBeUndefined();
  p.statements.length = 0;
  expect((await p.gql(FEED, variables, token)).data).toEqual(r.data);
  expect(p.statements.length).toBeLessThanOrEqual(FEED_STATEMENTS);
  return r.data.community.offers;
}

let sofa: MerchantSession, curtains: MerchantSession, lamps: MerchantSession, reader: MerchantSession;
let x1: string, y1: string, y2: string, campaignId: string, joint: string;

beforeAll(async () => {
  // The sofa shop belongs to alliances X and Y; its joint campaign runs in X. The reader belongs to Y only.
  sofa = await signUpMerchant(p, { merchantName: '舒适沙发馆' });
  curtains = await signUpMerchant(p, { merchantName: '雅居窗帘', category: 'curtains' });
  lamps = await signUpMerchant(p, { merchantName: '明亮灯饰', category: 'lighting' });
  reader = await signUpMerchant(p, { merchantName: '好地板', category: 'flooring' });
  const x = await allianceWithCommunity(p, sofa, [], { postLimitPerDay: 50 });
  x1 = x.communityId;
  const y = await allianceWithCommunity(p, curtains, [sofa, lamps, reader], { postLimitPerDay: 50 });
  y1 = y.communityId;
  y2 = await createCommunity(p, curtains, y.allianceId);
  for (const m of [sofa, curtains]) await joinCommunity(p, m, y2);

  const created = await p.gql(
    `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
    { input: { allianceId: x.allianceId, title: '新房季联合优惠', description: '一起买更优惠。', startsAt: inDays(0), endsAt: inDays(30), budget: 100_000, expectedResponses: 10, communityIds: [x1] } },
    sofa.accessToken,
  );
  campaignId = created.data.createCampaign.id;
  joint = await postOffer(p, sofa, [x1, y1, y2], { title: '联合沙发优惠' });
  const added = await p.gql(`mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: campaignId, o: joint }, sofa.accessToken);
  expect(added.errors).toBeUndefined();
  for (let i = 0; i < 5; i++) await postOffer(p, i % 2 ? curtains : sofa, [y1], { category: i % 2 ? 'curtains' : 'sofa' });
  await postOffer(p, curtains, [y1], { startsAt: inDays(-10), endsAt: inDays(-1) });
  await postOffer(p, lamps, [y1], { category: 'lighting' });
  const suspended = await p.gql(
    `mutation($a: ID!, $m: ID!) { suspendMerchant(allianceId: $a, merchantId: $m, reason: "违规发广告", suspend: true) { status } }`,
    { a: y.allianceId, m: lamps.merchantId },
    curtains.accessToken,
  );
  expect(suspended.errors).toBeUndefined();
});

describe('a community feed page', () => {
  it('shows a reader outside the campaign\'s alliance neither the campaign nor communities it may not see', async () => {
    const offers = await feed(reader.accessToken, { c: y1 });
    const shared = offers.edges.find((e: any) => e.node.id === joint).node;
    expect(shared.campaign).toBeNull();
    expect(shared.communities.map((c: any) => c.id).sort()).toEqual([y1, y2].sort());
    // 6 live offers of approved members: the expired one and the suspended lamp shop's are not listed.
    expect(offers.edges).toHaveLength(6);
  });

  it('shows the offering merchant its campaign and every community carrying the offer', async () => {
    const offers = await feed(sofa.accessToken, { c: y1 });
    const shared = offers.edges.find((e: any) => e.node.id === joint).node;
    expect(shared.campaign).toEqual({ id: campaignId, title: '新房季联合优惠' });
    expect(shared.communities.map((c: any) => c.id).sort()).toEqual([x1, y1, y2].sort());
  });

  it('pages with cursors and filters by category', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const offers: any = await feed(reader.accessToken, { c: y1, first: 4, after });
      seen.push(...offers.edges.map((e: any) => e.node.id));
      after = offers.pageInfo.hasNextPage ? offers.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    const sofas = await feed(reader.accessToken, { c: y1, category: 'sofa' });
    expect(sofas.edges.map((e: any) => e.node.category)).toEqual(['sofa', 'sofa', 'sofa', 'sofa']);
  });

  it('answers a community the viewer may not see with null, and a feed it may not read with FORBIDDEN', async () => {
    const stranger = await signUpMerchant(p);
    const hidden = await p.gql(FEED, { c: x1 }, stranger.accessToken);
    expect(hidden.data.community).toBeNull();
    // The reader knows Y's second community (same alliance) but has not joined it.
    const closed = await p.gql(FEED, { c: y2 }, reader.accessToken);
    expect(closed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(closed.body.errors[0].path).toEqual(['community', 'offers']);
  });

  it("answers the web app's feed, with whether the reader said they are interested", async () => {
    const cast = await createCast(p);
    await postOffer(p, cast.light, [cast.communityId], { category: 'lighting' });
    // CommunityPage's query: OfferCard's fields and the reader's interest.
    const card = 'id title body category startsAt endsAt status merchant { id name category publicContact } viewerInterested';
    const app = `query($c: ID!, $first: Int, $after: String) {
      community(id: $c) { id offers(first: $first, after: $after) { edges { node { ${card} } } pageInfo { hasNextPage endCursor } } } }`;
    const interested = async (token: string) => {
      const r = await ok(p, app, { c: cast.communityId }, token);
      return r.community.offers.edges.filter((e: any) => e.node.viewerInterested).map((e: any) => e.node.id);
    };
    expect(await interested(cast.customerToken)).toEqual([cast.offerId]);
    expect(await interested(cast.otherCustomerToken)).toEqual([]);
    expect(await interested(cast.curtain.accessToken)).toEqual([]);
  });

  it('answers anything nested with as many statements for one offer as for many', async () => {
    const nested = [
      'body merchant { id privacyNotice { version } }',
      'communities { id merchantCount }',
      'campaign { id description }',
    ];
    for (const selection of nested) {
      const query = `query($c: ID!, $first: Int) { community(id: $c) { merchantCount offers(first: $first) { edges { node { id ${selection} } } } } }`;
      const statements = async (first: number) => {
        await p.gql(query, { c: y1, first }, sofa.accessToken);
        p.statements.length = 0;
        const r = await p.gql(query, { c: y1, first }, sofa.accessToken);
        expect(r.errors).toBeUndefined();
        expect(r.data.community.offers.edges).toHaveLength(first);
        return p.statements.length;
      };
      const one = await statements(1);
      expect(await statements(3)).toBe(one);
      expect(one).toBeLessThanOrEqual(FEED_STATEMENTS + 2);
    }
  });

  it('refuses a cursor it did not write, and pages backwards', async () => {
    const bad = await p.gql(FEED, { c: y1, after: 'bm90LWEtY3Vyc29y' }, reader.accessToken);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const last = await p.gql(`query($c: ID!) { community(id: $c) { offers(last: 2) { edges { node { id } } } } }`, { c: y1 }, reader.accessToken);
    expect(last.errors).toBeUndefined();
    expect(last.data.community.offers.edges).toHaveLength(2);
  });
});

// Alliance insights and referral attribution: members learn how the alliance is doing without
// learning anything about a person. Groups of fewer than minGroupSize customers are suppressed,
// and a second group with them when one suppressed group could be recovered by subtraction.
import { GraphQLList, GraphQLNonNull, GraphQLObjectType, type GraphQLNamedType, type GraphQLType } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { publish, suppressedKeys, tooSmall } from '../../db/stats/insights.js';
import { ConfigError, loadConfig } from '../../server/config.js';
import { schema } from '../../schema/index.js';
import { inDays, postOffer, signUpMerchant, type MerchantSession } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, type Cast } from '../story.js';

const p = await createTestPlatform();
const INSIGHTS = `query($a: ID!) { alliance(id: $a) { insights { minGroupSize
  customersByCategoryInterest { key count } referralsByStatus { key count } offersByCategory { key count } } } }`;
const ATTRIBUTION = `query($m: ID!) { node(id: $m) { ... on Merchant { referralAttribution {
  partner { name } referralsBrought referralsAccepted conversions revenue } } } }`;
const STATS = `query($c: ID!) { campaign(id: $c) { expectedResponses budget stats { interested spent } } }`;
const ASK = { purpose: '上门测量', fields: ['PHONE'], retentionDays: 30 };

let cast: Cast;
let campaignId: string;
/** Every customer of the story, with what could identify them. */
const people: { id: string; phone: string; name: string }[] = [];

async function interestedCustomer(shop: MerchantSession, offerId: string, name: string) {
  const c = await addCustomer(p, shop, { name });
  people.push({ id: c.id, phone: c.phone, name });
  const token = await claim(p, c.inviteCode);
  await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: cast.communityId }, token);
  const { expressInterest } = await ok(p, `mutation($o: ID!) { expressInterest(offerId: $o) { id } }`, { o: offerId }, token);
  return { ...c, token, interestId: expressInterest.id as string };
}

async function requestReferral(shop: MerchantSession, interestId: string): Promise<string> {
  const d = await ok(p, `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`, { i: { interestId, ...ASK } }, shop.accessToken);
  return d.requestReferral.id;
}

const respond = (referralId: string, accept: boolean, token: string) =>
  ok(p, `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`, { i: { referralId, accept } }, token);
const convert = (referralId: string, amount: number) =>
  ok(p, `mutation($id: ID!, $a: Int!) { recordConversion(referralId: $id, amount: $a) { id } }`, { id: referralId, a: amount }, cast.curtain.accessToken);

/**
 * The story: 7 customers of the sofa shop are interested in the curtain offer (the cast's customer
 * and 6 more); the curtain shop asks for all 7, 5 accept (and buy: 6 sales, 470,000 fen), 2 decline.
 * 6 customers of the sofa shop are interested in its own sofa offer. 2 customers of the curtain
 * shop are interested in the lighting offer; the light shop asks for both, still pending.
 * A joint campaign by the sofa shop carries all three offers.
 */
beforeAll(async () => {
  cast = await createCast(p);
  people.push({ id: cast.customerId, phone: cast.customerPhone, name: '赵雅琴' });
  const sofaOffer = await postOffer(p, cast.sofa, [cast.communityId], { category: 'sofa' });
  const lightOffer = await postOffer(p, cast.light, [cast.communityId], { category: 'lighting' });

  const curtainAsks = [{ interestId: cast.interestId, token: cast.customerToken }];
  for (let i = 1; i <= 6; i++) curtainAsks.push(await interestedCustomer(cast.sofa, cast.offerId, `窗帘意向客户${i}`));
  const referrals: string[] = [];
  for (const [i, c] of curtainAsks.entries()) {
    const id = await requestReferral(cast.curtain, c.interestId);
    await respond(id, i < 5, c.token);
    referrals.push(id);
  }
  await convert(referrals[0]!, 100_000);
  await convert(referrals[0]!, 50_000);
  for (const id of referrals.slice(1, 5)) await convert(id, 80_000);

  for (let i = 1; i <= 6; i++) await interestedCustomer(cast.sofa, sofaOffer, `沙发意向客户${i}`);
  for (let i = 1; i <= 2; i++) await requestReferral(cast.light, (await interestedCustomer(cast.curtain, lightOffer, `灯饰意向客户${i}`)).interestId);

  const { createCampaign } = await ok(
    p,
    `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
    { i: { allianceId: cast.allianceId, title: '新房一站配齐', description: '沙发、窗帘、灯具', startsAt: inDays(0), endsAt: inDays(20), budget: 200_000, expectedResponses: 30, communityIds: [cast.communityId] } },
    cast.sofa.accessToken,
  );
  campaignId = createCampaign.id;
  await ok(p, `mutation($c: ID!, $m: [ID!]!) { inviteToCampaign(campaignId: $c, merchantIds: $m) { id } }`, { c: campaignId, m: [cast.curtain.merchantId, cast.light.merchantId] }, cast.sofa.accessToken);
  for (const [shop, offerId] of [[cast.sofa, sofaOffer], [cast.curtain, cast.offerId], [cast.light, lightOffer]] as const) {
    if (shop !== cast.sofa) await ok(p, `mutation($c: ID!) { respondToCampaignInvite(campaignId: $c, accept: true) { id } }`, { c: campaignId }, shop.accessToken);
    await ok(p, `mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: campaignId, o: offerId }, shop.accessToken);
  }
}, 180_000);

describe('the suppression rule', () => {
  /** A bucket whose facts the viewer holds none of. */
  const bucket = (key: string, count: number, customers = count) => ({ key, count, customers, unseen: count, unseenCustomers: customers });

  it('publishes a group of exactly minGroupSize customers and suppresses a smaller one', () => {
    expect(publish([bucket('a', 5), bucket('b', 4), bucket('c', 3)], 5)).toEqual([
      { key: 'a', count: 5 },
      { key: 'b', count: null },
      { key: 'c', count: null },
    ]);
  });

  it('with exactly one small group, also suppresses the next-smallest, so that no total minus the rest reveals it', () => {
    const buckets = [bucket('sofa', 6), bucket('curtains', 7), bucket('lighting', 2), bucket('tiles', 9)];
    expect(publish(buckets, 5)).toEqual([
      { key: 'curtains', count: 7 },
      { key: 'lighting', count: null },
      { key: 'sofa', count: null },
      { key: 'tiles', count: 9 },
    ]);
  });

  it('the group size is of distinct customers: many requests about two people stay suppressed', () => {
    expect([...suppressedKeys([bucket('PENDING', 40, 2), bucket('ACCEPTED', 6, 6), bucket('DECLINED', 5, 5)], 5)]).toEqual(['PENDING', 'DECLINED']);
  });

  it("the viewer's own facts do not fill a group: what it cannot subtract must be about minGroupSize people", () => {
    // Five buyers, four of them the viewer's own sales: the fifth would be the difference.
    expect(tooSmall({ customers: 5, unseen: 1, unseenCustomers: 1 }, 5)).toBe(true);
    expect(tooSmall({ customers: 9, unseen: 5, unseenCustomers: 5 }, 5)).toBe(false);
    // All of it the viewer's own: nothing to learn, but still too few people to publish.
    expect(tooSmall({ customers: 6, unseen: 0, unseenCustomers: 0 }, 5)).toBe(false);
    expect(tooSmall({ customers: 4, unseen: 0, unseenCustomers: 0 }, 5)).toBe(true);
  });

  it('a single small group, or all groups small, are simply suppressed', () => {
    expect(publish([bucket('x', 1)], 5)).toEqual([{ key: 'x', count: null }]);
    expect(publish([bucket('x', 1), bucket('y', 2)], 3)).toEqual([{ key: 'x', count: null }, { key: 'y', count: null }]);
  });

  it('INSIGHTS_MIN_GROUP_SIZE defaults to 5, may be raised, and is never below 3', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).INSIGHTS_MIN_GROUP_SIZE).toBe(5);
    expect(loadConfig({ NODE_ENV: 'test', INSIGHTS_MIN_GROUP_SIZE: '10' }).INSIGHTS_MIN_GROUP_SIZE).toBe(10);
    expect(() => loadConfig({ NODE_ENV: 'test', INSIGHTS_MIN_GROUP_SIZE: '2' })).toThrow(ConfigError);
  });
});

describe('Alliance.insights', () => {
  it('counts interested customers by category, referrals by status and offers by category, suppressing small groups', async () => {
    const d = await ok(p, INSIGHTS, { a: cast.allianceId }, cast.light.accessToken);
    expect(d.alliance.insights).toEqual({
      minGroupSize: 5,
      // lighting (2 people) is too small; sofa (6), the next-smallest, goes with it.
      customersByCategoryInterest: [
        { key: 'curtains', count: 7 },
        { key: 'lighting', count: null },
        { key: 'sofa', count: null },
      ],
      // Two groups are already suppressed (2 and 2 people): ACCEPTED (5 people) stays published.
      referralsByStatus: [
        { key: 'ACCEPTED', count: 5 },
        { key: 'DECLINED', count: null },
        { key: 'PENDING', count: null },
      ],
      // Offers are merchants' public posts: counted as they are, even one.
      offersByCategory: [
        { key: 'curtains', count: 1 },
        { key: 'lighting', count: 1 },
        { key: 'sofa', count: 1 },
      ],
    });
  });

  it('the differencing attack fails: a published total minus the published buckets gives two groups together, never the small one', async () => {
    // The campaign carries every offer of the alliance, so its participants see the total of interested customers.
    const total = (await ok(p, STATS, { c: campaignId }, cast.curtain.accessToken)).campaign.stats.interested;
    expect(total).toBe(15);
    const buckets = (await ok(p, INSIGHTS, { a: cast.allianceId }, cast.curtain.accessToken)).alliance.insights.customersByCategoryInterest;
    const published = buckets.reduce((sum: number, b: { count: number | null }) => sum + (b.count ?? 0), 0);
    const hidden = buckets.filter((b: { count: number | null }) => b.count === null);
    // 15 - 7 = 8 people in lighting and sofa together; the 2 in lighting cannot be told apart.
    expect(total - published).toBe(8);
    expect(hidden).toHaveLength(2);
  });

  it('admins and members see it; a merchant outside the alliance, a customer and anonymous callers do not', async () => {
    for (const token of [cast.sofa.accessToken, cast.curtain.accessToken, cast.light.accessToken]) {
      expect((await p.gql(INSIGHTS, { a: cast.allianceId }, token)).errors).toBeUndefined();
    }
    const outsider = await signUpMerchant(p, { merchantName: '外地瓷砖' });
    expect(codeOf(await p.gql(INSIGHTS, { a: cast.allianceId }, outsider.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(INSIGHTS, { a: cast.allianceId }, cast.customerToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(INSIGHTS, { a: cast.allianceId }))).toBe('UNAUTHENTICATED');
  });
});

describe('Merchant.referralAttribution', () => {
  it('shows the originating shop what its referrals brought each partner, aggregate only', async () => {
    const d = await ok(p, ATTRIBUTION, { m: cast.sofa.merchantId }, cast.sofa.accessToken);
    expect(d.node.referralAttribution).toEqual([
      { partner: { name: '雅居窗帘' }, referralsBrought: 7, referralsAccepted: 5, conversions: 6, revenue: 470_000 },
    ]);
  });

  it('suppresses conversions and revenue when fewer than minGroupSize customers converted', async () => {
    const d = await ok(p, ATTRIBUTION, { m: cast.curtain.merchantId }, cast.curtain.accessToken);
    expect(d.node.referralAttribution).toEqual([
      { partner: { name: '明亮灯饰' }, referralsBrought: 2, referralsAccepted: 0, conversions: null, revenue: null },
    ]);
  });

  it("is the shop's own: another merchant gets FORBIDDEN", async () => {
    expect(codeOf(await p.gql(ATTRIBUTION, { m: cast.sofa.merchantId }, cast.curtain.accessToken))).toBe('FORBIDDEN');
  });
});

describe('no insight ever names a customer', () => {
  it('no insight answer contains a customer id, pseudonym, name or phone', async () => {
    const answers = [
      await ok(p, INSIGHTS, { a: cast.allianceId }, cast.sofa.accessToken),
      await ok(p, ATTRIBUTION, { m: cast.sofa.merchantId }, cast.sofa.accessToken),
      await ok(p, ATTRIBUTION, { m: cast.curtain.merchantId }, cast.curtain.accessToken),
      await ok(p, `query($m: ID!) { node(id: $m) { ... on Merchant { rfmSegments { segment customerCount avgRecencyDays avgFrequency avgMonetary } } } }`, { m: cast.sofa.merchantId }, cast.sofa.accessToken),
      await ok(p, STATS, { c: campaignId }, cast.curtain.accessToken),
    ].map((a) => JSON.stringify(a));
    const mine = await ok(p, `{ viewer { merchant { customers(first: 100) { edges { node { id pseudonym } } } } } }`, {}, cast.sofa.accessToken);
    const interests = await ok(p, `query($o: ID!) { offer(id: $o) { interests(first: 100) { edges { node { customer { pseudonym } } } } } }`, { o: cast.offerId }, cast.curtain.accessToken);
    const identifiers = [
      ...people.flatMap((c) => [c.id, Buffer.from(c.id, 'base64').toString().split(':')[1]!, c.name, c.phone]),
      ...mine.viewer.merchant.customers.edges.map((e: { node: { pseudonym: string } }) => e.node.pseudonym),
      ...interests.offer.interests.edges.map((e: { node: { customer: { pseudonym: string } } }) => e.node.customer.pseudonym),
    ];
    expect(identifiers.length).toBeGreaterThan(40);
    for (const answer of answers) for (const id of identifiers) expect(answer).not.toContain(id);
  });

  it('no insight type can reach a customer type or an ID, except through Merchant, which guards its own fields', () => {
    const named = (t: GraphQLType): GraphQLNamedType => (t instanceof GraphQLNonNull || t instanceof GraphQLList ? named(t.ofType) : t);
    const seen = new Set<string>();
    const walk = (type: GraphQLNamedType, path: string): string[] => {
      if (seen.has(type.name) || type.name === 'Merchant') return [];
      seen.add(type.name);
      if (/Customer|Contact/.test(type.name) || type.name === 'ID') return [path];
      if (!(type instanceof GraphQLObjectType)) return [];
      return Object.values(type.getFields()).flatMap((f) => walk(named(f.type), `${path}.${f.name}`));
    };
    const roots = ['AllianceInsights', 'RfmSegment', 'ReferralAttribution', 'CampaignStats'];
    expect(roots.flatMap((name) => walk(schema.getType(name)!, name))).toEqual([]);
  });
});

// Last, because it adds a customer, an interest and a referral to the story.
describe('bounded SQL', () => {
  const statementsOf = async (query: string, variables: Record<string, unknown>, token: string) => {
    // The viewer is remembered once its first request has loaded it: count the query's own statements.
    await ok(p, query, variables, token);
    p.statements.length = 0;
    await ok(p, query, variables, token);
    return [...p.statements];
  };

  it('insights and attribution run the same statements however many customers, interests and referrals there are', async () => {
    const insights = await statementsOf(INSIGHTS, { a: cast.allianceId }, cast.sofa.accessToken);
    const attribution = await statementsOf(ATTRIBUTION, { m: cast.sofa.merchantId }, cast.sofa.accessToken);
    const more = await interestedCustomer(cast.sofa, cast.offerId, '后来的客户');
    await requestReferral(cast.curtain, more.interestId);
    expect(await statementsOf(INSIGHTS, { a: cast.allianceId }, cast.sofa.accessToken)).toHaveLength(insights.length);
    expect(await statementsOf(ATTRIBUTION, { m: cast.sofa.merchantId }, cast.sofa.accessToken)).toHaveLength(attribution.length);
    // The counts themselves: one statement per insight list, one for all partners' attribution.
    expect(insights.filter((s) => /group by/i.test(s))).toHaveLength(3);
    expect(attribution.filter((s) => s.includes('with brought as'))).toHaveLength(1);
  });
});

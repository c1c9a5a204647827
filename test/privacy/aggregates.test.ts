// Aggregates never describe one customer. A joint campaign's partners read its funnel, alliance
// members read the alliance's insights: every count and amount is about at least five verified
// people (customers who proved their phone by claiming their account, each person once across
// merchants), and not just because the reader's own customers, or customers it made up, fill the
// group.
import { beforeAll, describe, expect, it } from 'vitest';
import { inDays, postOffer, type MerchantSession } from '../factories.js';
import { createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, type Cast } from '../story.js';

const p = await createTestPlatform();

const STATS = `query($c: ID!) { campaign(id: $c) { stats { reached interested referralsRequested referralsAccepted conversions revenue spent responseRate withheld minGroupSize } } }`;
const INSIGHTS = `query($a: ID!) { alliance(id: $a) { insights { minGroupSize customersByCategoryInterest { key count } referralsByStatus { key count } } } }`;
const ASK = { purpose: '上门测量', fields: ['PHONE'], retentionDays: 30 };

const join = (communityId: string, token: string) => ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: communityId }, token);
const interest = async (offerId: string, token: string): Promise<string> =>
  (await ok(p, `mutation($o: ID!) { expressInterest(offerId: $o) { id } }`, { o: offerId }, token)).expressInterest.id;
const request = async (shop: MerchantSession, interestId: string): Promise<string> =>
  (await ok(p, `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`, { i: { interestId, ...ASK } }, shop.accessToken)).requestReferral.id;
const propose = async (shop: MerchantSession, customerId: string, to: MerchantSession, offerId: string): Promise<string> =>
  (await ok(p, `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`, { i: { customerId, toMerchantId: to.merchantId, offerId, ...ASK } }, shop.accessToken))
    .proposeReferral.id;
const accept = (referralId: string, token: string) =>
  ok(p, `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`, { i: { referralId, accept: true } }, token);
const sell = (shop: MerchantSession, referralId: string, amount: number) =>
  ok(p, `mutation($id: ID!, $a: Int!) { recordConversion(referralId: $id, amount: $a) { id } }`, { id: referralId, a: amount }, shop.accessToken);

/** A real customer of the shop: claimed (their phone verified) and in the community. */
async function verifiedCustomer(shop: MerchantSession, communityId: string) {
  const c = await addCustomer(p, shop);
  const token = await claim(p, c.inviteCode);
  await join(communityId, token);
  return { ...c, token };
}

/** A real customer who wants the offer, is asked for their phone, accepts and buys. */
async function buyer(shop: MerchantSession, communityId: string, seller: MerchantSession, offerId: string, amount: number) {
  const c = await verifiedCustomer(shop, communityId);
  const referralId = await request(seller, await interest(offerId, c.token));
  await accept(referralId, c.token);
  await sell(seller, referralId, amount);
  return c;
}

/** A published campaign of the organizer's offer and the partners' offers, all in the cast's community. */
async function campaign(cast: Cast, organizer: MerchantSession, partners: [MerchantSession, string][], organizerOffer: string): Promise<string> {
  const { createCampaign } = await ok(
    p,
    `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
    { i: { allianceId: cast.allianceId, title: '新房一站配齐', description: '联合优惠', startsAt: inDays(0), endsAt: inDays(20), budget: 100_000, expectedResponses: 20, communityIds: [cast.communityId] } },
    organizer.accessToken,
  );
  const id = createCampaign.id as string;
  if (partners.length) {
    await ok(p, `mutation($c: ID!, $m: [ID!]!) { inviteToCampaign(campaignId: $c, merchantIds: $m) { id } }`, { c: id, m: partners.map(([m]) => m.merchantId) }, organizer.accessToken);
  }
  for (const [shop, offerId] of [[organizer, organizerOffer], ...partners] as const) {
    if (shop !== organizer) await ok(p, `mutation($c: ID!) { respondToCampaignInvite(campaignId: $c, accept: true) { id } }`, { c: id }, shop.accessToken);
    await ok(p, `mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: id, o: offerId }, shop.accessToken);
  }
  await ok(p, `mutation($c: ID!) { publishCampaign(campaignId: $c) { status } }`, { c: id }, organizer.accessToken);
  return id;
}

const statsOf = async (campaignId: string, token: string) => (await ok(p, STATS, { c: campaignId }, token)).campaign.stats;

describe("a joint campaign's stats", () => {
  let cast: Cast;
  let campaignId: string;

  /**
   * The curtain shop runs a campaign with the sofa and light shops; the cast's customer, the only
   * one to respond, buys curtains for 88,000 fen.
   */
  beforeAll(async () => {
    cast = await createCast(p);
    const lightOffer = await postOffer(p, cast.light, [cast.communityId], { category: 'lighting' });
    const sofaOffer = await postOffer(p, cast.sofa, [cast.communityId], { category: 'sofa' });
    campaignId = await campaign(cast, cast.curtain, [[cast.sofa, sofaOffer], [cast.light, lightOffer]], cast.offerId);
    const referralId = await request(cast.curtain, cast.interestId);
    await accept(referralId, cast.customerToken);
    await sell(cast.curtain, referralId, 88_000);
  }, 120_000);

  it("no partner, nor a partner's staff, reads what the one customer who responded bought", async () => {
    for (const token of [cast.light.accessToken, cast.sofa.accessToken, cast.sofaStaffWithoutContacts.accessToken, cast.curtain.accessToken]) {
      const stats = await statsOf(campaignId, token);
      expect(stats).toEqual({
        reached: 0,
        interested: 0,
        referralsRequested: 0,
        referralsAccepted: 0,
        conversions: 0,
        revenue: 0,
        spent: 0,
        responseRate: 0,
        withheld: ['REACHED', 'INTERESTED', 'REFERRALS_REQUESTED', 'REFERRALS_ACCEPTED', 'CONVERSIONS', 'REVENUE', 'RESPONSE_RATE'],
        minGroupSize: 5,
      });
      expect(JSON.stringify(stats)).not.toContain('88000');
    }
  });

  it("a partner's own buyers do not fill the group: the curtain shop sold to four, and cannot subtract them to read the light shop's one", async () => {
    const curtainOffer = await postOffer(p, cast.curtain, [cast.communityId], { category: 'curtains' });
    const lightOffer = await postOffer(p, cast.light, [cast.communityId], { category: 'lighting' });
    const lightCampaign = await campaign(cast, cast.curtain, [[cast.light, lightOffer]], curtainOffer);
    for (let i = 0; i < 4; i++) await buyer(cast.sofa, cast.communityId, cast.curtain, curtainOffer, 50_000);
    await buyer(cast.sofa, cast.communityId, cast.light, lightOffer, 77_000);

    // Five verified buyers in all, but four of them are the curtain shop's own sales.
    const curtain = await statsOf(lightCampaign, cast.curtain.accessToken);
    expect(curtain).toMatchObject({ conversions: 0, revenue: 0 });
    expect(curtain.withheld).toEqual(expect.arrayContaining(['CONVERSIONS', 'REVENUE']));
    // And the light shop sold to one: the curtain shop's four are all it could learn of.
    expect(await statsOf(lightCampaign, cast.light.accessToken)).toMatchObject({ conversions: 0, revenue: 0 });
  });
});

describe('customers a merchant made up', () => {
  let cast: Cast;
  let campaignId: string;

  /**
   * The light shop adds four customers with phones nobody answers, and proposes each of them to the
   * curtain shop for its campaign offer. One real customer (the cast's) also has a request pending:
   * the curtain shop asked for her phone.
   */
  beforeAll(async () => {
    cast = await createCast(p);
    const lightOffer = await postOffer(p, cast.light, [cast.communityId], { category: 'lighting' });
    campaignId = await campaign(cast, cast.curtain, [[cast.light, lightOffer]], cast.offerId);
    for (let i = 0; i < 4; i++) {
      const fake = await addCustomer(p, cast.light, { name: `假客户${i}` });
      await propose(cast.light, fake.id, cast.curtain, cast.offerId);
    }
    await request(cast.curtain, cast.interestId);
  }, 120_000);

  it('fill no group in the alliance insights: the light shop learns nothing of the one real pending request', async () => {
    const { insights } = (await ok(p, INSIGHTS, { a: cast.allianceId }, cast.light.accessToken)).alliance;
    expect(insights.referralsByStatus).toEqual([{ key: 'PENDING', count: null }]);
  });

  it("fill no group in the campaign's stats either", async () => {
    const stats = await statsOf(campaignId, cast.light.accessToken);
    expect(stats.referralsRequested).toBe(0);
    expect(stats.withheld).toContain('REFERRALS_REQUESTED');
  });
});

describe('a person with records at two merchants', () => {
  let cast: Cast;
  let campaignId: string;

  /**
   * The curtain shop's campaign sells to four people. Three of them bought once; the fourth is a
   * customer of both the sofa and the light shop (one phone, one account) and bought twice: once
   * asked by the curtain shop about her interest, once proposed by the light shop. Five records,
   * five sales, four people.
   */
  beforeAll(async () => {
    cast = await createCast(p);
    campaignId = await campaign(cast, cast.curtain, [], cast.offerId);
    for (let i = 0; i < 3; i++) await buyer(cast.sofa, cast.communityId, cast.curtain, cast.offerId, 30_000);
    const asked = await request(cast.curtain, cast.interestId);
    await accept(asked, cast.customerToken);
    await sell(cast.curtain, asked, 30_000);
    const atLight = await addCustomer(p, cast.light, { phone: cast.customerPhone });
    expect(await claim(p, atLight.inviteCode)).toBeTruthy();
    const proposed = await propose(cast.light, atLight.id, cast.curtain, cast.offerId);
    await accept(proposed, cast.customerToken);
    await sell(cast.curtain, proposed, 30_000);
  }, 120_000);

  it('counts once: four people are too few, however many of their records bought', async () => {
    const stats = await statsOf(campaignId, cast.curtain.accessToken);
    expect(stats).toMatchObject({ referralsAccepted: 0, conversions: 0, revenue: 0 });
    expect(stats.withheld).toEqual(expect.arrayContaining(['REFERRALS_REQUESTED', 'REFERRALS_ACCEPTED', 'CONVERSIONS', 'REVENUE']));
    const { insights } = (await ok(p, INSIGHTS, { a: cast.allianceId }, cast.light.accessToken)).alliance;
    expect(insights.referralsByStatus).toEqual([{ key: 'ACCEPTED', count: null }]);
  });

  it('and one more person makes the group: then the figures are published', async () => {
    await buyer(cast.sofa, cast.communityId, cast.curtain, cast.offerId, 30_000);
    const stats = await statsOf(campaignId, cast.curtain.accessToken);
    expect(stats).toMatchObject({ referralsAccepted: 6, conversions: 6, revenue: 180_000 });
    expect(stats.withheld).not.toContain('CONVERSIONS');
  });
});

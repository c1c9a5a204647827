// A joint campaign's funnel on a scripted story: who was reached when it went out, who responded,
// which referrals were asked, accepted and turned into sales, against the budget and the
// responses the organiser expected.
import { beforeAll, describe, expect, it } from 'vitest';
import { createCommunity, inDays, postOffer } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, type Cast } from '../story.js';

const p = await createTestPlatform();
const STATS = `query($c: ID!) { campaign(id: $c) { budget expectedResponses
  stats { reached interested referralsRequested referralsAccepted conversions revenue spent responseRate withheld } } }`;
const JOIN = `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`;
const LEAVE = `mutation($c: ID!) { leaveCommunity(communityId: $c) { id } }`;
const INTEREST = `mutation($o: ID!) { expressInterest(offerId: $o) { id } }`;
const REQUEST = `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`;
const PROPOSE = `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`;
const RESPOND = `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`;
const CONVERT = `mutation($id: ID!, $a: Int!) { recordConversion(referralId: $id, amount: $a) { id } }`;
const SPEND = `mutation($c: ID!, $a: Int!) { recordCampaignSpend(campaignId: $c, amount: $a) { id } }`;
const ASK = { purpose: '上门测量', fields: ['PHONE'], retentionDays: 30 };

let cast: Cast;
let campaignId: string;
let lightOffer: string;

async function customerIn(communityId: string) {
  const c = await addCustomer(p, cast.sofa);
  const token = await claim(p, c.inviteCode);
  await ok(p, JOIN, { c: communityId }, token);
  return { ...c, token };
}

const interest = async (offerId: string, token: string): Promise<string> => (await ok(p, INTEREST, { o: offerId }, token)).expressInterest.id;
const request = async (shop: { accessToken: string }, interestId: string): Promise<string> =>
  (await ok(p, REQUEST, { i: { interestId, ...ASK } }, shop.accessToken)).requestReferral.id;
const respond = (referralId: string, accept: boolean, token: string) => ok(p, RESPOND, { i: { referralId, accept } }, token);
const convert = (shop: { accessToken: string }, referralId: string, amount: number) => ok(p, CONVERT, { id: referralId, a: amount }, shop.accessToken);

/**
 * The curtain shop organises a campaign in two communities with the light shop; the sofa shop
 * stays out. Customers: A and B (the cast's, community 1), C (community 2), D (left community 1
 * before publication), E (joined after publication), G (in no community, never claimed), and a
 * crowd of five in community 1 who want the curtains, are asked, accept and buy: a figure is
 * published only when five verified customers the reader does not already know of are behind it,
 * and the crowd brings each of the story's figures there.
 */
beforeAll(async () => {
  cast = await createCast(p);
  const second = await createCommunity(p, cast.sofa, cast.allianceId);
  for (const shop of [cast.curtain, cast.light]) await ok(p, JOIN, { c: second }, shop.accessToken);
  lightOffer = await postOffer(p, cast.light, [cast.communityId, second], { category: 'lighting' });
  const sofaOffer = await postOffer(p, cast.sofa, [cast.communityId], { category: 'sofa' });
  const { createCampaign } = await ok(
    p,
    `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
    { i: { allianceId: cast.allianceId, title: '窗帘灯具焕新季', description: '两家联合', startsAt: inDays(0), endsAt: inDays(20), budget: 100_000, expectedResponses: 10, communityIds: [cast.communityId, second] } },
    cast.curtain.accessToken,
  );
  campaignId = createCampaign.id;
  await ok(p, `mutation($c: ID!, $m: [ID!]!) { inviteToCampaign(campaignId: $c, merchantIds: $m) { id } }`, { c: campaignId, m: [cast.light.merchantId] }, cast.curtain.accessToken);
  await ok(p, `mutation($c: ID!) { respondToCampaignInvite(campaignId: $c, accept: true) { id } }`, { c: campaignId }, cast.light.accessToken);
  await ok(p, `mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: campaignId, o: cast.offerId }, cast.curtain.accessToken);
  await ok(p, `mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: campaignId, o: lightOffer }, cast.light.accessToken);

  const crowd: { token: string }[] = [];
  for (let i = 0; i < 5; i++) crowd.push(await customerIn(cast.communityId));
  const C = await customerIn(second);
  const D = await customerIn(cast.communityId);
  await ok(p, LEAVE, { c: cast.communityId }, D.token);
  await ok(p, `mutation($c: ID!) { publishCampaign(campaignId: $c) { status } }`, { c: campaignId }, cast.curtain.accessToken);
  await customerIn(cast.communityId);

  // Responses: A already wanted the curtains (the cast's interest); C wants both offers (one
  // respondent); B only the sofa shop's own offer, which is not in the campaign.
  const cCurtain = await interest(cast.offerId, C.token);
  const cLight = await interest(lightOffer, C.token);
  await interest(sofaOffer, cast.otherCustomerToken);

  // Referrals: curtain asks A (accepted, one sale) and C (declined); light asks C (accepted, two
  // sales); the sofa shop proposes G, a customer in no community, for the curtain
  // offer (pending, and credited to the campaign all the same).
  const aCurtain = await request(cast.curtain, cast.interestId);
  await respond(aCurtain, true, cast.customerToken);
  await convert(cast.curtain, aCurtain, 120_000);
  await respond(await request(cast.curtain, cCurtain), false, C.token);
  const cLightReferral = await request(cast.light, cLight);
  await respond(cLightReferral, true, C.token);
  await convert(cast.light, cLightReferral, 30_000);
  await convert(cast.light, cLightReferral, 20_000);
  const G = await addCustomer(p, cast.sofa);
  await ok(p, PROPOSE, { i: { customerId: G.id, toMerchantId: cast.curtain.merchantId, offerId: cast.offerId, ...ASK } }, cast.sofa.accessToken);
  // A sale on a referral outside the campaign (no offer) is not the campaign's.
  const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: cast.customerId, toMerchantId: cast.light.merchantId, ...ASK } }, cast.sofa.accessToken);
  await respond(proposeReferral.id, true, cast.customerToken);
  await convert(cast.light, proposeReferral.id, 99_000);
  // A revoked grant still counts as an acceptance: the customer did accept.
  await ok(p, `mutation($id: ID!) { revokeGrant(referralId: $id) { status } }`, { id: aCurtain }, cast.customerToken);

  for (const member of crowd) {
    const referral = await request(cast.curtain, await interest(cast.offerId, member.token));
    await respond(referral, true, member.token);
    await convert(cast.curtain, referral, 10_000);
  }

  await ok(p, SPEND, { c: campaignId, a: 30_000 }, cast.curtain.accessToken);
  await ok(p, SPEND, { c: campaignId, a: 12_000 }, cast.light.accessToken);
}, 120_000);

describe('campaign funnel', () => {
  it('counts the scripted story, with expected vs actual responses and budget vs spent side by side', async () => {
    const { campaign } = await ok(p, STATS, { c: campaignId }, cast.light.accessToken);
    expect(campaign).toEqual({
      budget: 100_000,
      expectedResponses: 10,
      stats: {
        reached: 8, // A, B, C and the crowd: D had left and E had not joined when the campaign went out
        interested: 7, // A, C (C's two interests are one respondent) and the crowd
        referralsRequested: 9, // curtain→A, curtain→C, light→C, the sofa shop's proposal of G, curtain→the crowd
        referralsAccepted: 7, // A (revoked since), C for the light shop, the crowd
        conversions: 8,
        revenue: 220_000, // 120,000 + 30,000 + 20,000 + 5 × 10,000; not the 99,000 outside the campaign
        spent: 42_000,
        responseRate: 7 / 8,
        withheld: [],
      },
    });
  });

  it('is for participants only: the sofa shop, a member but not a participant, gets FORBIDDEN', async () => {
    expect(codeOf(await p.gql(STATS, { c: campaignId }, cast.sofa.accessToken))).toBe('FORBIDDEN');
  });

  it('runs one statement per statistic group (reach, funnel, spend) however much happened', async () => {
    const count = async () => {
      p.statements.length = 0;
      await ok(p, STATS, { c: campaignId }, cast.curtain.accessToken);
      return p.statements.length;
    };
    const before = await count();
    const F = await customerIn(cast.communityId);
    await request(cast.light, await interest(lightOffer, F.token));
    await ok(p, SPEND, { c: campaignId, a: 1_000 }, cast.curtain.accessToken);
    expect(await count()).toBe(before);
    const stats = p.statements.filter((s) => /campaign_communities|referral_requests|campaign_spend/.test(s) && !/campaign_participants/.test(s));
    expect(stats).toHaveLength(3);
  });
});

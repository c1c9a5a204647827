// Campaign stats count the referral funnel from real rows: interest → request → acceptance → sale.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, publishCurtainCampaign, type Cast } from '../story.js';

const p = await createTestPlatform();
let cast: Cast;
let campaignId: string;
const STATS = `query($id: ID!) { campaign(id: $id) { stats { reached interested referralsRequested referralsAccepted conversions revenue spent responseRate withheld } } }`;
const REQUEST = `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`;
const RESPOND = `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`;
const CONVERT = `mutation($id: ID!, $a: Int!) { recordConversion(referralId: $id, amount: $a) { id } }`;

/** The cast's interested customer and four more verified ones: five people, enough for every figure to be published. */
const interested: { interestId: string; token: string }[] = [];

beforeAll(async () => {
  cast = await createCast(p);
  interested.push({ interestId: cast.interestId, token: cast.customerToken });
  for (let i = 0; i < 4; i++) {
    const token = await claim(p, (await addCustomer(p, cast.sofa)).inviteCode);
    await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: cast.communityId }, token);
    const { expressInterest } = await ok(p, `mutation($o: ID!) { expressInterest(offerId: $o) { id } }`, { o: cast.offerId }, token);
    interested.push({ interestId: expressInterest.id, token });
  }
  campaignId = await publishCurtainCampaign(p, cast);
}, 60_000);

describe('campaign funnel', () => {
  it('counts interested customers, requests, acceptances, sales and revenue', async () => {
    const before = (await ok(p, STATS, { id: campaignId }, cast.curtain.accessToken)).campaign.stats;
    // Reached: the cast's two customers and the four others.
    expect(before).toMatchObject({ reached: 6, interested: 5, referralsRequested: 0, referralsAccepted: 0, conversions: 0, revenue: 0, withheld: [] });
    expect(before.responseRate).toBeCloseTo(5 / 6);

    for (const [i, c] of interested.entries()) {
      const { requestReferral } = await ok(p, REQUEST, { i: { interestId: c.interestId, purpose: '上门测量', fields: ['PHONE'], retentionDays: 30 } }, cast.curtain.accessToken);
      await ok(p, RESPOND, { i: { referralId: requestReferral.id, accept: true } }, c.token);
      // The cast's customer buys twice, the others once.
      for (const amount of i === 0 ? [180_000, 20_000] : [10_000]) await ok(p, CONVERT, { id: requestReferral.id, a: amount }, cast.curtain.accessToken);
    }
    const after = (await ok(p, STATS, { id: campaignId }, cast.curtain.accessToken)).campaign.stats;
    expect(after).toMatchObject({ interested: 5, referralsRequested: 5, referralsAccepted: 5, conversions: 6, revenue: 240_000, withheld: [] });
  });
});

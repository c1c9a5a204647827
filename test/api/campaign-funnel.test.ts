// Campaign stats count the referral funnel from real rows: interest → request → acceptance → sale.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform } from '../fixtures.js';
import { createCast, ok, type Cast } from '../story.js';

const p = await createTestPlatform();
let cast: Cast;
let campaignId: string;
const STATS = `query($id: ID!) { campaign(id: $id) { stats { reached interested referralsRequested referralsAccepted conversions revenue spent responseRate } } }`;

beforeAll(async () => {
  cast = await createCast(p);
  const now = Date.now();
  const { createCampaign } = await ok(
    p,
    `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
    {
      i: {
        allianceId: cast.allianceId,
        title: '新房焕新季',
        description: '窗帘与沙发联合优惠',
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 20 * 86_400_000).toISOString(),
        budget: 500_000,
        expectedResponses: 10,
        communityIds: [cast.communityId],
      },
    },
    cast.curtain.accessToken,
  );
  campaignId = createCampaign.id;
  await ok(p, `mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: campaignId, o: cast.offerId }, cast.curtain.accessToken);
  await ok(p, `mutation($c: ID!) { publishCampaign(campaignId: $c) { status } }`, { c: campaignId }, cast.curtain.accessToken);
}, 60_000);

describe('campaign funnel', () => {
  it('counts interested customers, requests, acceptances, sales and revenue', async () => {
    const before = (await ok(p, STATS, { id: campaignId }, cast.curtain.accessToken)).campaign.stats;
    expect(before).toMatchObject({ reached: 2, interested: 1, referralsRequested: 0, referralsAccepted: 0, conversions: 0, revenue: 0 });
    expect(before.responseRate).toBeCloseTo(0.5);

    const { requestReferral } = await ok(
      p,
      `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`,
      { i: { interestId: cast.interestId, purpose: '上门测量', fields: ['PHONE'], retentionDays: 30 } },
      cast.curtain.accessToken,
    );
    await ok(p, `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`, { i: { referralId: requestReferral.id, accept: true } }, cast.customerToken);
    for (const amount of [180_000, 20_000]) {
      await ok(p, `mutation($id: ID!, $a: Int!) { recordConversion(referralId: $id, amount: $a) { id } }`, { id: requestReferral.id, a: amount }, cast.curtain.accessToken);
    }
    const after = (await ok(p, STATS, { id: campaignId }, cast.curtain.accessToken)).campaign.stats;
    expect(after).toMatchObject({ interested: 1, referralsRequested: 1, referralsAccepted: 1, conversions: 2, revenue: 200_000 });
  });
});

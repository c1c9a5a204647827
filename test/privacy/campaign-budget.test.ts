// A campaign's budget is its participants' business: the organizer and the merchants that
// accepted read it; other members of the alliance, and a merchant only invited, see the campaign
// but are refused its budget, however they reach it.
import { describe, expect, it } from 'vitest';
import { addAllianceMember, allianceWithCommunity, createCampaign, signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform, type GqlResult } from '../fixtures.js';

const p = await createTestPlatform();

const refusedBudget = (r: GqlResult) => {
  expect(codeOf(r)).toBe('FORBIDDEN');
  expect(r.errors!.map((e: any) => e.path.at(-1))).toEqual(['budget']);
};

describe('a campaign budget', () => {
  it('is read by the organizer and accepted partners only', async () => {
    const organizer = await signUpMerchant(p);
    const partner = await signUpMerchant(p);
    const member = await signUpMerchant(p);
    const invited = await signUpMerchant(p);
    const { allianceId, communityId } = await allianceWithCommunity(p, organizer, [partner, member]);
    await addAllianceMember(p, organizer, allianceId, invited);
    const campaignId = await createCampaign(p, organizer, allianceId, [communityId], [partner]);
    await p.gql(`mutation($c: ID!, $m: [ID!]!) { inviteToCampaign(campaignId: $c, merchantIds: $m) { id } }`, { c: campaignId, m: [invited.merchantId] }, organizer.accessToken);

    const BY_ID = `query($c: ID!) { campaign(id: $c) { title budget } }`;
    const BY_NODE = `query($c: ID!) { node(id: $c) { ... on Campaign { budget } } }`;
    for (const m of [organizer, partner]) {
      expect((await p.gql(BY_ID, { c: campaignId }, m.accessToken)).data.campaign.budget).toBe(500_000);
      expect((await p.gql(BY_NODE, { c: campaignId }, m.accessToken)).data.node.budget).toBe(500_000);
    }

    for (const m of [member, invited]) {
      // The campaign itself is theirs to see; its budget is not.
      expect((await p.gql(`query($c: ID!) { campaign(id: $c) { title expectedResponses } }`, { c: campaignId }, m.accessToken)).data.campaign.title).toBe('新房季联合优惠');
      refusedBudget(await p.gql(BY_ID, { c: campaignId }, m.accessToken));
      refusedBudget(await p.gql(BY_NODE, { c: campaignId }, m.accessToken));
    }
    // Nor through the invited merchant's list of campaigns, or by answering the invitation with a decline.
    refusedBudget(await p.gql(`{ viewer { merchant { campaigns { id budget } } } }`, {}, invited.accessToken));
    refusedBudget(await p.gql(`mutation($c: ID!) { respondToCampaignInvite(campaignId: $c, accept: false) { budget } }`, { c: campaignId }, invited.accessToken));
  });
});

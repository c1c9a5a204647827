// Moderation against those it judges: an offer hidden by moderation is between its merchant and
// the alliance's admins (its campaign partners, other members and customers see nothing of it),
// and an admin never decides a report about their own shop's offer.
import { describe, expect, it } from 'vitest';
import { addAllianceMember, allianceWithCommunity, createCampaign, joinCommunity, postOffer, signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { createCast, ok } from '../story.js';

const p = await createTestPlatform();

const REPORT = `mutation($o: ID!) { reportOffer(offerId: $o, reason: "疑似引流广告") { id } }`;
const MODERATE = `mutation($o: ID!, $hide: Boolean!) { moderateOffer(offerId: $o, hide: $hide, reason: "站外引流") { status } }`;
const DISMISS = `mutation($r: ID!) { dismissReport(reportId: $r, reason: "正常优惠信息") { status } }`;
const QUEUE = `query($a: ID!) { alliance(id: $a) { moderationQueue { edges { node { id offer { id } decidableByViewer } } } } }`;

describe('an offer hidden by moderation', () => {
  it('is read by its merchant and the admins only: not by a campaign partner, another member or a customer, by any path', async () => {
    // sofa owns the alliance; curtain runs a campaign with light as its partner and its offer in it.
    const cast = await createCast(p);
    const campaignId = await createCampaign(p, cast.curtain, cast.allianceId, [cast.communityId], [cast.light]);
    await ok(p, `mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: campaignId, o: cast.offerId }, cast.curtain.accessToken);
    await ok(p, `mutation($c: ID!) { publishCampaign(campaignId: $c) { id } }`, { c: campaignId }, cast.curtain.accessToken);
    const bystander = await signUpMerchant(p);
    await addAllianceMember(p, cast.sofa, cast.allianceId, bystander);
    await joinCommunity(p, bystander, cast.communityId);

    const paths = {
      offer: async (token: string) => (await p.gql(`query($o: ID!) { offer(id: $o) { id } }`, { o: cast.offerId }, token)).data?.offer?.id ?? null,
      node: async (token: string) => {
        const r = await p.gql(`query($o: ID!) { node(id: $o) { id } }`, { o: cast.offerId }, token);
        return r.data?.node?.id ?? codeOf(r);
      },
      campaignOffers: async (token: string) => {
        const r = await p.gql(`query($c: ID!) { campaign(id: $c) { offers { id } } }`, { c: campaignId }, token);
        return r.data?.campaign ? r.data.campaign.offers.map((o: { id: string }) => o.id) : codeOf(r) ?? null;
      },
      feed: async (token: string) => {
        const r = await p.gql(`query($c: ID!) { community(id: $c) { offers { edges { node { id } } } } }`, { c: cast.communityId }, token);
        return r.data.community.offers.edges.map((e: { node: { id: string } }) => e.node.id);
      },
      merchantOffers: async (token: string) => {
        const r = await p.gql(`query($m: ID!) { node(id: $m) { ... on Merchant { offers { edges { node { id } } } } } }`, { m: cast.curtain.merchantId }, token);
        return r.data?.node?.offers?.edges.map((e: { node: { id: string } }) => e.node.id) ?? codeOf(r);
      },
    };
    const readers = { partner: cast.light.accessToken, member: bystander.accessToken, customer: cast.customerToken };
    // Published, the partner reaches it every way, and the others through the feed.
    expect(await paths.offer(readers.partner)).toBe(cast.offerId);
    expect(await paths.campaignOffers(readers.partner)).toEqual([cast.offerId]);
    expect(await paths.merchantOffers(readers.partner)).toEqual([cast.offerId]);
    for (const token of Object.values(readers)) expect(await paths.feed(token)).toEqual([cast.offerId]);

    expect((await ok(p, MODERATE, { o: cast.offerId, hide: true }, cast.sofa.accessToken)).moderateOffer.status).toBe('HIDDEN');

    for (const [who, token] of Object.entries(readers)) {
      expect([who, await paths.offer(token)]).toEqual([who, null]);
      expect([who, await paths.node(token)]).toEqual([who, 'NOT_FOUND']);
      expect([who, await paths.feed(token)]).toEqual([who, []]);
      expect([who, await paths.merchantOffers(token)]).toEqual([who, []]);
    }
    expect(await paths.campaignOffers(readers.partner)).toEqual([]);
    expect(await paths.campaignOffers(readers.member)).toEqual([]);
    // Its merchant and the admins still read it.
    for (const token of [cast.curtain.accessToken, cast.sofa.accessToken]) {
      expect(await paths.offer(token)).toBe(cast.offerId);
      expect(await paths.node(token)).toBe(cast.offerId);
    }
    expect(await paths.campaignOffers(cast.curtain.accessToken)).toEqual([cast.offerId]);

    // Restored, the partner sees it again.
    await ok(p, MODERATE, { o: cast.offerId, hide: false }, cast.sofa.accessToken);
    expect(await paths.campaignOffers(readers.partner)).toEqual([cast.offerId]);
  }, 60_000);
});

describe('reports about an admin\'s own shop', () => {
  async function scene() {
    const owner = await signUpMerchant(p, { displayName: '王店长' });
    const otherAdmin = await signUpMerchant(p);
    const reader = await signUpMerchant(p);
    const { allianceId, communityId } = await allianceWithCommunity(p, owner, [otherAdmin, reader]);
    await ok(p, `mutation($a: ID!, $m: ID!) { setAllianceRole(allianceId: $a, merchantId: $m, role: ADMIN) { role } }`, { a: allianceId, m: otherAdmin.merchantId }, owner.accessToken);
    const ownOffer = await postOffer(p, owner, [communityId], { title: '联盟主的优惠' });
    const report = (await ok(p, REPORT, { o: ownOffer }, reader.accessToken)).reportOffer.id as string;
    return { owner, otherAdmin, reader, allianceId, ownOffer, report };
  }

  it('its admin may neither hide the offer nor dismiss the report, and the queue says so; another admin decides', async () => {
    const { owner, otherAdmin, allianceId, ownOffer, report } = await scene();
    const queue = async (token: string) => (await ok(p, QUEUE, { a: allianceId }, token)).alliance.moderationQueue.edges.map((e: any) => e.node);
    expect(await queue(owner.accessToken)).toEqual([{ id: report, offer: { id: ownOffer }, decidableByViewer: false }]);
    expect(await queue(otherAdmin.accessToken)).toEqual([{ id: report, offer: { id: ownOffer }, decidableByViewer: true }]);

    expect(codeOf(await p.gql(DISMISS, { r: report }, owner.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(MODERATE, { o: ownOffer, hide: true }, owner.accessToken))).toBe('FORBIDDEN');
    // Refused, nothing changed: the report is still open.
    expect(await queue(otherAdmin.accessToken)).toHaveLength(1);

    expect((await ok(p, MODERATE, { o: ownOffer, hide: true }, otherAdmin.accessToken)).moderateOffer.status).toBe('HIDDEN');
    // Nor may the shop's admin restore what another admin hid.
    expect(codeOf(await p.gql(MODERATE, { o: ownOffer, hide: false }, owner.accessToken))).toBe('FORBIDDEN');
    expect((await ok(p, `query($o: ID!) { offer(id: $o) { status } }`, { o: ownOffer }, owner.accessToken)).offer.status).toBe('HIDDEN');
  });

  it('the reporter and a closed report read as not decidable', async () => {
    const { otherAdmin, reader, report } = await scene();
    const READ = `query($r: ID!) { node(id: $r) { ... on OfferReport { status decidableByViewer } } }`;
    expect((await ok(p, READ, { r: report }, reader.accessToken)).node).toEqual({ status: 'OPEN', decidableByViewer: false });
    await ok(p, DISMISS, { r: report }, otherAdmin.accessToken);
    expect((await ok(p, READ, { r: report }, otherAdmin.accessToken)).node).toEqual({ status: 'DISMISSED', decidableByViewer: false });
  });
});

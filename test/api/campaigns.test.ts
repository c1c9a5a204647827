import { describe, expect, it } from 'vitest';
import { allianceWithCommunity, createCommunity, inDays, joinCommunity, postOffer, signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform, onPostgres, type TestPlatform } from '../fixtures.js';

const p = await createTestPlatform();

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id status participants { isOrganizer status merchant { id } } } }`;
const INVITE = `mutation($c: ID!, $m: [ID!]!) { inviteToCampaign(campaignId: $c, merchantIds: $m) { participants { status merchant { id } } } }`;
const RESPOND = `mutation($c: ID!, $accept: Boolean!) { respondToCampaignInvite(campaignId: $c, accept: $accept) { id } }`;
const ADD = `mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { offers { id } } }`;
const PUBLISH = `mutation($c: ID!) { publishCampaign(campaignId: $c) { status } }`;
const SPEND = `mutation($c: ID!, $amount: Int!) { recordCampaignSpend(campaignId: $c, amount: $amount, note: "传单印刷") { stats { spent } } }`;
const STATS = `query($c: ID!) { campaign(id: $c) { status budget stats { reached interested referralsRequested referralsAccepted conversions revenue spent responseRate } } }`;

const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

const placementsOf = (pf: TestPlatform, offerIds: string[]) =>
  pf.sql<{ offerId: string; communityId: string }>(
    `select offer_id as "offerId", community_id as "communityId" from offer_placements where offer_id in (${offerIds.map(() => '?').join(',')}) order by offer_id, community_id`,
    ...offerIds.map(localId),
  );

/** Three merchants of one alliance, two communities, a draft campaign by the first with the second taking part. */
async function draftCampaign() {
  const organizer = await signUpMerchant(p, { merchantName: '舒适沙发馆' });
  const partner = await signUpMerchant(p, { merchantName: '雅居窗帘', category: 'curtains' });
  const bystander = await signUpMerchant(p, { merchantName: '明亮灯饰', category: 'lighting' });
  const { allianceId, communityId } = await allianceWithCommunity(p, organizer, [partner, bystander]);
  const second = await createCommunity(p, organizer, allianceId);
  await joinCommunity(p, organizer, second);
  const input = {
    allianceId,
    title: '新房季联合优惠',
    description: '沙发、窗帘一起买更优惠。',
    startsAt: inDays(0),
    endsAt: inDays(30),
    budget: 500_000,
    expectedResponses: 40,
    communityIds: [communityId, second],
  };
  const created = await p.gql(CREATE, { input }, organizer.accessToken);
  expect(created.errors).toBeUndefined();
  const campaignId = created.data.createCampaign.id as string;
  await p.gql(INVITE, { c: campaignId, m: [partner.merchantId] }, organizer.accessToken);
  await p.gql(RESPOND, { c: campaignId, accept: true }, partner.accessToken);
  const offers = [await postOffer(p, organizer, [communityId]), await postOffer(p, partner, [communityId], { category: 'curtains' })];
  for (const [m, o] of [[organizer, offers[0]], [partner, offers[1]]] as const) {
    const r = await p.gql(ADD, { c: campaignId, o }, m.accessToken);
    expect(r.errors).toBeUndefined();
  }
  return { organizer, partner, bystander, allianceId, communityId, second, campaignId, offers, input };
}

describe('organising a joint campaign', () => {
  it('the organizer is an accepted participant; invitees answer; only own offers of participants join', async () => {
    const { organizer, partner, bystander, campaignId, communityId, offers } = await draftCampaign();
    const r = await p.gql(`query($c: ID!) { campaign(id: $c) { status participants { isOrganizer status merchant { id } } offers { id } } }`, { c: campaignId }, bystander.accessToken);
    expect(r.data.campaign.status).toBe('DRAFT');
    expect(r.data.campaign.participants).toEqual([
      { isOrganizer: true, status: 'ACCEPTED', merchant: { id: organizer.merchantId } },
      { isOrganizer: false, status: 'ACCEPTED', merchant: { id: partner.merchantId } },
    ]);
    // Not a participant: the bystander cannot add its offer, nor another merchant's.
    await joinCommunity(p, bystander, communityId);
    const own = await postOffer(p, bystander, [communityId]);
    expect(codeOf(await p.gql(ADD, { c: campaignId, o: own }, bystander.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(ADD, { c: campaignId, o: offers[0] }, partner.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(RESPOND, { c: campaignId, accept: true }, partner.accessToken))).toBe('CONFLICT');
  });

  it('only approved members of the alliance can organise or be invited, and only into its own communities', async () => {
    const { organizer, campaignId, input } = await draftCampaign();
    const outsider = await signUpMerchant(p);
    const elsewhere = await allianceWithCommunity(p, outsider);
    expect(codeOf(await p.gql(CREATE, { input }, outsider.accessToken))).toBe('FORBIDDEN');
    const invite = await p.gql(INVITE, { c: campaignId, m: [outsider.merchantId] }, organizer.accessToken);
    expect(codeOf(invite)).toBe('BAD_USER_INPUT');
    expect(invite.errors![0]!.extensions!.field).toBe('merchantIds');
    const foreign = await p.gql(CREATE, { input: { ...input, communityIds: [elsewhere.communityId] } }, organizer.accessToken);
    expect(codeOf(foreign)).toBe('BAD_USER_INPUT');
    expect(foreign.errors![0]!.extensions!.field).toBe('communityIds');
  });

  it('a campaign is visible to alliance members only', async () => {
    const { campaignId } = await draftCampaign();
    const outsider = await signUpMerchant(p);
    const r = await p.gql(`query($c: ID!) { campaign(id: $c) { id } node(id: $c) { id } }`, { c: campaignId }, outsider.accessToken);
    expect(r.data?.campaign ?? null).toBeNull();
    expect(r.data?.node ?? null).toBeNull();
  });
});

describe('publishing a campaign', () => {
  it('lands every offer in every community of the campaign at once', async () => {
    const { organizer, partner, campaignId, communityId, second, offers } = await draftCampaign();
    expect(codeOf(await p.gql(PUBLISH, { c: campaignId }, partner.accessToken))).toBe('FORBIDDEN');
    const r = await p.gql(PUBLISH, { c: campaignId }, organizer.accessToken);
    expect(r.data.publishCampaign.status).toBe('PUBLISHED');
    const expected = offers.flatMap((o) => [communityId, second].map((c) => ({ offerId: localId(o), communityId: localId(c) })));
    expect(await placementsOf(p, offers)).toEqual(expected.sort((a, b) => (a.offerId + a.communityId).localeCompare(b.offerId + b.communityId)));
    const feed = await p.gql(`query($c: ID!) { community(id: $c) { offers { edges { node { id campaign { id } } } } } }`, { c: second }, organizer.accessToken);
    expect(feed.data.community.offers.edges.map((e: any) => e.node.id).sort()).toEqual([...offers].sort());
    expect(feed.data.community.offers.edges[0].node.campaign.id).toBe(campaignId);
    expect(codeOf(await p.gql(PUBLISH, { c: campaignId }, organizer.accessToken))).toBe('CONFLICT');
  });

  it('a failure midway leaves nothing published', async () => {
    const { organizer, campaignId, second, offers } = await draftCampaign();
    const before = await placementsOf(p, offers);
    // The database refuses the second offer's placement into the second community: by then the
    // first offer has already been placed there, and the campaign row is still to be updated.
    const failing = `new.offer_id = '${localId(offers[1]!)}' and new.community_id = '${localId(second)}'`;
    if (onPostgres) {
      await p.sql(`create function fail_publish() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`);
      await p.sql(`create trigger fail_publish before insert on offer_placements for each row when (${failing}) execute function fail_publish()`);
    } else {
      await p.sql(`create trigger fail_publish before insert on offer_placements when ${failing} begin select raise(abort, 'disk full'); end`);
    }
    try {
      const r = await p.gql(PUBLISH, { c: campaignId }, organizer.accessToken);
      expect(codeOf(r)).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(r.errors)).not.toContain('disk full');
    } finally {
      await p.sql(onPostgres ? 'drop trigger fail_publish on offer_placements' : 'drop trigger fail_publish');
      if (onPostgres) await p.sql('drop function fail_publish()');
    }
    expect(await placementsOf(p, offers)).toEqual(before);
    const status = await p.gql(`query($c: ID!) { campaign(id: $c) { status } }`, { c: campaignId }, organizer.accessToken);
    expect(status.data.campaign.status).toBe('DRAFT');
    expect((await p.gql(PUBLISH, { c: campaignId }, organizer.accessToken)).data.publishCampaign.status).toBe('PUBLISHED');
  });
});

describe('campaign stats', () => {
  it('participants see counts from rows and the sum of recorded spend; others get FORBIDDEN', async () => {
    const { organizer, partner, bystander, campaignId } = await draftCampaign();
    await p.gql(PUBLISH, { c: campaignId }, organizer.accessToken);
    await p.gql(SPEND, { c: campaignId, amount: 12_000 }, organizer.accessToken);
    const spent = await p.gql(SPEND, { c: campaignId, amount: 3_000 }, partner.accessToken);
    expect(spent.data.recordCampaignSpend.stats.spent).toBe(15_000);
    const r = await p.gql(STATS, { c: campaignId }, partner.accessToken);
    expect(r.data.campaign).toEqual({
      status: 'PUBLISHED',
      budget: 500_000,
      stats: { reached: 0, interested: 0, referralsRequested: 0, referralsAccepted: 0, conversions: 0, revenue: 0, spent: 15_000, responseRate: 0 },
    });
    const other = await p.gql(STATS, { c: campaignId }, bystander.accessToken);
    expect(codeOf(other)).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(SPEND, { c: campaignId, amount: 100 }, bystander.accessToken))).toBe('FORBIDDEN');
  });

  it('spend must be a positive number of fen', async () => {
    const { organizer, campaignId } = await draftCampaign();
    for (const amount of [0, -5]) {
      const r = await p.gql(SPEND, { c: campaignId, amount }, organizer.accessToken);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.extensions!.field).toBe('amount');
    }
    expect(codeOf(await p.gql(SPEND, { c: campaignId, amount: 1.5 }, organizer.accessToken))).toBe('BAD_USER_INPUT');
  });
});

describe('membership', () => {
  it('an invited merchant may decline, and cannot then add offers', async () => {
    const { organizer, bystander, campaignId, communityId } = await draftCampaign();
    await p.gql(INVITE, { c: campaignId, m: [bystander.merchantId] }, organizer.accessToken);
    await p.gql(RESPOND, { c: campaignId, accept: false }, bystander.accessToken);
    await joinCommunity(p, bystander, communityId);
    const offer = await postOffer(p, bystander, [communityId]);
    expect(codeOf(await p.gql(ADD, { c: campaignId, o: offer }, bystander.accessToken))).toBe('FORBIDDEN');
  });
});

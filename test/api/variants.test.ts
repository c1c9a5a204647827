// A/B variants of a campaign: the organizer writes two or more presentations while the campaign is a
// draft; once published each customer is shown one, split at random but stably by community or by
// account; the participants read the funnel per variant, with small groups withheld and a
// two-proportion test of each variant against A.
import { encodeGlobalID } from '@pothos/plugin-relay';
import sharp from 'sharp';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { twoProportionTest, variantFor } from '../../db/stats/ab-test.js';
import { createCommunity, inDays, joinCommunity, postOffer, signUpMerchant, type MerchantSession } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, type Cast } from '../story.js';

// The smallest group the platform allows, so a handful of customers fills one.
const p = await createTestPlatform({ INSIGHTS_MIN_GROUP_SIZE: '3' });
let cast: Cast;
let outsider: MerchantSession;
/** The community the campaigns run in (it takes more than the default five offers a day). */
let home: string;

const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

const VARIANT_FIELDS = 'variantUnit variants { id label title description posterMediaId }';
const ADD = `mutation($i: AddCampaignVariantInput!) { addCampaignVariant(input: $i) { ${VARIANT_FIELDS} } }`;
const REMOVE = `mutation($i: RemoveCampaignVariantInput!) { removeCampaignVariant(input: $i) { ${VARIANT_FIELDS} } }`;
const SET_UNIT = `mutation($i: SetCampaignVariantUnitInput!) { setCampaignVariantUnit(input: $i) { ${VARIANT_FIELDS} } }`;
const PUBLISH = `mutation($c: ID!) { publishCampaign(campaignId: $c) { status } }`;
const PRESENTATION = `query($o: ID!) { offer(id: $o) { campaignPresentation { id label title } } }`;
const INTEREST = `mutation($o: ID!) { expressInterest(offerId: $o) { id } }`;
const RESULTS = `query($c: ID!) { campaign(id: $c) { variantResults {
  metric minGroupSize
  variants { variant { label } reached interested referralsRequested referralsAccepted conversions responseRate withheld }
  comparisons { variant { label } baseline { label } test { pooledRate standardError z pValue } } } } }`;

interface Customer {
  token: string;
  accountId: string;
}

/** A verified customer of the sofa shop (claimed with the code sent to their phone), in the given communities. */
async function newCustomer(communityIds: string[]): Promise<Customer> {
  const token = await claim(p, (await addCustomer(p, cast.sofa)).inviteCode);
  for (const c of communityIds) await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c }, token);
  const { viewer } = await ok(p, `{ viewer { id } }`, {}, token);
  return { token, accountId: localId(viewer.id) };
}

/** Customers one after another: each reads its own code off the gateway. */
async function newCustomers(n: number, communityIds: string[]): Promise<Customer[]> {
  const made: Customer[] = [];
  for (let i = 0; i < n; i++) made.push(await newCustomer(communityIds));
  return made;
}

/** A draft campaign of the curtain shop in the given communities, with a new offer of its own; the sofa shop takes part. */
async function draftCampaign(communityIds = [home]) {
  const offerId = await postOffer(p, cast.curtain, communityIds, { category: 'curtains' });
  const { createCampaign } = await ok(
    p,
    `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
    {
      i: {
        allianceId: cast.allianceId,
        title: '新房焕新季',
        description: '窗帘与沙发联合优惠',
        startsAt: inDays(-1),
        endsAt: inDays(20),
        budget: 500_000,
        expectedResponses: 40,
        communityIds,
      },
    },
    cast.curtain.accessToken,
  );
  const campaignId = createCampaign.id as string;
  await ok(p, `mutation($c: ID!, $m: [ID!]!) { inviteToCampaign(campaignId: $c, merchantIds: $m) { id } }`, { c: campaignId, m: [cast.sofa.merchantId] }, cast.curtain.accessToken);
  await ok(p, `mutation($c: ID!) { respondToCampaignInvite(campaignId: $c, accept: true) { id } }`, { c: campaignId }, cast.sofa.accessToken);
  await ok(p, `mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: campaignId, o: offerId }, cast.curtain.accessToken);
  return { campaignId, offerId };
}

/** A published campaign with variants A and B, split as asked; the variants' local ids in label order. */
async function campaignWithVariants(unit: 'COMMUNITY' | 'CUSTOMER', communityIds = [home]) {
  const { campaignId, offerId } = await draftCampaign(communityIds);
  await ok(p, SET_UNIT, { i: { campaignId, unit } }, cast.curtain.accessToken);
  await ok(p, ADD, { i: { campaignId, title: '窗帘免费测量', description: '预约即送上门测量' } }, cast.curtain.accessToken);
  const { addCampaignVariant } = await ok(p, ADD, { i: { campaignId, title: '遮光窗帘八折', description: '新房业主专享' } }, cast.curtain.accessToken);
  await ok(p, PUBLISH, { c: campaignId }, cast.curtain.accessToken);
  const variants = addCampaignVariant.variants as { id: string; label: string }[];
  return { campaignId, offerId, variantIds: variants.map((v) => localId(v.id)), labelOf: new Map(variants.map((v) => [localId(v.id), v.label])) };
}

const shownLabel = async (offerId: string, token: string) => (await ok(p, PRESENTATION, { o: offerId }, token)).offer.campaignPresentation?.label ?? null;

const assignmentsOf = (campaignId: string) =>
  p.sql<{ accountId: string; variantId: string }>(
    `select account_id as "accountId", variant_id as "variantId" from campaign_variant_assignments where campaign_id = ? order by account_id`,
    localId(campaignId),
  );

/** A poster the merchant uploads (a small PNG): its media ID. */
async function posterOf(merchant: MerchantSession): Promise<string> {
  const image = await sharp({ create: { width: 60, height: 90, channels: 3, background: '#c8102e' } }).png().toBuffer();
  const res = await request(p.app).post('/media').set('authorization', `Bearer ${merchant.accessToken}`).set('content-type', 'image/png').send(image);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.id as string;
}

beforeAll(async () => {
  cast = await createCast(p);
  outsider = await signUpMerchant(p, { merchantName: '外地家具' });
  home = await createCommunity(p, cast.sofa, cast.allianceId, { postLimitPerDay: 50 });
  for (const m of [cast.sofa, cast.curtain]) await joinCommunity(p, m, home);
  for (const token of [cast.customerToken, cast.otherCustomerToken]) await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: home }, token);
}, 60_000);

describe('setting up variants', () => {
  it('the organizer adds variants A, B, C… (at most five) with its own posters, removes one and chooses the split', async () => {
    const { campaignId } = await draftCampaign();
    const poster = await posterOf(cast.curtain);
    const first = await ok(p, ADD, { i: { campaignId, title: '窗帘免费测量', description: '预约即送上门测量', posterMediaId: poster } }, cast.curtain.accessToken);
    expect(first.addCampaignVariant).toMatchObject({ variantUnit: 'COMMUNITY', variants: [{ label: 'A', title: '窗帘免费测量', posterMediaId: poster }] });
    for (const title of ['B 款', 'C 款', 'D 款', 'E 款']) await ok(p, ADD, { i: { campaignId, title, description: '' } }, cast.curtain.accessToken);
    const sixth = await p.gql(ADD, { i: { campaignId, title: 'F 款', description: '' } }, cast.curtain.accessToken);
    expect(codeOf(sixth)).toBe('BAD_USER_INPUT');
    expect(sixth.errors![0]!.message).toMatch(/at most 5 variants/);

    // Removing B moves C, D and E up a label: A stays the baseline and the labels have no gap.
    const { campaign } = await ok(p, `query($c: ID!) { campaign(id: $c) { variants { id label } } }`, { c: campaignId }, cast.curtain.accessToken);
    const removed = await ok(p, REMOVE, { i: { variantId: campaign.variants[1].id } }, cast.curtain.accessToken);
    expect(removed.removeCampaignVariant.variants.map((v: any) => `${v.label} ${v.title}`)).toEqual(['A 窗帘免费测量', 'B C 款', 'C D 款', 'D E 款']);

    const split = await ok(p, SET_UNIT, { i: { campaignId, unit: 'CUSTOMER' } }, cast.curtain.accessToken);
    expect(split.setCampaignVariantUnit.variantUnit).toBe('CUSTOMER');
  });

  it("refuses a poster the organizer's merchant did not upload, as if it did not exist", async () => {
    const { campaignId } = await draftCampaign();
    const theirs = await posterOf(cast.light);
    const r = await p.gql(ADD, { i: { campaignId, title: '窗帘', description: '', posterMediaId: theirs } }, cast.curtain.accessToken);
    expect(codeOf(r)).toBe('NOT_FOUND');
    const unknown = await p.gql(ADD, { i: { campaignId, title: '窗帘', description: '', posterMediaId: encodeGlobalID('Media', '019ae3c4-0000-7000-8000-000000000000') } }, cast.curtain.accessToken);
    expect(codeOf(unknown)).toBe('NOT_FOUND');
    expect(unknown.errors![0]!.message).toBe(r.errors![0]!.message);
  });

  it('only the organizer may change variants: a participant, another member, an outside merchant and a customer are refused', async () => {
    const { campaignId } = await draftCampaign();
    const { addCampaignVariant } = await ok(p, ADD, { i: { campaignId, title: '窗帘免费测量', description: '' } }, cast.curtain.accessToken);
    const variantId = addCampaignVariant.variants[0].id;
    for (const token of [cast.sofa.accessToken, cast.light.accessToken, outsider.accessToken, cast.customerToken]) {
      expect(codeOf(await p.gql(ADD, { i: { campaignId, title: '我的版本', description: '' } }, token))).toBe('FORBIDDEN');
      expect(codeOf(await p.gql(REMOVE, { i: { variantId } }, token))).toBe('FORBIDDEN');
      expect(codeOf(await p.gql(SET_UNIT, { i: { campaignId, unit: 'CUSTOMER' } }, token))).toBe('FORBIDDEN');
    }
    const { campaign } = await ok(p, `query($c: ID!) { campaign(id: $c) { ${VARIANT_FIELDS} } }`, { c: campaignId }, cast.curtain.accessToken);
    expect(campaign).toMatchObject({ variantUnit: 'COMMUNITY', variants: [{ label: 'A', title: '窗帘免费测量' }] });
  });

  it('nothing about the variants changes once the campaign is published: customers keep what they were shown', async () => {
    const { campaignId, variantIds } = await campaignWithVariants('CUSTOMER');
    const attempts = [
      await p.gql(ADD, { i: { campaignId, title: 'C 款', description: '' } }, cast.curtain.accessToken),
      await p.gql(REMOVE, { i: { variantId: encodeGlobalID('CampaignVariant', variantIds[1]!) } }, cast.curtain.accessToken),
      await p.gql(SET_UNIT, { i: { campaignId, unit: 'COMMUNITY' } }, cast.curtain.accessToken),
    ];
    for (const r of attempts) {
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.message).toMatch(/only change while the campaign is a draft/);
    }
    const { campaign } = await ok(p, `query($c: ID!) { campaign(id: $c) { ${VARIANT_FIELDS} } }`, { c: campaignId }, cast.curtain.accessToken);
    expect(campaign.variantUnit).toBe('CUSTOMER');
    expect(campaign.variants.map((v: any) => v.label)).toEqual(['A', 'B']);
  });
});

describe('showing a variant to customers', () => {
  it('split by customer: each account is shown the variant its hash picks, the same on every read', async () => {
    const { campaignId, offerId, variantIds, labelOf } = await campaignWithVariants('CUSTOMER');
    const customers = [{ token: cast.customerToken, accountId: '' }, ...(await newCustomers(5, [home]))];
    customers[0]!.accountId = localId((await ok(p, `{ viewer { id } }`, {}, cast.customerToken)).viewer.id);
    for (const c of customers) {
      const expected = labelOf.get(variantFor(localId(campaignId), c.accountId, variantIds));
      expect(await shownLabel(offerId, c.token)).toBe(expected);
      expect(await shownLabel(offerId, c.token)).toBe(expected);
    }
    // One row per customer: the exposure is recorded once.
    const rows = await assignmentsOf(campaignId);
    expect(rows).toEqual(
      customers.map((c) => ({ accountId: c.accountId, variantId: variantFor(localId(campaignId), c.accountId, variantIds) })).sort((a, b) => (a.accountId < b.accountId ? -1 : 1)),
    );
    // Merchants are shown no variant and record nothing.
    expect(await shownLabel(offerId, cast.curtain.accessToken)).toBeNull();
    expect(await assignmentsOf(campaignId)).toHaveLength(customers.length);
  });

  it('split by community: every customer of one community sees the same variant, and keeps it after moving', async () => {
    const second = await createCommunity(p, cast.sofa, cast.allianceId, { postLimitPerDay: 50 });
    for (const m of [cast.sofa, cast.curtain]) await joinCommunity(p, m, second);
    // A campaign whose split sends the two communities to different variants (one in two does).
    let campaign: Awaited<ReturnType<typeof campaignWithVariants>>;
    let labelFor: (communityId: string) => string | undefined;
    do {
      campaign = await campaignWithVariants('COMMUNITY', [home, second]);
      const { campaignId, variantIds, labelOf } = campaign;
      labelFor = (communityId) => labelOf.get(variantFor(localId(campaignId), localId(communityId), variantIds));
    } while (labelFor(home) === labelFor(second));
    const { offerId } = campaign;
    const [firstById] = [home, second].sort((a, b) => (localId(a) < localId(b) ? -1 : 1));

    const onlyFirst = await newCustomers(3, [home]);
    const onlySecond = await newCustomers(2, [second]);
    const both = await newCustomer([home, second]);
    for (const c of onlyFirst) expect(await shownLabel(offerId, c.token)).toBe(labelFor(home));
    for (const c of onlySecond) expect(await shownLabel(offerId, c.token)).toBe(labelFor(second));
    // In both: the first of the campaign's communities (by id) decides.
    expect(await shownLabel(offerId, both.token)).toBe(labelFor(firstById!));

    // A customer who leaves for the other community keeps the variant first shown.
    const mover = onlyFirst[0]!;
    await ok(p, `mutation($c: ID!) { leaveCommunity(communityId: $c) { id } }`, { c: home }, mover.token);
    await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: second }, mover.token);
    expect(await shownLabel(offerId, mover.token)).toBe(labelFor(home));
  });

  it("expressing interest in a campaign's offer records the variant in the same step, and reading shows that one", async () => {
    const { campaignId, offerId, variantIds, labelOf } = await campaignWithVariants('CUSTOMER');
    const c = await newCustomer([home]);
    await ok(p, INTEREST, { o: offerId }, c.token);
    const expected = variantFor(localId(campaignId), c.accountId, variantIds);
    expect(await assignmentsOf(campaignId)).toEqual([{ accountId: c.accountId, variantId: expected }]);
    expect(await shownLabel(offerId, c.token)).toBe(labelOf.get(expected));
  });

  it('a campaign without variants, or still a draft, shows none and records nothing', async () => {
    const plain = await draftCampaign();
    await ok(p, PUBLISH, { c: plain.campaignId }, cast.curtain.accessToken);
    expect(await shownLabel(plain.offerId, cast.customerToken)).toBeNull();
    await ok(p, INTEREST, { o: plain.offerId }, cast.otherCustomerToken);
    const draft = await draftCampaign();
    await ok(p, ADD, { i: { campaignId: draft.campaignId, title: '草稿', description: '' } }, cast.curtain.accessToken);
    // The offer is already in the community, but the campaign is not published yet.
    expect(await shownLabel(draft.offerId, cast.customerToken)).toBeNull();
    expect([...(await assignmentsOf(plain.campaignId)), ...(await assignmentsOf(draft.campaignId))]).toEqual([]);
    const r = await ok(p, `query($c: ID!) { campaign(id: $c) { variantResults { metric } } }`, { c: plain.campaignId }, cast.curtain.accessToken);
    expect(r.campaign.variantResults).toBeNull();
  });
});

describe('who sees a variant', () => {
  it("a draft's variants are the alliance's; once published the campaign's communities see them; no one else, even by ID", async () => {
    const { campaignId } = await draftCampaign();
    const { addCampaignVariant } = await ok(p, ADD, { i: { campaignId, title: '窗帘免费测量', description: '' } }, cast.curtain.accessToken);
    const id = addCampaignVariant.variants[0].id as string;
    const NODE = `query($id: ID!) { node(id: $id) { ... on CampaignVariant { label } } }`;
    const stranger = await newCustomer([]);
    const seen = async (token: string) => (await p.gql(NODE, { id }, token)).data?.node ?? null;
    expect(await seen(cast.light.accessToken)).toEqual({ label: 'A' });
    for (const token of [outsider.accessToken, cast.customerToken, stranger.token]) expect(await seen(token)).toBeNull();
    await ok(p, PUBLISH, { c: campaignId }, cast.curtain.accessToken);
    expect(await seen(cast.customerToken)).toEqual({ label: 'A' });
    for (const token of [outsider.accessToken, stranger.token]) expect(await seen(token)).toBeNull();
  });
});

describe('results per variant', () => {
  it('counts the funnel of each variant, withholds small groups, and tests B against A on the response rate', async () => {
    const { campaignId, offerId, variantIds } = await campaignWithVariants('CUSTOMER');
    // Customers whose accounts the split sends to A or B, until each variant has four.
    const byVariant: Customer[][] = [[], []];
    while (byVariant.some((group) => group.length < 4)) {
      const c = await newCustomer([]);
      const group = byVariant[variantIds.indexOf(variantFor(localId(campaignId), c.accountId, variantIds))]!;
      if (group.length < 4) {
        await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: home }, c.token);
        group.push(c);
      }
    }
    const [a, b] = byVariant as [Customer[], Customer[]];
    const results = async (token = cast.sofa.accessToken) => (await ok(p, RESULTS, { c: campaignId }, token)).campaign.variantResults;

    // Three customers shown A, two shown B: B's reach is about too few people, and A's would give
    // it away (campaign reach minus A), so both are withheld and there is nothing to test.
    for (const c of [...a.slice(0, 3), ...b.slice(0, 2)]) await shownLabel(offerId, c.token);
    const early = await results();
    expect(early).toMatchObject({ metric: 'RESPONSE_RATE', minGroupSize: 3 });
    expect(early.variants).toEqual([
      { variant: { label: 'A' }, reached: 0, interested: 0, referralsRequested: 0, referralsAccepted: 0, conversions: 0, responseRate: 0, withheld: ['REACHED', 'RESPONSE_RATE'] },
      { variant: { label: 'B' }, reached: 0, interested: 0, referralsRequested: 0, referralsAccepted: 0, conversions: 0, responseRate: 0, withheld: ['REACHED', 'RESPONSE_RATE'] },
    ]);
    expect(early.comparisons).toEqual([{ variant: { label: 'B' }, baseline: { label: 'A' }, test: null }]);

    // Four shown A, three of them interested; three shown B, all interested (the third by
    // responding straight away, which shows the campaign too).
    await shownLabel(offerId, a[3]!.token);
    const interests = new Map<Customer, string>();
    for (const c of [...a.slice(0, 3), ...b.slice(0, 3)]) interests.set(c, (await ok(p, INTEREST, { o: offerId }, c.token)).expressInterest.id);
    // B's three are asked for a referral and accept; two of them buy.
    for (const [i, c] of b.slice(0, 3).entries()) {
      const { requestReferral } = await ok(
        p,
        `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`,
        { i: { interestId: interests.get(c), purpose: '上门测量', fields: ['PHONE'], retentionDays: 30 } },
        cast.curtain.accessToken,
      );
      await ok(p, `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`, { i: { referralId: requestReferral.id, accept: true } }, c.token);
      if (i < 2) await ok(p, `mutation($id: ID!) { recordConversion(referralId: $id, amount: 50000) { id } }`, { id: requestReferral.id }, cast.curtain.accessToken);
    }

    const late = await results();
    expect(late.variants).toEqual([
      { variant: { label: 'A' }, reached: 4, interested: 3, referralsRequested: 0, referralsAccepted: 0, conversions: 0, responseRate: 0.75, withheld: [] },
      // Two sales are about two people: withheld (A has none to give them away).
      { variant: { label: 'B' }, reached: 3, interested: 3, referralsRequested: 3, referralsAccepted: 3, conversions: 0, responseRate: 1, withheld: ['CONVERSIONS'] },
    ]);
    // 3 of 4 against 3 of 3: pooled 6/7, SE = sqrt(6/7 · 1/7 · (1/4 + 1/3)) = 0.26726, z = 0.25 / SE = 0.93541, p = 0.3496.
    const [comparison] = late.comparisons;
    expect(comparison).toMatchObject({ variant: { label: 'B' }, baseline: { label: 'A' } });
    expect(comparison.test.pooledRate).toBeCloseTo(6 / 7, 6);
    expect(comparison.test.standardError).toBeCloseTo(0.26726, 4);
    expect(comparison.test.z).toBeCloseTo(0.93541, 4);
    expect(comparison.test.pValue).toBeCloseTo(0.3496, 3);
    expect(comparison.test).toEqual(twoProportionTest({ successes: 3, trials: 4 }, { successes: 3, trials: 3 }));

    // The organizer reads the same; a member that does not take part reads nothing.
    expect((await results(cast.curtain.accessToken)).variants).toEqual(late.variants);
    const refused = await p.gql(RESULTS, { c: campaignId }, cast.light.accessToken);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(refused.data?.campaign?.variantResults ?? null).toBeNull();
  }, 60_000);
});

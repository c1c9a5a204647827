// Customers see a campaign's A/B variant on the offer cards of their community's feed. A page of
// offers from many campaigns is shown in one go: the number of statements does not grow with the
// campaigns on the page, and each customer keeps the variant it was first shown.
import sharp from 'sharp';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { variantFor } from '../../db/stats/ab-test.js';
import { createCommunity, inDays, joinCommunity, postOffer } from '../factories.js';
import { createTestPlatform } from '../fixtures.js';
import { createCast, ok, type Cast } from '../story.js';

const p = await createTestPlatform();
let cast: Cast;

const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

const FEED = `query($c: ID!) { community(id: $c) { offers(first: 20) { edges { node {
  id title campaignPresentation { id label title description poster { id thumbnailUrl url width height } } } } } } }`;

/** A poster the organizer uploads (a small PNG): its media ID. */
async function uploadPoster(): Promise<string> {
  const image = await sharp({ create: { width: 60, height: 90, channels: 3, background: '#c8102e' } }).png().toBuffer();
  const res = await request(p.app).post('/media').set('authorization', `Bearer ${cast.curtain.accessToken}`).set('content-type', 'image/png').send(image);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.id as string;
}

interface Campaign {
  campaignId: string;
  offerId: string;
  /** Local variant ids in label order, and each one's title. */
  variantIds: string[];
  titleOf: Map<string, string>;
  /** The posters of the variants, for the first campaign of a community only. */
  posters: string[];
  unit: 'COMMUNITY' | 'CUSTOMER';
}

/** A published campaign of the curtain shop in one community, with one offer and variants A and B; split by customer or by community. */
async function campaignWithVariants(communityId: string, n: number, unit: Campaign['unit']): Promise<Campaign> {
  const offerId = await postOffer(p, cast.curtain, [communityId], { category: 'curtains', title: `窗帘优惠 ${n}` });
  const { createCampaign } = await ok(
    p,
    `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
    { i: { allianceId: cast.allianceId, title: `新房焕新季 ${n}`, description: '窗帘联合优惠', startsAt: inDays(-1), endsAt: inDays(20), budget: 100_000, expectedResponses: 10, communityIds: [communityId] } },
    cast.curtain.accessToken,
  );
  const campaignId = createCampaign.id as string;
  await ok(p, `mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: campaignId, o: offerId }, cast.curtain.accessToken);
  await ok(p, `mutation($i: SetCampaignVariantUnitInput!) { setCampaignVariantUnit(input: $i) { variantUnit } }`, { i: { campaignId, unit } }, cast.curtain.accessToken);
  let variants: { id: string; title: string }[] = [];
  const posters = n === 0 ? [await uploadPoster(), await uploadPoster()] : [];
  for (const [i, title] of [`免费测量 ${n}`, `遮光八折 ${n}`].entries()) {
    const added = await ok(
      p,
      `mutation($i: AddCampaignVariantInput!) { addCampaignVariant(input: $i) { variants { id title } } }`,
      { i: { campaignId, title, description: '新房业主专享', posterMediaId: posters[i] } },
      cast.curtain.accessToken,
    );
    variants = added.addCampaignVariant.variants;
  }
  await ok(p, `mutation($c: ID!) { publishCampaign(campaignId: $c) { status } }`, { c: campaignId }, cast.curtain.accessToken);
  return { campaignId, offerId, variantIds: variants.map((v) => localId(v.id)), titleOf: new Map(variants.map((v) => [localId(v.id), v.title])), posters, unit };
}

/** A community of its own (so its feed holds only these campaigns' offers) with `n` campaigns, split both ways. */
async function communityWithCampaigns(n: number) {
  const communityId = await createCommunity(p, cast.sofa, cast.allianceId, { postLimitPerDay: 50 });
  await joinCommunity(p, cast.curtain, communityId);
  const campaigns: Campaign[] = [];
  for (let i = 0; i < n; i++) campaigns.push(await campaignWithVariants(communityId, i, i % 2 ? 'COMMUNITY' : 'CUSTOMER'));
  for (const token of [cast.customerToken, cast.otherCustomerToken]) await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: communityId }, token);
  return { communityId, campaigns };
}

/** The feed page as `token` reads it, and the statements it took. */
async function readFeed(communityId: string, token: string) {
  p.statements.length = 0;
  const { community } = await ok(p, FEED, { c: communityId }, token);
  const statements = [...p.statements];
  return { offers: community.offers.edges.map((e: any) => e.node), statements: statements.length, touchedVariants: statements.some((s) => s.includes('campaign_variant')), sql: statements };
}

/** The title a customer must be shown: the variant the campaign's split picks for its account (or community). */
function expectedTitle(c: Campaign, accountId: string, communityId: string) {
  return c.titleOf.get(variantFor(localId(c.campaignId), c.unit === 'CUSTOMER' ? accountId : localId(communityId), c.variantIds));
}

const assignments = () =>
  p.sql<{ campaignId: string; accountId: string; variantId: string; assignedAt: string }>(
    `select campaign_id as "campaignId", account_id as "accountId", variant_id as "variantId", assigned_at as "assignedAt" from campaign_variant_assignments order by campaign_id, account_id`,
  );

let two: Awaited<ReturnType<typeof communityWithCampaigns>>;
let six: Awaited<ReturnType<typeof communityWithCampaigns>>;
let customerAccountId: string;

beforeAll(async () => {
  cast = await createCast(p);
  two = await communityWithCampaigns(2);
  six = await communityWithCampaigns(6);
  customerAccountId = localId((await ok(p, `{ viewer { id } }`, {}, cast.customerToken)).viewer.id);
}, 120_000);

describe("a customer's feed page shows each campaign offer's variant", () => {
  it('in as many statements for six campaigns as for two, on the first read (which records them) and on every later one', async () => {
    const first = [await readFeed(two.communityId, cast.customerToken), await readFeed(six.communityId, cast.customerToken)];
    expect(first.map((f) => f.offers.length)).toEqual([2, 6]);
    expect(first[1]!.statements).toBe(first[0]!.statements);

    // Every offer card shows the variant its campaign's split picks, and that is what was recorded.
    for (const [{ offers }, { communityId, campaigns }] of [[first[0]!, two], [first[1]!, six]] as const) {
      for (const c of campaigns) {
        const card = offers.find((o: any) => o.id === c.offerId);
        expect(card.campaignPresentation.title).toBe(expectedTitle(c, customerAccountId, communityId));
        expect(card.campaignPresentation.description).toBe('新房业主专享');
        // The first campaign's variants have posters of their own: the card shows the shown variant's.
        const poster = card.campaignPresentation.poster;
        if (c.posters.length === 0) expect(poster).toBeNull();
        else {
          expect(poster.id).toBe(c.posters[c.variantIds.indexOf(localId(card.campaignPresentation.id))]);
          expect(poster).toMatchObject({ width: 60, height: 90, thumbnailUrl: expect.stringMatching(/^\/media\//), url: expect.stringMatching(/^\/media\//) });
        }
      }
    }
    const recorded = await assignments();
    expect(recorded.filter((a) => a.accountId === customerAccountId)).toHaveLength(8);

    const later = [await readFeed(two.communityId, cast.customerToken), await readFeed(six.communityId, cast.customerToken)];
    expect(later[1]!.statements).toBe(later[0]!.statements);
    // A later read writes nothing and takes fewer statements than the first.
    expect(later[0]!.statements).toBeLessThan(first[0]!.statements);
    expect(later.map((l) => l.offers)).toEqual(first.map((f) => f.offers));
    expect(await assignments()).toEqual(recorded);
  });

  it('keeps the variant first shown across reads, whichever page shows the offer first', async () => {
    const other = cast.otherCustomerToken;
    const otherAccountId = localId((await ok(p, `{ viewer { id } }`, {}, other)).viewer.id);
    // One offer on its own first, then the whole page.
    const c = six.campaigns[3]!;
    const alone = await ok(p, `query($o: ID!) { offer(id: $o) { campaignPresentation { label title } } }`, { o: c.offerId }, other);
    expect(alone.offer.campaignPresentation.title).toBe(expectedTitle(c, otherAccountId, six.communityId));
    const page = await readFeed(six.communityId, other);
    expect(page.offers.find((o: any) => o.id === c.offerId).campaignPresentation.title).toBe(alone.offer.campaignPresentation.title);
    const again = await readFeed(six.communityId, other);
    expect(again.offers).toEqual(page.offers);
    expect((await assignments()).filter((a) => a.accountId === otherAccountId)).toHaveLength(6);
  });

  it('shows merchants no variant, reads none for them and records nothing', async () => {
    const before = await assignments();
    for (const merchant of [cast.curtain, cast.sofa]) {
      const feed = await readFeed(six.communityId, merchant.accessToken);
      expect(feed.offers).toHaveLength(6);
      expect(feed.offers.every((o: any) => o.campaignPresentation === null)).toBe(true);
      expect(feed.touchedVariants).toBe(false);
    }
    expect(await assignments()).toEqual(before);
  });
});

import { describe, expect, it } from 'vitest';
import {
  addAllianceMember,
  allianceWithCommunity,
  createCommunity,
  inDays,
  joinCommunity,
  offerInput,
  postOffer,
  signUpMerchant,
} from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();

const POST = `mutation($input: PostOfferInput!) { postOffer(input: $input) { id title status communities { id } } }`;
const FEED = `query($c: ID!, $first: Int, $after: String, $category: String) {
  community(id: $c) { offers(first: $first, after: $after, category: $category) {
    edges { cursor node { id title category } } pageInfo { hasNextPage endCursor } } } }`;
const OFFER = `query($id: ID!) { offer(id: $id) { id title status } }`;

const feed = async (token: string, communityId: string, vars: Record<string, unknown> = {}) => {
  const r = await p.gql(FEED, { c: communityId, ...vars }, token);
  expect(r.errors).toBeUndefined();
  return r.data.community.offers;
};

describe('who may read and post into a community', () => {
  it('an alliance member outside the community sees it but gets FORBIDDEN on its feed and cannot post', async () => {
    const owner = await signUpMerchant(p);
    const bystander = await signUpMerchant(p);
    const { allianceId, communityId } = await allianceWithCommunity(p, owner);
    await addAllianceMember(p, owner, allianceId, bystander);
    await postOffer(p, owner, [communityId]);

    const r = await p.gql(`query($c: ID!) { community(id: $c) { name viewerIsMember offers { edges { node { id } } } } }`, { c: communityId }, bystander.accessToken);
    expect(codeOf(r)).toBe('FORBIDDEN');
    expect(r.body.errors[0].path).toEqual(['community', 'offers']);
    const bare = await p.gql(`query($c: ID!) { community(id: $c) { viewerIsMember merchantCount } }`, { c: communityId }, bystander.accessToken);
    expect(bare.data.community).toEqual({ viewerIsMember: false, merchantCount: 1 });
    expect(codeOf(await p.gql(POST, { input: offerInput([communityId]) }, bystander.accessToken))).toBe('NOT_FOUND');

    await joinCommunity(p, bystander, communityId);
    expect((await feed(bystander.accessToken, communityId)).edges).toHaveLength(1);
  });

  it('a merchant outside the alliance cannot tell the community exists', async () => {
    const owner = await signUpMerchant(p);
    const outsider = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner);
    const offerId = await postOffer(p, owner, [communityId]);
    const r = await p.gql(`query($c: ID!, $o: ID!) { community(id: $c) { id } offer(id: $o) { id } node(id: $c) { id } }`, { c: communityId, o: offerId }, outsider.accessToken);
    expect(r.data?.community ?? null).toBeNull();
    expect(r.data?.offer ?? null).toBeNull();
    expect(r.data?.node ?? null).toBeNull();
    expect(codeOf(await p.gql(POST, { input: offerInput([communityId]) }, outsider.accessToken))).toBe('NOT_FOUND');
    expect(codeOf(await p.gql(`mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: communityId }, outsider.accessToken))).toBe('NOT_FOUND');
  });

  it('leaving a community closes its feed again', async () => {
    const owner = await signUpMerchant(p);
    const member = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner, [member]);
    const left = await p.gql(`mutation($c: ID!) { leaveCommunity(communityId: $c) { viewerIsMember merchantCount } }`, { c: communityId }, member.accessToken);
    expect(left.data.leaveCommunity).toEqual({ viewerIsMember: false, merchantCount: 1 });
    expect(codeOf(await p.gql(FEED, { c: communityId }, member.accessToken))).toBe('FORBIDDEN');
  });
});

describe('the community feed', () => {
  it('lists newest first and pages through 3 pages with no duplicates or gaps', async () => {
    const owner = await signUpMerchant(p);
    const partner = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner, [partner], { postLimitPerDay: 50 });
    const posted: string[] = [];
    for (let i = 0; i < 8; i++) posted.push(await postOffer(p, i % 2 ? partner : owner, [communityId], { title: `第${i}条` }));

    const seen: string[] = [];
    let after: string | null = null;
    const pages: number[] = [];
    do {
      const page: any = await feed(owner.accessToken, communityId, { first: 3, after });
      pages.push(page.edges.length);
      seen.push(...page.edges.map((e: any) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(pages).toEqual([3, 3, 2]);
    expect(seen).toEqual([...posted].reverse());
  });

  it('filters by category', async () => {
    const owner = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner);
    const lamp = await postOffer(p, owner, [communityId], { category: 'lighting' });
    await postOffer(p, owner, [communityId], { category: 'sofa' });
    const page = await feed(owner.accessToken, communityId, { category: 'lighting' });
    expect(page.edges.map((e: any) => e.node.id)).toEqual([lamp]);
  });

  it('pages by 20 when the client does not say', async () => {
    const owner = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner, [], { postLimitPerDay: 30 });
    for (let i = 0; i < 21; i++) await postOffer(p, owner, [communityId]);
    expect((await feed(owner.accessToken, communityId)).edges).toHaveLength(20);
  });

  it('an expired offer reads EXPIRED and leaves the feed; a withdrawn one leaves it too', async () => {
    const owner = await signUpMerchant(p);
    const member = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner, [member]);
    const old = await postOffer(p, owner, [communityId], { startsAt: inDays(-10), endsAt: inDays(-1) });
    const live = await postOffer(p, owner, [communityId]);
    expect((await p.gql(OFFER, { id: old }, owner.accessToken)).data.offer.status).toBe('EXPIRED');
    expect((await feed(member.accessToken, communityId)).edges.map((e: any) => e.node.id)).toEqual([live]);

    const withdrawn = await p.gql(`mutation($o: ID!) { withdrawOffer(offerId: $o) { status } }`, { o: live }, owner.accessToken);
    expect(withdrawn.data.withdrawOffer.status).toBe('WITHDRAWN');
    expect((await feed(member.accessToken, communityId)).edges).toEqual([]);
    // Gone from the feed is gone for the community's members, not for the merchant itself.
    expect((await p.gql(OFFER, { id: live }, member.accessToken)).data.offer).toBeNull();
    expect((await p.gql(OFFER, { id: live }, owner.accessToken)).data.offer.status).toBe('WITHDRAWN');
  });

  it("one statement count serves a 50-offer page with each offer's merchant and communities, whatever the page size", async () => {
    const owner = await signUpMerchant(p);
    const partner = await signUpMerchant(p);
    const { allianceId, communityId } = await allianceWithCommunity(p, owner, [partner], { postLimitPerDay: 60 });
    const second = await createCommunity(p, owner, allianceId, { postLimitPerDay: 60 });
    await joinCommunity(p, owner, second);
    await joinCommunity(p, partner, second);
    for (let i = 0; i < 50; i++) await postOffer(p, i % 2 ? partner : owner, [communityId, second]);

    const RICH = `query($c: ID!, $first: Int) { community(id: $c) { name offers(first: $first) { edges { node {
      id title status merchant { id name } communities { id name } } } } } }`;
    const count = async (first: number) => {
      p.statements.length = 0;
      const r = await p.gql(RICH, { c: communityId, first }, owner.accessToken);
      expect(r.errors).toBeUndefined();
      expect(r.data.community.offers.edges).toHaveLength(first);
      expect(r.data.community.offers.edges[0].node.communities).toHaveLength(2);
      return p.statements.length;
    };
    const small = await count(5);
    const large = await count(50);
    expect(large).toBe(small);
    // The viewer, its memberships (3 small lookups), the community, its page of placements, and
    // the page's offers and their placements by id.
    expect(large).toBeLessThanOrEqual(8);
  });
});

describe('posting rules', () => {
  it('posts into several joined communities at once', async () => {
    const owner = await signUpMerchant(p);
    const { allianceId, communityId } = await allianceWithCommunity(p, owner);
    const second = await createCommunity(p, owner, allianceId);
    await joinCommunity(p, owner, second);
    const r = await p.gql(POST, { input: offerInput([communityId, second], { title: '灯具满减' }) }, owner.accessToken);
    expect(r.errors).toBeUndefined();
    expect(r.data.postOffer).toMatchObject({ title: '灯具满减', status: 'PUBLISHED' });
    expect(r.data.postOffer.communities.map((c: any) => c.id).sort()).toEqual([communityId, second].sort());
  });

  it('a merchant may post 5 offers a day into one community, then gets RATE_LIMITED with retryAfter', async () => {
    const owner = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner);
    for (let i = 0; i < 5; i++) await postOffer(p, owner, [communityId]);
    const offerCount = async () => (await p.sql<{ n: number }>('select count(*) as n from offers'))[0]!.n;
    const before = await offerCount();
    const r = await p.gql(POST, { input: offerInput([communityId]) }, owner.accessToken);
    expect(codeOf(r)).toBe('RATE_LIMITED');
    const retryAfter = r.errors![0]!.extensions!.retryAfter as number;
    expect(retryAfter).toBeGreaterThan(86_000);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(await offerCount()).toBe(before);
  });

  it('the limit is per community and configurable', async () => {
    const owner = await signUpMerchant(p);
    const { allianceId, communityId } = await allianceWithCommunity(p, owner, [], { postLimitPerDay: 1 });
    const other = await createCommunity(p, owner, allianceId);
    await joinCommunity(p, owner, other);
    await postOffer(p, owner, [communityId]);
    expect(codeOf(await p.gql(POST, { input: offerInput([communityId]) }, owner.accessToken))).toBe('RATE_LIMITED');
    expect((await p.gql(POST, { input: offerInput([other]) }, owner.accessToken)).errors).toBeUndefined();
  });

  const invalid: [string, (c: string) => Record<string, unknown>, string][] = [
    ['an empty title', (c) => offerInput([c], { title: '  ' }), 'title'],
    ['a title over 120 characters', (c) => offerInput([c], { title: '沙'.repeat(121) }), 'title'],
    ['a body over 4000 characters', (c) => offerInput([c], { body: '字'.repeat(4001) }), 'body'],
    ['an end before the start', (c) => offerInput([c], { startsAt: inDays(2), endsAt: inDays(1) }), 'endsAt'],
    ['no community', () => offerInput([]), 'communityIds'],
    ['more than 20 communities', (c) => offerInput(Array.from({ length: 21 }, () => c)), 'communityIds'],
  ];
  for (const [label, input, field] of invalid) {
    it(`refuses ${label} with BAD_USER_INPUT naming ${field}`, async () => {
      const owner = await signUpMerchant(p);
      const { communityId } = await allianceWithCommunity(p, owner);
      const r = await p.gql(POST, { input: input(communityId) }, owner.accessToken);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.extensions!.field).toBe(field);
    });
  }

  it('a title of exactly 120 Chinese characters is accepted', async () => {
    const owner = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner);
    expect((await p.gql(POST, { input: offerInput([communityId], { title: '沙'.repeat(120) }) }, owner.accessToken)).errors).toBeUndefined();
  });
});

describe('editing offers', () => {
  const UPDATE = `mutation($input: UpdateOfferInput!) { updateOffer(input: $input) { title endsAt status } }`;

  it('the offering merchant edits its offer; others cannot', async () => {
    const owner = await signUpMerchant(p);
    const partner = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner, [partner]);
    const offerId = await postOffer(p, owner, [communityId]);
    const r = await p.gql(UPDATE, { input: { offerId, title: '改价：七五折' } }, owner.accessToken);
    expect(r.data.updateOffer).toMatchObject({ title: '改价：七五折', status: 'PUBLISHED' });
    expect(codeOf(await p.gql(UPDATE, { input: { offerId, title: '抢过来' } }, partner.accessToken))).toBe('FORBIDDEN');
  });

  it('an edit may not end the offer before it starts', async () => {
    const owner = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner);
    const offerId = await postOffer(p, owner, [communityId], { startsAt: inDays(1), endsAt: inDays(5) });
    const r = await p.gql(UPDATE, { input: { offerId, endsAt: inDays(0) } }, owner.accessToken);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.extensions!.field).toBe('endsAt');
  });
});

describe('Merchant.offers', () => {
  it("shows a merchant everything of its own, and a fellow member only what its feeds show", async () => {
    const owner = await signUpMerchant(p);
    const partner = await signUpMerchant(p);
    const member = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner, [partner, member]);
    const live = await postOffer(p, partner, [communityId]);
    const gone = await postOffer(p, partner, [communityId]);
    await p.gql(`mutation($o: ID!) { withdrawOffer(offerId: $o) { id } }`, { o: gone }, partner.accessToken);
    const Q = `query($m: ID!) { node(id: $m) { ... on Merchant { offers { edges { node { id } } } } } }`;
    const own = await p.gql(Q, { m: partner.merchantId }, partner.accessToken);
    expect(own.data.node.offers.edges.map((e: any) => e.node.id)).toEqual([gone, live]);
    const other = await p.gql(Q, { m: partner.merchantId }, member.accessToken);
    expect(other.data.node.offers.edges.map((e: any) => e.node.id)).toEqual([live]);
  });
});

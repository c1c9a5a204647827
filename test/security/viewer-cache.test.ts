// A signed-in viewer and its memberships are remembered between requests, and every change to
// them (sign-out, staff removal, suspension, leaving a community) is seen on the very next
// request, on this process and, through Redis, on the others.
import { describe, expect, it } from 'vitest';
import { allianceWithCommunity, offerInput, postOffer, signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform, type TestPlatform } from '../fixtures.js';
import { testRedisPrefix, testRedisUrl } from '../services.js';
import { ok } from '../story.js';

const p = await createTestPlatform();
const VIEWER = `{ viewer { id displayName merchant { name } } }`;
/** The statements that look up who the viewer is and what it belongs to. */
const viewerLookups = (statements: string[]) =>
  statements.filter((s) => /from "accounts" inner join "sessions"|from "alliance_members"|from "community_members"|from "campaign_participants"/.test(s));

async function statementsOf(platform: TestPlatform, token: string) {
  platform.statements.length = 0;
  await ok(platform, VIEWER, {}, token);
  return [...platform.statements];
}

describe('the remembered viewer', () => {
  it('a second request of the same session looks up neither the session nor the memberships', async () => {
    const shop = await signUpMerchant(p);
    expect(viewerLookups(await statementsOf(p, shop.accessToken)).length).toBeGreaterThan(0);
    expect(viewerLookups(await statementsOf(p, shop.accessToken))).toEqual([]);
  });

  it('signing out ends the session on the next request, though it was remembered', async () => {
    const shop = await signUpMerchant(p);
    await statementsOf(p, shop.accessToken);
    await ok(p, `mutation($r: String!) { signOut(refreshToken: $r) }`, { r: shop.refreshToken }, shop.accessToken);
    expect(codeOf(await p.gql(VIEWER, {}, shop.accessToken))).toBe('UNAUTHENTICATED');
  });

  it('a removed staff member is refused on the next request', async () => {
    const owner = await signUpMerchant(p);
    const input = { email: `cache-staff-${Date.now()}@example.cn`, password: 'staff password 1', displayName: '店员', canViewContacts: true };
    const staffId = (await ok(p, `mutation($input: AddStaffInput!) { addStaff(input: $input) { id } }`, { input }, owner.accessToken)).addStaff.id;
    const signIn = await ok(p, `mutation($input: SignInInput!) { signIn(input: $input) { accessToken } }`, { input: { login: input.email, password: input.password } });
    const staffToken = signIn.signIn.accessToken as string;
    expect((await ok(p, VIEWER, {}, staffToken)).viewer.merchant).not.toBeNull();
    await ok(p, `mutation($id: ID!) { removeStaff(accountId: $id) }`, { id: staffId }, owner.accessToken);
    expect(codeOf(await p.gql(VIEWER, {}, staffToken))).toBe('UNAUTHENTICATED');
  });

  it('a suspended merchant cannot post on its next request, though its memberships were remembered', async () => {
    const owner = await signUpMerchant(p);
    const member = await signUpMerchant(p);
    const { allianceId, communityId } = await allianceWithCommunity(p, owner, [member]);
    await postOffer(p, member, [communityId]);
    await statementsOf(p, member.accessToken);
    await ok(p, `mutation($a: ID!, $m: ID!) { suspendMerchant(allianceId: $a, merchantId: $m, reason: "违规发广告", suspend: true) { status } }`, { a: allianceId, m: member.merchantId }, owner.accessToken);
    const post = await p.gql(`mutation($input: PostOfferInput!) { postOffer(input: $input) { id } }`, { input: offerInput([communityId]) }, member.accessToken);
    expect(codeOf(post)).toBe('FORBIDDEN');
  });

  it('a merchant that left a community stops reading its feed on the next request', async () => {
    const owner = await signUpMerchant(p);
    const member = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, owner, [member]);
    const FEED = `query($c: ID!) { community(id: $c) { offers(first: 5) { edges { node { id } } } } }`;
    expect((await ok(p, FEED, { c: communityId }, member.accessToken)).community).not.toBeNull();
    await ok(p, `mutation($c: ID!) { leaveCommunity(communityId: $c) { id } }`, { c: communityId }, member.accessToken);
    const after = await p.gql(FEED, { c: communityId }, member.accessToken);
    expect(after.data?.community ?? null).toBeNull();
  });
});

describe('several processes through Redis', () => {
  it('a sign-out on one instance ends the session on another that remembered it', async () => {
    const redis = { REDIS_URL: testRedisUrl, REDIS_KEY_PREFIX: testRedisPrefix('viewer-cache') };
    const a = await createTestPlatform(redis);
    const b = await createTestPlatform({ ...redis, ...a.databaseEnv });
    const shop = await signUpMerchant(a);
    await statementsOf(b, shop.accessToken);
    expect(viewerLookups(await statementsOf(b, shop.accessToken))).toEqual([]);
    await ok(a, `mutation($r: String!) { signOut(refreshToken: $r) }`, { r: shop.refreshToken }, shop.accessToken);
    expect(codeOf(await b.gql(VIEWER, {}, shop.accessToken))).toBe('UNAUTHENTICATED');
  });
});

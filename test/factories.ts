// Test data created through the public API.
import type { TestPlatform } from './fixtures.js';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export const SESSION_FIELDS = 'accessToken refreshToken accessTokenExpiresAt viewer { id displayName roles merchant { id name } }';

export interface MerchantSession {
  accessToken: string;
  refreshToken: string;
  email: string;
  password: string;
  merchantId: string;
  accountId: string;
}

export async function signUpMerchant(p: TestPlatform, overrides: Partial<Record<string, string>> = {}): Promise<MerchantSession> {
  const input = {
    email: `owner-${unique()}@example.cn`,
    password: 'correct horse battery',
    displayName: '张三',
    merchantName: '温州好沙发',
    category: 'sofa',
    city: '温州',
    ...overrides,
  };
  const sent = await p.gql(`mutation($e: String!) { sendSignUpCode(email: $e) { resendAfter } }`, { e: input.email });
  if (sent.errors) throw new Error(`sendSignUpCode failed: ${JSON.stringify(sent.errors)}`);
  const emailCode = p.lastCode(input.email.toLowerCase());
  const r = await p.gql(`mutation($input: SignUpMerchantInput!) { signUpMerchant(input: $input) { ${SESSION_FIELDS} } }`, { input: { ...input, emailCode } });
  if (r.errors) throw new Error(`signUpMerchant failed: ${JSON.stringify(r.errors)}`);
  const s = r.data.signUpMerchant;
  return {
    accessToken: s.accessToken,
    refreshToken: s.refreshToken,
    email: input.email,
    password: input.password,
    merchantId: s.viewer.merchant.id,
    accountId: s.viewer.id,
  };
}

export async function addStaff(p: TestPlatform, owner: MerchantSession, canViewContacts: boolean) {
  const input = { email: `staff-${unique()}@example.cn`, password: 'staff password 1', displayName: '店员', canViewContacts };
  const r = await p.gql(`mutation($input: AddStaffInput!) { addStaff(input: $input) { id } }`, { input }, owner.accessToken);
  if (r.errors) throw new Error(`addStaff failed: ${JSON.stringify(r.errors)}`);
  const signIn = await p.gql(`mutation($input: SignInInput!) { signIn(input: $input) { ${SESSION_FIELDS} } }`, {
    input: { login: input.email, password: input.password },
  });
  return { ...input, accessToken: signIn.data.signIn.accessToken as string };
}

// ---------------------------------------------------------------- alliances, communities, offers

/** An ISO timestamp `days` from now (negative for the past). */
export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

async function must<T = any>(p: TestPlatform, what: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const r = await p.gql(query, variables, token);
  if (r.errors) throw new Error(`${what} failed: ${JSON.stringify(r.errors)}`);
  return r.data;
}

export async function createAlliance(p: TestPlatform, owner: MerchantSession, overrides: Record<string, string> = {}): Promise<string> {
  const input = { name: `温州家居联盟${unique()}`, city: '温州', description: '沙发、窗帘、灯饰商家互相推荐。', ...overrides };
  const data = await must(p, 'createAlliance', `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`, { input }, owner.accessToken);
  return data.createAlliance.id;
}

export async function applyToAlliance(p: TestPlatform, merchant: MerchantSession, allianceId: string) {
  await must(p, 'applyToAlliance', `mutation($a: ID!) { applyToAlliance(allianceId: $a, message: "想加入") { status } }`, { a: allianceId }, merchant.accessToken);
}

/** The merchant applies and an admin approves it. */
export async function addAllianceMember(p: TestPlatform, admin: MerchantSession, allianceId: string, merchant: MerchantSession) {
  await applyToAlliance(p, merchant, allianceId);
  await must(
    p,
    'decideMembership',
    `mutation($a: ID!, $m: ID!) { decideMembership(allianceId: $a, merchantId: $m, approve: true, reason: "欢迎") { status } }`,
    { a: allianceId, m: merchant.merchantId },
    admin.accessToken,
  );
}

export async function createCommunity(p: TestPlatform, admin: MerchantSession, allianceId: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const input = { allianceId, name: `新房装修群${unique()}`, description: '新交房小区业主', rules: '只发家居优惠，不发广告。', ...overrides };
  const data = await must(p, 'createCommunity', `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }`, { input }, admin.accessToken);
  return data.createCommunity.id;
}

export async function joinCommunity(p: TestPlatform, merchant: MerchantSession, communityId: string) {
  await must(p, 'joinCommunity', `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: communityId }, merchant.accessToken);
}

export const offerInput = (communityIds: string[], overrides: Record<string, unknown> = {}) => ({
  title: `沙发限时八折${unique()}`,
  body: '到店出示本群消息即可享受。',
  category: 'sofa',
  startsAt: inDays(-1),
  endsAt: inDays(30),
  communityIds,
  ...overrides,
});

export async function postOffer(p: TestPlatform, merchant: MerchantSession, communityIds: string[], overrides: Record<string, unknown> = {}): Promise<string> {
  const data = await must(p, 'postOffer', `mutation($input: PostOfferInput!) { postOffer(input: $input) { id } }`, { input: offerInput(communityIds, overrides) }, merchant.accessToken);
  return data.postOffer.id;
}

/** An alliance owned by `owner` with the other merchants approved, one community all of them joined. */
export async function allianceWithCommunity(p: TestPlatform, owner: MerchantSession, members: MerchantSession[] = [], communityOverrides: Record<string, unknown> = {}) {
  const allianceId = await createAlliance(p, owner);
  for (const m of members) await addAllianceMember(p, owner, allianceId, m);
  const communityId = await createCommunity(p, owner, allianceId, communityOverrides);
  for (const m of [owner, ...members]) await joinCommunity(p, m, communityId);
  return { allianceId, communityId };
}

// ---------------------------------------------------------------- campaigns

/** A draft campaign organised by `organizer` into `communityIds`, each partner invited and accepted. */
export async function createCampaign(p: TestPlatform, organizer: MerchantSession, allianceId: string, communityIds: string[], partners: MerchantSession[] = []): Promise<string> {
  const input = { allianceId, title: '新房季联合优惠', description: '沙发、窗帘一起买更优惠。', startsAt: inDays(0), endsAt: inDays(30), budget: 500_000, expectedResponses: 40, communityIds };
  const data = await must(p, 'createCampaign', `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`, { input }, organizer.accessToken);
  const campaignId: string = data.createCampaign.id;
  for (const partner of partners) {
    await must(p, 'inviteToCampaign', `mutation($c: ID!, $m: [ID!]!) { inviteToCampaign(campaignId: $c, merchantIds: $m) { id } }`, { c: campaignId, m: [partner.merchantId] }, organizer.accessToken);
    await must(p, 'respondToCampaignInvite', `mutation($c: ID!) { respondToCampaignInvite(campaignId: $c, accept: true) { id } }`, { c: campaignId }, partner.accessToken);
  }
  return campaignId;
}

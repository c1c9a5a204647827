// The referral story's cast, created through the public API: an alliance of three shops, a
// community, an offer by the curtain shop, and a customer of the sofa shop who is interested in it.
import { addStaff, signUpMerchant, type MerchantSession } from './factories.js';
import type { TestPlatform } from './fixtures.js';

export interface Cast {
  /** The originating merchant: holds the customer's identity. */
  sofa: MerchantSession;
  /** The requester: its offer drew the customer's interest. */
  curtain: MerchantSession;
  /** An alliance member with no part in this referral. */
  light: MerchantSession;
  sofaStaffWithContacts: { accessToken: string };
  sofaStaffWithoutContacts: { accessToken: string };
  allianceId: string;
  communityId: string;
  offerId: string;
  customerId: string;
  customerToken: string;
  customerPhone: string;
  interestId: string;
  /** Another customer of the sofa shop, in the same community. */
  otherCustomerToken: string;
}

async function ok<T = any>(p: TestPlatform, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const r = await p.gql(query, variables, token);
  if (r.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(r.errors)}`);
  return r.data as T;
}

let phoneSeq = 0;
export const nextPhone = () => `+86139${String(10_000_000 + ((Date.now() % 1_000_000) * 10 + phoneSeq++) % 90_000_000).padStart(8, '0')}`;

export async function addCustomer(p: TestPlatform, shop: MerchantSession, over: Record<string, unknown> = {}) {
  const phone = nextPhone();
  const input = { name: '赵雅琴', phone, address: '温州市鹿城区五马街 18 号', wechat: 'zhao_yaqin', consentSource: 'IN_STORE', consentGiven: true, ...over };
  const d = await ok(p, `mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id inviteCode } }`, { i: input }, shop.accessToken);
  return { id: d.addCustomer.id as string, inviteCode: d.addCustomer.inviteCode as string, phone: input.phone as string };
}

/** The customer asks for a code to the phone on their record (the test reads it off the gateway). */
export async function sendClaimCode(p: TestPlatform, inviteCode: string) {
  const before = p.sent.length;
  await ok(p, `mutation($i: SendPhoneCodeInput!) { sendPhoneCode(input: $i) { expiresAt resendAfter } }`, { i: { purpose: 'CLAIM_INVITE', inviteCode } });
  const message = p.sent.slice(before).find((m) => m.kind === 'CODE' && m.purpose === 'CLAIM_INVITE');
  if (!message || message.kind !== 'CODE') throw new Error('no SMS code was sent for this invite');
  return { phone: message.to, code: message.code };
}

/** The customer claims the record with the invite and the SMS code from their phone. */
export async function claim(p: TestPlatform, code: string, password = 'customer password') {
  const sms = await sendClaimCode(p, code);
  const d = await ok(p, `mutation($i: ClaimCustomerInviteInput!) { claimCustomerInvite(input: $i) { accessToken } }`, { i: { code, password, phoneCode: sms.code } });
  return d.claimCustomerInvite.accessToken as string;
}

export async function createCast(p: TestPlatform): Promise<Cast> {
  const sofa = await signUpMerchant(p, { merchantName: '舒适沙发馆', category: 'sofa' });
  const curtain = await signUpMerchant(p, { merchantName: '雅居窗帘', category: 'curtains' });
  const light = await signUpMerchant(p, { merchantName: '明亮灯饰', category: 'lighting' });
  const { createAlliance } = await ok(p, `mutation { createAlliance(input: { name: "鹿城家居联盟", city: "温州", description: "装修一条龙" }) { id } }`, {}, sofa.accessToken);
  const allianceId = createAlliance.id as string;
  for (const m of [curtain, light]) {
    await ok(p, `mutation($a: ID!) { applyToAlliance(allianceId: $a) { status } }`, { a: allianceId }, m.accessToken);
    await ok(p, `mutation($a: ID!, $m: ID!) { decideMembership(allianceId: $a, merchantId: $m, approve: true) { status } }`, { a: allianceId, m: m.merchantId }, sofa.accessToken);
  }
  const { createCommunity } = await ok(
    p,
    `mutation($a: ID!) { createCommunity(input: { allianceId: $a, name: "新房装修群", description: "业主交流", rules: "不发广告" }) { id } }`,
    { a: allianceId },
    sofa.accessToken,
  );
  const communityId = createCommunity.id as string;
  for (const m of [sofa, curtain, light]) await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: communityId }, m.accessToken);
  await ok(p, `mutation { publishPrivacyNotice(text: "雅居窗帘仅将您的联系方式用于上门测量，保留期满即删除。") { version } }`, {}, curtain.accessToken);
  const now = Date.now();
  const { postOffer } = await ok(
    p,
    `mutation($i: PostOfferInput!) { postOffer(input: $i) { id } }`,
    {
      i: {
        title: '新房窗帘八折',
        body: '免费上门测量',
        category: 'curtains',
        startsAt: new Date(now - 3_600_000).toISOString(),
        endsAt: new Date(now + 30 * 86_400_000).toISOString(),
        communityIds: [communityId],
      },
    },
    curtain.accessToken,
  );
  const customer = await addCustomer(p, sofa);
  const customerToken = await claim(p, customer.inviteCode);
  await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: communityId }, customerToken);
  const other = await addCustomer(p, sofa, { name: '钱先生' });
  const otherCustomerToken = await claim(p, other.inviteCode);
  await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: communityId }, otherCustomerToken);
  const { expressInterest } = await ok(p, `mutation($o: ID!) { expressInterest(offerId: $o, note: "想看样品") { id } }`, { o: postOffer.id }, customerToken);
  return {
    sofa,
    curtain,
    light,
    sofaStaffWithContacts: await addStaff(p, sofa, true),
    sofaStaffWithoutContacts: await addStaff(p, sofa, false),
    allianceId,
    communityId,
    offerId: postOffer.id,
    customerId: customer.id,
    customerToken,
    customerPhone: customer.phone,
    interestId: expressInterest.id,
    otherCustomerToken,
  };
}

/** The curtain shop's joint campaign in the cast's community, with its offer, published. */
export async function publishCurtainCampaign(p: TestPlatform, cast: Cast): Promise<string> {
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
  await ok(p, `mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: createCampaign.id, o: cast.offerId }, cast.curtain.accessToken);
  await ok(p, `mutation($c: ID!) { publishCampaign(campaignId: $c) { status } }`, { c: createCampaign.id }, cast.curtain.accessToken);
  return createCampaign.id as string;
}

export { ok };

// The consented handoff: consent checks and caps before a request, the customer's answer,
// withdrawal, expiry, concurrency, conversions, and consent versions.
import { beforeAll, describe, expect, it } from 'vitest';
import { expirePendingReferrals } from '../../db/commands/referrals.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, sendClaimCode, type Cast } from '../story.js';

const p = await createTestPlatform();
let cast: Cast;
beforeAll(async () => {
  cast = await createCast(p);
}, 60_000);

const REQUEST = `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id status } }`;
const PROPOSE = `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id status requester { name } origin { name } } }`;
const RESPOND = `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { id status grantedFields } }`;
const CONSENT = `mutation($i: UpdateConsentInput!) { updateConsent(input: $i) { version allowReferrals maxRequestsPerWeek maxRequestsPerMonth blockedMerchants { name } } }`;
const ask = { purpose: '介绍灯具搭配方案', fields: ['PHONE'], retentionDays: 14 };
const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

/** A fresh customer of the sofa shop, with an account, for tests that count requests. */
async function freshCustomer() {
  const c = await addCustomer(p, cast.sofa, { name: '周先生' });
  return { ...c, token: await claim(p, c.inviteCode) };
}
const propose = (customerId: string, to: { merchantId: string }, extra: Record<string, unknown> = {}) =>
  p.gql(PROPOSE, { i: { customerId, toMerchantId: to.merchantId, ...ask, ...extra } }, cast.sofa.accessToken);

describe('adding customers', () => {
  const ADD = `mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id phone } }`;
  it('phones are normalised to E.164; Chinese mobiles are accepted with or without +86', async () => {
    const r = await p.gql(ADD, { i: { name: '吴女士', phone: '138 0013 8001', consentSource: 'IN_STORE', consentGiven: true } }, cast.sofa.accessToken);
    expect(r.data.addCustomer.phone).toBe('+8613800138001');
    const dup = await p.gql(ADD, { i: { name: '吴女士', phone: '+86 138-0013-8001', consentSource: 'ONLINE', consentGiven: true } }, cast.sofa.accessToken);
    expect(codeOf(dup)).toBe('CONFLICT');
  });

  it('the same person may be a customer of two merchants', async () => {
    const r = await p.gql(ADD, { i: { name: '吴女士', phone: '13800138001', consentSource: 'PHONE', consentGiven: true } }, cast.light.accessToken);
    expect(r.errors).toBeUndefined();
  });

  it('a customer list with invite codes costs the same statements for 1 row as for many', async () => {
    const LIST = `query($n: Int) { viewer { merchant { customers(first: $n) { edges { node { pseudonym inviteCode inviteUrl } } } } } }`;
    const count = async (n: number) => {
      // The viewer is remembered once its first request has loaded it: count the list's own statements.
      await ok(p, LIST, { n }, cast.light.accessToken);
      p.statements.length = 0;
      const d = await ok(p, LIST, { n }, cast.light.accessToken);
      expect(d.viewer.merchant.customers.edges.length).toBe(n);
      return p.statements.length;
    };
    for (let i = 0; i < 4; i++) await addCustomer(p, cast.light, { name: `清单客户${i}` });
    expect(await count(5)).toBe(await count(1));
  });

  it('without the customer\'s agreement nothing is stored', async () => {
    const r = await p.gql(ADD, { i: { name: '郑先生', phone: '13800138002', consentSource: 'IN_STORE', consentGiven: false } }, cast.sofa.accessToken);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.extensions!.field).toBe('consentGiven');
  });

  it('an invalid phone is BAD_USER_INPUT naming the field', async () => {
    const r = await p.gql(ADD, { i: { name: '郑先生', phone: '12345', consentSource: 'IN_STORE', consentGiven: true } }, cast.sofa.accessToken);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.extensions!.field).toBe('phone');
  });

  it('a customer claims an invite once, signs in with their phone, and a second merchant\'s invite links to the same account', async () => {
    const phone = '+8613700137000';
    const atSofa = await addCustomer(p, cast.sofa, { phone });
    const atLight = await addCustomer(p, cast.light, { phone });
    await claim(p, atSofa.inviteCode, 'my own password');
    // A used invite is refused like a wrong code: the answer does not tell which.
    expect(codeOf(await p.gql(`mutation($i: ClaimCustomerInviteInput!) { claimCustomerInvite(input: $i) { accessToken } }`, { i: { code: atSofa.inviteCode, password: 'my own password', phoneCode: '123456' } }))).toBe('UNAUTHENTICATED');
    // The second shop's invite needs the existing account's password, the phone's code notwithstanding.
    const sms = await sendClaimCode(p, atLight.inviteCode);
    const wrong = await p.gql(`mutation($i: ClaimCustomerInviteInput!) { claimCustomerInvite(input: $i) { accessToken } }`, { i: { code: atLight.inviteCode, password: 'someone else pw', phoneCode: sms.code } });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    expect(wrong.errors![0]!.extensions!.field).toBe('password');
    const right = await ok(p, `mutation($i: ClaimCustomerInviteInput!) { claimCustomerInvite(input: $i) { accessToken } }`, { i: { code: atLight.inviteCode, password: 'my own password', phoneCode: sms.code } });
    const token = right.claimCustomerInvite.accessToken as string;
    const me = await ok(p, `{ viewer { roles customer { merchants { name } } } }`, {}, token);
    expect(me.viewer.roles).toEqual(['CUSTOMER']);
    expect(me.viewer.customer.merchants.map((m: { name: string }) => m.name).sort()).toEqual(['明亮灯饰', '舒适沙发馆'].sort());
    const signIn = await ok(p, `mutation { signIn(input: { login: "13700137000", password: "my own password" }) { viewer { roles } } }`, {});
    expect(signIn.signIn.viewer.roles).toEqual(['CUSTOMER']);
  });
});

describe('consent before contact', () => {
  it('a customer who turned referrals off cannot be asked (CONSENT_REFUSED), and versions accumulate', async () => {
    const c = await freshCustomer();
    await ok(p, CONSENT, { i: { allowReferrals: false, reason: '最近不需要' } }, c.token);
    expect(codeOf(await propose(c.id, cast.light))).toBe('CONSENT_REFUSED');
    await ok(p, CONSENT, { i: { allowReferrals: true } }, c.token);
    const d = await ok(p, `{ viewer { customer { consent { version allowReferrals } consentHistory(first: 10) { edges { node { version changedBy reason settings { allowReferrals } } } } } } }`, {}, c.token);
    const history = d.viewer.customer.consentHistory.edges.map((e: any) => e.node);
    expect(d.viewer.customer.consent).toEqual({ version: 3, allowReferrals: true });
    expect(history.map((h: any) => h.version)).toEqual([3, 2, 1]);
    expect(history[1]).toMatchObject({ changedBy: 'CUSTOMER', reason: '最近不需要', settings: { allowReferrals: false } });
    // The first version was recorded by the shop when it added the customer.
    expect(history[2].changedBy).toBe('舒适沙发馆');
  });

  it('a blocked merchant cannot ask', async () => {
    const c = await freshCustomer();
    await ok(p, CONSENT, { i: { blockMerchantIds: [cast.light.merchantId] } }, c.token);
    expect(codeOf(await propose(c.id, cast.light))).toBe('CONSENT_REFUSED');
    expect((await propose(c.id, cast.curtain)).errors).toBeUndefined();
  });

  it('blocking a merchant declines what it has pending; other requests stay pending', async () => {
    const c = await freshCustomer();
    const fromLight = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
    const fromCurtain = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.sofa.accessToken);
    await ok(p, CONSENT, { i: { blockMerchantIds: [cast.light.merchantId], reason: '不需要灯具' } }, c.token);
    const status = async (id: string) => (await ok(p, `query($id: ID!) { referralRequest(id: $id) { status } }`, { id }, c.token)).referralRequest.status;
    expect(await status(fromLight.proposeReferral.id)).toBe('DECLINED');
    expect(await status(fromCurtain.proposeReferral.id)).toBe('PENDING');
  });

  it('a category the customer did not allow is refused', async () => {
    const c = await freshCustomer();
    await ok(p, CONSENT, { i: { categories: ['lighting'] } }, c.token);
    expect(codeOf(await propose(c.id, cast.curtain, { offerId: cast.offerId }))).toBe('CONSENT_REFUSED');
  });

  it('the weekly cap counts every requester: the third request in a week is refused like any consent refusal, with no hint of when to retry', async () => {
    const c = await freshCustomer();
    expect((await propose(c.id, cast.light)).errors).toBeUndefined();
    expect((await propose(c.id, cast.curtain)).errors).toBeUndefined();
    const third = await propose(c.id, cast.light);
    expect(codeOf(third)).toBe('CONSENT_REFUSED');
    expect(third.errors![0]!.extensions).not.toHaveProperty('retryAfter');
  });

  it('one requester may ask the same customer at most twice in 90 days, whatever the customer\'s caps', async () => {
    const c = await freshCustomer();
    await ok(p, CONSENT, { i: { maxRequestsPerWeek: 7, maxRequestsPerMonth: 30 } }, c.token);
    expect((await propose(c.id, cast.light)).errors).toBeUndefined();
    expect((await propose(c.id, cast.light)).errors).toBeUndefined();
    expect(codeOf(await propose(c.id, cast.light))).toBe('CONSENT_REFUSED');
  });

  it('caps are validated: 0-7 a week, 0-30 a month', async () => {
    const c = await freshCustomer();
    const r = await p.gql(CONSENT, { i: { maxRequestsPerWeek: 8 } }, c.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.extensions!.field).toBe('maxRequestsPerWeek');
  });

  it('declining with "block" blocks the requester from asking again', async () => {
    const c = await freshCustomer();
    const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
    const d = await ok(p, RESPOND, { i: { referralId: proposeReferral.id, accept: false, blockRequester: true } }, c.token);
    expect(d.respondToReferral.status).toBe('DECLINED');
    expect(codeOf(await propose(c.id, cast.light))).toBe('CONSENT_REFUSED');
    const consent = await ok(p, `{ viewer { customer { consent { blockedMerchants { name } } } } }`, {}, c.token);
    expect(consent.viewer.customer.consent.blockedMerchants).toEqual([{ name: '明亮灯饰' }]);
  });

  it('only the originating merchant may propose its customer', async () => {
    const c = await freshCustomer();
    const r = await p.gql(PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.curtain.accessToken);
    expect(codeOf(r)).toBe('NOT_FOUND');
  });
});

describe('answering, withdrawing and expiry', () => {
  it('accepting fields that were not requested is BAD_USER_INPUT and changes nothing', async () => {
    const c = await freshCustomer();
    const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
    const r = await p.gql(RESPOND, { i: { referralId: proposeReferral.id, accept: true, fields: ['NAME'] } }, c.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    const after = await ok(p, `query($id: ID!) { referralRequest(id: $id) { status } }`, { id: proposeReferral.id }, c.token);
    expect(after.referralRequest.status).toBe('PENDING');
  });

  it('two concurrent answers to one request produce exactly one outcome; the loser gets CONFLICT', async () => {
    const c = await freshCustomer();
    const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
    const id = proposeReferral.id;
    const [a, b] = await Promise.all([
      p.gql(RESPOND, { i: { referralId: id, accept: true } }, c.token),
      p.gql(RESPOND, { i: { referralId: id, accept: false } }, c.token),
    ]);
    const outcomes = [a, b].map((r) => (r.errors ? codeOf(r) : r.data.respondToReferral.status)).sort();
    expect(outcomes.filter((o) => o === 'CONFLICT')).toHaveLength(1);
    const [grants] = await p.sql<{ n: number }>('select count(*) as n from contact_grants where referral_id = ?', localId(id));
    expect(grants!.n).toBe(outcomes.includes('ACCEPTED') ? 1 : 0);
  });

  it('the requester withdraws a pending request; a third merchant cannot', async () => {
    const c = await freshCustomer();
    const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
    const WITHDRAW = `mutation($id: ID!) { withdrawReferral(referralId: $id) { status } }`;
    expect(codeOf(await p.gql(WITHDRAW, { id: proposeReferral.id }, cast.curtain.accessToken))).toBe('NOT_FOUND');
    const d = await ok(p, WITHDRAW, { id: proposeReferral.id }, cast.sofa.accessToken);
    expect(d.withdrawReferral.status).toBe('WITHDRAWN');
    expect(codeOf(await p.gql(RESPOND, { i: { referralId: proposeReferral.id, accept: true } }, c.token))).toBe('CONFLICT');
  });

  it('a pending request past its expiry reads EXPIRED, cannot be answered, and the sweep makes it so', async () => {
    const c = await freshCustomer();
    const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
    await p.sql('update referral_requests set expires_at = ? where id = ?', new Date(Date.now() - 1000).toISOString(), localId(proposeReferral.id));
    const read = await ok(p, `query($id: ID!) { referralRequest(id: $id) { status } }`, { id: proposeReferral.id }, c.token);
    expect(read.referralRequest.status).toBe('EXPIRED');
    expect(codeOf(await p.gql(RESPOND, { i: { referralId: proposeReferral.id, accept: true } }, c.token))).toBe('CONFLICT');
    const stored = async () => (await p.sql<{ status: string }>('select status from referral_requests where id = ?', localId(proposeReferral.id)))[0]!.status;
    expect(await stored()).toBe('EXPIRED');
    expect(await expirePendingReferrals(p.deps.db)).toBeGreaterThanOrEqual(0);
  });

  it('the sweep expires every pending request past its time and nothing else', async () => {
    const c = await freshCustomer();
    const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
    await p.sql('update referral_requests set expires_at = ? where id = ?', new Date(Date.now() - 1000).toISOString(), localId(proposeReferral.id));
    expect(await expirePendingReferrals(p.deps.db)).toBe(1);
    expect(await expirePendingReferrals(p.deps.db)).toBe(0);
  });

  it('the requester records a sale on an accepted referral; amounts are positive fen', async () => {
    const c = await freshCustomer();
    const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
    const CONVERT = `mutation($id: ID!, $a: Int!) { recordConversion(referralId: $id, amount: $a) { status } }`;
    expect(codeOf(await p.gql(CONVERT, { id: proposeReferral.id, a: 120_000 }, cast.light.accessToken))).toBe('CONFLICT');
    await ok(p, RESPOND, { i: { referralId: proposeReferral.id, accept: true } }, c.token);
    expect(codeOf(await p.gql(CONVERT, { id: proposeReferral.id, a: 0 }, cast.light.accessToken))).toBe('BAD_USER_INPUT');
    expect(codeOf(await p.gql(CONVERT, { id: proposeReferral.id, a: 120_000 }, cast.sofa.accessToken))).toBe('FORBIDDEN');
    expect((await p.gql(CONVERT, { id: proposeReferral.id, a: 120_000 }, cast.light.accessToken)).errors).toBeUndefined();
  });

  it('a request from an interest can be made once', async () => {
    const r = await p.gql(REQUEST, { i: { interestId: cast.interestId, ...ask } }, cast.curtain.accessToken);
    expect(r.errors).toBeUndefined();
    expect(codeOf(await p.gql(REQUEST, { i: { interestId: cast.interestId, ...ask } }, cast.curtain.accessToken))).toBe('CONFLICT');
  });

  it('only the offering merchant can request from an interest', async () => {
    const r = await p.gql(REQUEST, { i: { interestId: cast.interestId, ...ask } }, cast.light.accessToken);
    expect(codeOf(r)).toBe('NOT_FOUND');
  });
});

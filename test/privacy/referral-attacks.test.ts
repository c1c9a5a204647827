// Merchants probing past the consent rules: replaying an old answer after the customer revoked,
// reading grants while suspended, asking one person through several shops' records, and learning
// from a refusal that others asked.
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createTestPlatform, type GqlResult } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, type Cast } from '../story.js';

const p = await createTestPlatform();
let cast: Cast;
beforeAll(async () => {
  cast = await createCast(p);
}, 60_000);

const PROPOSE = `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`;
const REQUEST = `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`;
const RESPOND = `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`;
const CONSENT = `mutation($i: UpdateConsentInput!) { updateConsent(input: $i) { version } }`;
const CONTACT = `query($id: ID!) { referralRequest(id: $id) { contact { phone } } }`;
const SUSPEND = `mutation($a: ID!, $m: ID!, $s: Boolean!) { suspendMerchant(allianceId: $a, merchantId: $m, suspend: $s, reason: "违规群发广告") { status } }`;
const ask = { purpose: '介绍窗帘搭配方案', fields: ['PHONE'], retentionDays: 30 };

type Shop = Cast['sofa'];
const propose = (from: Shop, customerId: string, to: Shop) =>
  p.gql(PROPOSE, { i: { customerId, toMerchantId: to.merchantId, ...ask } }, from.accessToken);

/** A customer of `shop` with an account. */
async function customerOf(shop: Shop) {
  const c = await addCustomer(p, shop, { name: '周先生' });
  return { ...c, token: await claim(p, c.inviteCode) };
}

/** `from` introduces its customer to `to` and the customer shares their phone. */
async function acceptedReferral(from: Shop, to: Shop) {
  const c = await customerOf(from);
  const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: to.merchantId, ...ask } }, from.accessToken);
  await ok(p, RESPOND, { i: { referralId: proposeReferral.id, accept: true, fields: ['PHONE'] } }, c.token);
  return { customer: c, referralId: proposeReferral.id as string };
}

/** A customer of the sofa shop who showed interest in the curtain shop's offer. */
async function interestedCustomer() {
  const c = await customerOf(cast.sofa);
  await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: cast.communityId }, c.token);
  const { expressInterest } = await ok(p, `mutation($o: ID!) { expressInterest(offerId: $o) { id } }`, { o: cast.offerId }, c.token);
  return { ...c, interestId: expressInterest.id as string };
}

const grantReadsOf = async (token: string) => {
  const d = await ok(p, `{ viewer { customer { accessLog(first: 100) { edges { node { kind } } } } } }`, {}, token);
  return d.viewer.customer.accessLog.edges.filter((e: { node: { kind: string } }) => e.node.kind === 'GRANT').length;
};

describe('a requester replaying an old answer', () => {
  it('gets no contact back after the customer revoked, and the kept answer never held the phone', async () => {
    const { customer, referralId } = await acceptedReferral(cast.sofa, cast.curtain);
    const SALE = `mutation($id: ID!) { recordConversion(referralId: $id, amount: 560000) { status contact { phone } } }`;
    const send = () =>
      request(p.app)
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('authorization', `Bearer ${cast.curtain.accessToken}`)
        .set('idempotency-key', 'sale-after-measuring-0001')
        .send({ query: SALE, variables: { id: referralId } });
    const first = await send();
    expect(first.body.data.recordConversion).toEqual({ status: 'ACCEPTED', contact: { phone: customer.phone } });

    await ok(p, `mutation($r: ID!) { revokeGrant(referralId: $r) { status } }`, { r: referralId }, customer.token);
    // The repeat reads the referral again, as it is now.
    const replay = await send();
    expect(replay.body.errors).toBeUndefined();
    expect(replay.body.data.recordConversion).toEqual({ status: 'REVOKED', contact: null });
    expect(JSON.stringify(replay.body)).not.toContain(customer.phone.slice(3));

    const [kept] = await p.sql<{ account_id: string; key: string; response: string }>(`select account_id, key, response from idempotency_keys where key = 'sale-after-measuring-0001'`);
    const opened = p.deps.vault.openSecret(kept!.response, `idempotency:${kept!.account_id}:${kept!.key}`);
    expect(opened).toContain('recordConversion');
    expect(opened).not.toContain(customer.phone.slice(3));
  });
});

describe('a merchant suspended from the alliance', () => {
  // The cast stays whole for the other stories, whatever happened here.
  afterEach(async () => {
    for (const m of [cast.curtain, cast.light]) await p.gql(SUSPEND, { a: cast.allianceId, m: m.merchantId, s: false }, cast.sofa.accessToken);
  });

  it('reads no contact it was granted and cannot ask for more; reinstated, it reads again while the grant lasts', async () => {
    const { customer, referralId } = await acceptedReferral(cast.sofa, cast.curtain);
    const waiting = await interestedCustomer();
    expect((await ok(p, CONTACT, { id: referralId }, cast.curtain.accessToken)).referralRequest.contact).toEqual({ phone: customer.phone });
    const readsBefore = await grantReadsOf(customer.token);

    await ok(p, SUSPEND, { a: cast.allianceId, m: cast.curtain.merchantId, s: true }, cast.sofa.accessToken);
    expect((await ok(p, CONTACT, { id: referralId }, cast.curtain.accessToken)).referralRequest.contact).toBeNull();
    const sent = await ok(p, `{ viewer { merchant { referralsSent(first: 100) { edges { node { id contact { phone } } } } } } }`, {}, cast.curtain.accessToken);
    expect(sent.viewer.merchant.referralsSent.edges.find((e: { node: { id: string } }) => e.node.id === referralId).node.contact).toBeNull();
    expect(await grantReadsOf(customer.token)).toBe(readsBefore);
    expect(codeOf(await p.gql(REQUEST, { i: { interestId: waiting.interestId, ...ask } }, cast.curtain.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await propose(cast.sofa, (await customerOf(cast.sofa)).id, cast.curtain))).toBe('FORBIDDEN');

    await ok(p, SUSPEND, { a: cast.allianceId, m: cast.curtain.merchantId, s: false }, cast.sofa.accessToken);
    expect((await ok(p, CONTACT, { id: referralId }, cast.curtain.accessToken)).referralRequest.contact).toEqual({ phone: customer.phone });
    expect((await p.gql(REQUEST, { i: { interestId: waiting.interestId, ...ask } }, cast.curtain.accessToken)).errors).toBeUndefined();
  });

  it('when the originating merchant is suspended, the grants it introduced stop being readable too', async () => {
    const { referralId } = await acceptedReferral(cast.light, cast.curtain);
    await ok(p, SUSPEND, { a: cast.allianceId, m: cast.light.merchantId, s: true }, cast.sofa.accessToken);
    expect((await ok(p, CONTACT, { id: referralId }, cast.curtain.accessToken)).referralRequest.contact).toBeNull();
  });
});

const HELD = `{ viewer { customer { heldRecords { id merchant { name } } } } }`;
/** The customer says "yes, I am this shop's customer" for the record `shopName` holds with her phone. */
async function confirmAt(token: string, shopName: string) {
  const held = (await ok(p, HELD, {}, token)).viewer.customer.heldRecords.find((h: { merchant: { name: string } }) => h.merchant.name === shopName);
  await ok(p, `mutation($id: ID!) { confirmHeldRecord(id: $id) { confirmed } }`, { id: held.id }, token);
}
const statusOf = async (id: string, shop: Shop) => (await ok(p, `query($id: ID!) { referralRequest(id: $id) { status } }`, { id }, shop.accessToken)).referralRequest.status;

describe('frequency caps count the person, not the shop record', () => {
  /** Moves the delivery of these requests `days` into the past (the API cannot wait a week). */
  const deliveredDaysAgo = (ids: string[], days: number) =>
    Promise.all(
      ids.map((id) =>
        p.sql(`update referral_requests set delivered_at = ?, created_at = ? where id = ?`, new Date(Date.now() - days * 86_400_000).toISOString(), new Date(Date.now() - days * 86_400_000).toISOString(), Buffer.from(id, 'base64').toString().split(':')[1]),
      ),
    );

  it('her monthly cap counts what was delivered in 30 days, and one requester asks at most twice in 90', async () => {
    const c = await customerOf(cast.sofa);
    await ok(p, CONSENT, { i: { maxRequestsPerWeek: 2, maxRequestsPerMonth: 3 } }, c.token);
    const earlier = [await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.sofa.accessToken)];
    earlier.push(await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken));
    await deliveredDaysAgo(earlier.map((r) => r.proposeReferral.id), 10);
    // Two in the month, none this week: one more fits the month, then the month is full.
    expect((await propose(cast.sofa, c.id, cast.light)).errors).toBeUndefined();
    expect(codeOf(await propose(cast.sofa, c.id, cast.curtain))).toBe('CONSENT_REFUSED');

    const again = await customerOf(cast.sofa);
    await ok(p, CONSENT, { i: { maxRequestsPerWeek: 7, maxRequestsPerMonth: 30 } }, again.token);
    const twice = [
      await ok(p, PROPOSE, { i: { customerId: again.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.sofa.accessToken),
      await ok(p, PROPOSE, { i: { customerId: again.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.sofa.accessToken),
    ];
    await deliveredDaysAgo(twice.map((r) => r.proposeReferral.id), 60);
    expect(codeOf(await propose(cast.sofa, again.id, cast.curtain))).toBe('CONSENT_REFUSED');
    expect((await propose(cast.sofa, again.id, cast.light)).errors).toBeUndefined();
  });

  it('two shops whose records she confirmed cannot send more requests in a week than she allows', async () => {
    const atSofa = await addCustomer(p, cast.sofa);
    const token = await claim(p, atSofa.inviteCode);
    const atLight = await addCustomer(p, cast.light, { phone: atSofa.phone });
    await confirmAt(token, '明亮灯饰');
    const codes = [
      await propose(cast.sofa, atSofa.id, cast.curtain),
      await propose(cast.light, atLight.id, cast.curtain),
      await propose(cast.sofa, atSofa.id, cast.light),
      await propose(cast.light, atLight.id, cast.sofa),
    ].map((r) => codeOf(r) ?? 'SENT');
    expect(codes).toEqual(['SENT', 'SENT', 'CONSENT_REFUSED', 'CONSENT_REFUSED']);
  });

  it("a request held on a shop's record she never confirmed meets her weekly cap when she confirms it", async () => {
    const atSofa = await addCustomer(p, cast.sofa);
    const token = await claim(p, atSofa.inviteCode);
    await ok(p, CONSENT, { i: { maxRequestsPerWeek: 1 } }, token);
    const atLight = await addCustomer(p, cast.light, { phone: atSofa.phone });
    expect((await propose(cast.sofa, atSofa.id, cast.curtain)).errors).toBeUndefined();
    // Held, and answered like any other until she confirms the record.
    const held = await ok(p, PROPOSE, { i: { customerId: atLight.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.light.accessToken);
    expect(await statusOf(held.proposeReferral.id, cast.light)).toBe('PENDING');
    await confirmAt(token, '明亮灯饰');
    expect(await statusOf(held.proposeReferral.id, cast.light)).toBe('DECLINED');
  });
});

describe('blocking a merchant reaches every shop that holds the person', () => {
  it('a request pending at another record of hers is declined when she blocks the requester', async () => {
    const atSofa = await addCustomer(p, cast.sofa);
    const token = await claim(p, atSofa.inviteCode);
    const atLight = await addCustomer(p, cast.light, { phone: atSofa.phone });
    await confirmAt(token, '明亮灯饰');
    const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: atLight.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.light.accessToken);
    await ok(p, CONSENT, { i: { blockMerchantIds: [cast.curtain.merchantId], reason: '不想被打扰' } }, token);
    expect(await statusOf(proposeReferral.id, cast.curtain)).toBe('DECLINED');
  });

  it("a request held on a shop's record she never confirmed is declined when she confirms it, if she blocked the requester", async () => {
    const atSofa = await addCustomer(p, cast.sofa);
    const token = await claim(p, atSofa.inviteCode);
    const atLight = await addCustomer(p, cast.light, { phone: atSofa.phone });
    const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: atLight.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.light.accessToken);
    await ok(p, CONSENT, { i: { blockMerchantIds: [cast.curtain.merchantId], reason: '不想被打扰' } }, token);
    expect(await statusOf(proposeReferral.id, cast.curtain)).toBe('PENDING');
    await confirmAt(token, '明亮灯饰');
    expect(await statusOf(proposeReferral.id, cast.curtain)).toBe('DECLINED');
  });
});

describe('a refused request tells the requester nothing', () => {
  it('refusals for others asking this week read exactly like every other consent refusal', async () => {
    const refusals: GqlResult[] = [];
    const refuse = async (prepare: (c: Awaited<ReturnType<typeof interestedCustomer>>) => Promise<unknown>) => {
      const c = await interestedCustomer();
      await prepare(c);
      refusals.push(await p.gql(REQUEST, { i: { interestId: c.interestId, ...ask } }, cast.curtain.accessToken));
    };
    // Two other shops asked this week.
    await refuse(async (c) => {
      await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
      await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
    });
    // This requester already asked twice in 90 days.
    await refuse(async (c) => {
      await ok(p, CONSENT, { i: { maxRequestsPerWeek: 7, maxRequestsPerMonth: 30 } }, c.token);
      await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.sofa.accessToken);
      await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.sofa.accessToken);
    });
    await refuse((c) => ok(p, CONSENT, { i: { allowReferrals: false } }, c.token));
    await refuse((c) => ok(p, CONSENT, { i: { blockMerchantIds: [cast.curtain.merchantId] } }, c.token));
    await refuse((c) => ok(p, CONSENT, { i: { categories: ['lighting'] } }, c.token));
    await refuse((c) => ok(p, CONSENT, { i: { maxRequestsPerWeek: 0 } }, c.token));
    await refuse((c) => ok(p, `mutation { eraseMyData { id } }`, {}, c.token));

    const [first, ...rest] = refusals;
    expect(codeOf(first!)).toBe('CONSENT_REFUSED');
    expect(first!.errors![0]!.extensions).not.toHaveProperty('retryAfter');
    for (const r of rest) expect(r.errors).toEqual(first!.errors);
  });
});

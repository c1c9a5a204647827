// The authorization matrix: for every way to reach a contact field and every kind of viewer,
// exactly who sees which field. Each viewer runs every path; we then look for the customer's
// personal information anywhere in what came back (data, errors, messages).
import { encodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { createCast, ok, type Cast } from '../story.js';

const p = await createTestPlatform();
let cast: Cast;
let referralId: string;
const PII = { NAME: '赵雅琴', ADDRESS: '温州市鹿城区五马街 18 号', WECHAT: 'zhao_yaqin' } as const;
const seen = (body: string, phone: string) => ({
  NAME: body.includes(PII.NAME),
  PHONE: body.includes(phone) || body.includes(phone.slice(3)),
  ADDRESS: body.includes(PII.ADDRESS),
  WECHAT: body.includes(PII.WECHAT),
});
const NONE = { NAME: false, PHONE: false, ADDRESS: false, WECHAT: false };
const ALL = { NAME: true, PHONE: true, ADDRESS: true, WECHAT: true };

/** Every path to a contact field, run as one viewer; returns everything the server said. */
async function everyPath(token: string | undefined): Promise<string> {
  const contact = 'name phone address wechat';
  const queries: [string, Record<string, unknown>][] = [
    [`query($id: ID!) { customer(id: $id) { ${contact} pseudonym } }`, { id: cast.customerId }],
    [`query($id: ID!) { node(id: $id) { ... on Customer { ${contact} } } }`, { id: cast.customerId }],
    [`{ viewer { merchant { customers(first: 50) { edges { node { ${contact} } } } } } }`, {}],
    [`query($m: ID!) { node(id: $m) { ... on Merchant { customers(first: 50) { edges { node { ${contact} } } } } } }`, { m: cast.sofa.merchantId }],
    [`query($id: ID!) { referralRequest(id: $id) { status contact { ${contact} validUntil } customer { pseudonym } } }`, { id: referralId }],
    [`query($id: ID!) { node(id: $id) { ... on ReferralRequest { contact { ${contact} } } } }`, { id: referralId }],
    [`{ viewer { merchant { referralsSent(first: 50) { edges { node { contact { ${contact} } } } } referralsOfMyCustomers(first: 50) { edges { node { contact { ${contact} } } } } } } }`, {}],
    [`{ viewer { merchant { accessLog(first: 50) { edges { node { actor kind fields customer { pseudonym } } } } } } }`, {}],
    [`query($o: ID!) { offer(id: $o) { interests(first: 50) { edges { node { customer { pseudonym } originMerchant { name } note } } } } }`, { o: cast.offerId }],
    [`query($id: ID!) { node(id: $id) { ... on Interest { customer { pseudonym } } } }`, { id: cast.interestId }],
  ];
  const bodies = await Promise.all(queries.map(([q, v]) => p.gql(q, v, token).then((r) => JSON.stringify(r.body))));
  return bodies.join('\n');
}

const REQUEST = `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id status requestedFields requesterNoticeVersion } }`;

beforeAll(async () => {
  cast = await createCast(p);
  const d = await ok(
    p,
    REQUEST,
    { i: { interestId: cast.interestId, purpose: '上门测量窗帘尺寸', fields: ['NAME', 'PHONE', 'ADDRESS'], retentionDays: 30, message: '您好，我们可以免费上门测量' } },
    cast.curtain.accessToken,
  );
  referralId = d.requestReferral.id;
}, 60_000);

describe('before the customer answers', () => {
  const viewers: [string, () => string | undefined, typeof ALL][] = [
    ['the originating owner sees every field of their own customer', () => cast.sofa.accessToken, ALL],
    ['originating staff with contact permission see every field', () => cast.sofaStaffWithContacts.accessToken, ALL],
    ['originating staff without contact permission see nothing', () => cast.sofaStaffWithoutContacts.accessToken, NONE],
    ['the requester sees nothing before acceptance', () => cast.curtain.accessToken, NONE],
    ['a third merchant of the alliance sees nothing', () => cast.light.accessToken, NONE],
    ['another customer sees nothing', () => cast.otherCustomerToken, NONE],
    ['an anonymous caller sees nothing', () => undefined, NONE],
  ];
  for (const [story, token, expected] of viewers) {
    it(story, async () => {
      expect(seen(await everyPath(token()), cast.customerPhone)).toEqual(expected);
    });
  }

  it('the customer sees the request with the full disclosure: who, why, which fields, how long, and the notice', async () => {
    const d = await ok(
      p,
      `{ viewer { customer { referralRequests(first: 10) { edges { node { id status purpose requestedFields retentionDays message requester { name publicContact category } requesterNotice { version text } } } } } } }`,
      {},
      cast.customerToken,
    );
    const [edge] = d.viewer.customer.referralRequests.edges;
    expect(edge.node).toMatchObject({
      id: referralId,
      status: 'PENDING',
      purpose: '上门测量窗帘尺寸',
      requestedFields: ['NAME', 'PHONE', 'ADDRESS'],
      retentionDays: 30,
      requester: { name: '雅居窗帘', category: 'curtains' },
      requesterNotice: { version: 1 },
    });
  });

  it('the requester sees the interest only as a pseudonym with the origin merchant', async () => {
    const d = await ok(p, `query($o: ID!) { offer(id: $o) { interests(first: 5) { edges { node { customer { pseudonym } originMerchant { name } } } } } }`, { o: cast.offerId }, cast.curtain.accessToken);
    const node = d.offer.interests.edges[0].node;
    expect(node.originMerchant.name).toBe('舒适沙发馆');
    expect(node.customer.pseudonym).toMatch(/^顾客-[0-9A-Z]{6}$/);
  });

  it('pseudonyms differ per viewing merchant and are stable for one', async () => {
    const asRequester = await ok(p, `query($id: ID!) { referralRequest(id: $id) { customer { pseudonym } } }`, { id: referralId }, cast.curtain.accessToken);
    const asOrigin = await ok(p, `query($id: ID!) { referralRequest(id: $id) { customer { pseudonym } } }`, { id: referralId }, cast.sofa.accessToken);
    const again = await ok(p, `query($id: ID!) { referralRequest(id: $id) { customer { pseudonym } } }`, { id: referralId }, cast.curtain.accessToken);
    expect(asRequester.referralRequest.customer.pseudonym).not.toBe(asOrigin.referralRequest.customer.pseudonym);
    expect(again.referralRequest.customer.pseudonym).toBe(asRequester.referralRequest.customer.pseudonym);
  });

  it('a third merchant cannot even learn that the referral exists', async () => {
    const r = await p.gql(`query($id: ID!) { referralRequest(id: $id) { id } }`, { id: referralId }, cast.light.accessToken);
    expect(r.data.referralRequest).toBeNull();
  });
});

describe('after the customer accepts only the phone', () => {
  beforeAll(async () => {
    await ok(p, `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status grantedFields } }`, { i: { referralId, accept: true, fields: ['PHONE'] } }, cast.customerToken);
  });

  it('the requester sees the phone and not the name or address', async () => {
    expect(seen(await everyPath(cast.curtain.accessToken), cast.customerPhone)).toEqual({ ...NONE, PHONE: true });
    const d = await ok(p, `query($id: ID!) { referralRequest(id: $id) { status grantedFields contact { name phone address validUntil } } }`, { id: referralId }, cast.curtain.accessToken);
    expect(d.referralRequest).toMatchObject({ status: 'ACCEPTED', grantedFields: ['PHONE'], contact: { name: null, phone: cast.customerPhone, address: null } });
    const validUntil = Date.parse(d.referralRequest.contact.validUntil);
    expect(Math.round((validUntil - Date.now()) / 86_400_000)).toBe(30);
  });

  it('the origin sees the answer but not through the grant (its contact card is null)', async () => {
    const d = await ok(p, `query($id: ID!) { referralRequest(id: $id) { status contact { phone } } }`, { id: referralId }, cast.sofa.accessToken);
    expect(d.referralRequest).toEqual({ status: 'ACCEPTED', contact: null });
  });

  for (const [story, token] of [
    ['a third merchant still sees nothing', () => cast.light.accessToken],
    ['another customer still sees nothing', () => cast.otherCustomerToken],
    ['staff without contact permission still see nothing', () => cast.sofaStaffWithoutContacts.accessToken],
  ] as const) {
    it(story, async () => {
      expect(seen(await everyPath(token()), cast.customerPhone)).toEqual(NONE);
    });
  }

  it('every grant read is logged with kind GRANT and shown to the customer', async () => {
    await ok(p, `query($id: ID!) { referralRequest(id: $id) { contact { phone } } }`, { id: referralId }, cast.curtain.accessToken);
    const d = await ok(p, `{ viewer { customer { accessLog(first: 100) { edges { node { kind fields actor merchant { name } } } } } } }`, {}, cast.customerToken);
    const grantReads = d.viewer.customer.accessLog.edges.map((e: any) => e.node).filter((n: any) => n.kind === 'GRANT');
    expect(grantReads.length).toBeGreaterThan(0);
    expect(grantReads[0]).toMatchObject({ fields: ['PHONE'], merchant: { name: '雅居窗帘' } });
    const ownReads = d.viewer.customer.accessLog.edges.map((e: any) => e.node).filter((n: any) => n.kind === 'OWN_RECORD');
    expect(ownReads.length).toBeGreaterThan(0);
  });

  it('the customer lists the grant with the merchant, fields and dates', async () => {
    const d = await ok(p, `{ viewer { customer { grants { merchant { name } fields grantedAt validUntil revokedAt } } } }`, {}, cast.customerToken);
    expect(d.viewer.customer.grants).toMatchObject([{ merchant: { name: '雅居窗帘' }, fields: ['PHONE'], revokedAt: null }]);
  });

  it('answering again is a CONFLICT', async () => {
    const r = await p.gql(`mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`, { i: { referralId, accept: false } }, cast.customerToken);
    expect(codeOf(r)).toBe('CONFLICT');
  });
});

describe('when the grant ends', () => {
  it('after the grant expires the requester sees nothing', async () => {
    await p.sql('update contact_grants set valid_until = ? where referral_id = ?', new Date(Date.now() - 1000).toISOString(), Buffer.from(referralId, 'base64').toString().split(':')[1]);
    expect(seen(await everyPath(cast.curtain.accessToken), cast.customerPhone)).toEqual(NONE);
    await p.sql('update contact_grants set valid_until = ? where referral_id = ?', new Date(Date.now() + 86_400_000).toISOString(), Buffer.from(referralId, 'base64').toString().split(':')[1]);
    expect(seen(await everyPath(cast.curtain.accessToken), cast.customerPhone).PHONE).toBe(true);
  });

  it('after the customer revokes, the contact is null from then on', async () => {
    const d = await ok(p, `mutation($id: ID!) { revokeGrant(referralId: $id) { status contact { phone } } }`, { id: referralId }, cast.customerToken);
    expect(d.revokeGrant).toEqual({ status: 'REVOKED', contact: null });
    expect(seen(await everyPath(cast.curtain.accessToken), cast.customerPhone)).toEqual(NONE);
  });

  it('an alliance admin who is not the origin sees nothing either', async () => {
    await ok(p, `mutation($a: ID!, $m: ID!) { setAllianceRole(allianceId: $a, merchantId: $m, role: ADMIN) { role } }`, { a: cast.allianceId, m: cast.light.merchantId }, cast.sofa.accessToken);
    expect(seen(await everyPath(cast.light.accessToken), cast.customerPhone)).toEqual(NONE);
  });

  it('a made-up ID is NOT_FOUND or null, never a crash', async () => {
    const r = await p.gql(`query($id: ID!) { customer(id: $id) { name } }`, { id: encodeGlobalID('Customer', 'nope') }, cast.sofa.accessToken);
    expect(r.data.customer).toBeNull();
    const bad = await p.gql(`query($id: ID!) { customer(id: $id) { name } }`, { id: '%%%' }, cast.sofa.accessToken);
    expect(['NOT_FOUND', undefined]).toContain(codeOf(bad));
  });
});

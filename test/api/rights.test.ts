// A customer's rights: consent receipts that anyone can verify, export, correction and erasure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet, exportSPKI } from 'jose';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXPORTED_TABLES } from '../../db/commands/rights.js';
import * as tables from '../../db/tables/index.js';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { buildKeyRing, generateSigningKey } from '../../services/auth/keys.js';
import { signReceipt, verifyReceipt } from '../../services/receipts.js';
import { codeOf, createTestPlatform, onPostgres } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, type Cast } from '../story.js';

const p = await createTestPlatform();
let cast: Cast;
beforeAll(async () => {
  cast = await createCast(p);
}, 60_000);

const RESPOND = `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { id status consentReceipt } }`;
const PROPOSE = `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`;
const ask = { purpose: '灯具安装预约', fields: ['NAME', 'PHONE'], retentionDays: 60 };
const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

async function acceptedReferral(token: string, customerId: string) {
  const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
  const d = await ok(p, RESPOND, { i: { referralId: proposeReferral.id, accept: true, fields: ['PHONE'] } }, token);
  return d.respondToReferral as { id: string; consentReceipt: string };
}

/** On PostgreSQL, where there is no database file to read: how many rows of any table hold `value` anywhere. */
async function rowsHolding(value: string) {
  const tables = await p.sql<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`);
  let n = 0;
  for (const { name } of tables) n += (await p.sql<{ n: number }>(`select count(*) as n from "${name}" as r where strpos(r::text, ?) > 0`, value))[0]!.n;
  return n;
}

async function newCustomer(name = '冯女士') {
  const c = await addCustomer(p, cast.sofa, { name, address: '温州市瓯海区新桥街道 9 号', wechat: 'feng_9' });
  return { ...c, token: await claim(p, c.inviteCode) };
}

describe('consent receipts', () => {
  it('acceptance yields a JWS that verifies with the keys served at /.well-known/jwks.json and holds no contact details', async () => {
    const c = await newCustomer();
    const referral = await acceptedReferral(c.token, c.id);
    const jwks = (await request(p.app).get('/.well-known/jwks.json')).body;
    const { payload, protectedHeader } = await compactVerify(referral.consentReceipt, createLocalJWKSet(jwks));
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: p.deps.keys.current.kid });
    const receipt = JSON.parse(new TextDecoder().decode(payload));
    expect(receipt).toMatchObject({
      requester: { id: localId(cast.light.merchantId), name: '明亮灯饰' },
      origin: { id: localId(cast.sofa.merchantId), name: '舒适沙发馆' },
      purpose: '灯具安装预约',
      fields: ['PHONE'],
      noticeVersion: null,
    });
    expect(receipt.customer).toMatch(/^顾客-/);
    const text = new TextDecoder().decode(payload);
    expect(text).not.toContain(c.phone);
    expect(text).not.toContain('冯女士');
    // The requester sees the customer under the pseudonym the receipt names.
    const asRequester = await ok(p, `query($id: ID!) { referralRequest(id: $id) { customer { pseudonym } consentReceipt } }`, { id: referral.id }, cast.light.accessToken);
    expect(asRequester.referralRequest).toEqual({ customer: { pseudonym: receipt.customer }, consentReceipt: referral.consentReceipt });
  });

  it('a tampered receipt fails verification', async () => {
    const c = await newCustomer();
    const { consentReceipt } = await acceptedReferral(c.token, c.id);
    const [header, payload, signature] = consentReceipt.split('.');
    const forged = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    forged.fields = ['NAME', 'PHONE', 'ADDRESS'];
    const tampered = [header, Buffer.from(JSON.stringify(forged)).toString('base64url'), signature].join('.');
    await expect(verifyReceipt(p.deps, tampered)).rejects.toThrow();
    await expect(verifyReceipt(p.deps, consentReceipt)).resolves.toMatchObject({ fields: ['PHONE'] });
  });

  it('after a key rotation, receipts signed with the old key still verify (its public key stays in the JWKS)', async () => {
    const old = p.deps.keys;
    const receipt = await signReceipt(p.deps, {
      receiptId: 'r1', issuedAt: new Date().toISOString(), customer: '顾客-ABCDEF', requester: { id: 'a', name: 'A' },
      origin: { id: 'b', name: 'B' }, purpose: 'x', fields: ['PHONE'], validUntil: new Date().toISOString(), noticeVersion: 1,
    });
    const rotated = await buildKeyRing(await generateSigningKey(), [old.current.publicKey], old.piiKey);
    expect(rotated.jwks.keys.map((k) => k.kid)).toEqual([rotated.current.kid, old.current.kid]);
    await expect(verifyReceipt({ ...p.deps, keys: rotated }, receipt)).resolves.toMatchObject({ receiptId: 'r1' });
    await expect(compactVerify(receipt, createLocalJWKSet(rotated.jwks))).resolves.toBeTruthy();
    // A ring that dropped the old key refuses it.
    const forgetful = await buildKeyRing(rotated.current, [], old.piiKey);
    await expect(verifyReceipt({ ...p.deps, keys: forgetful }, receipt)).rejects.toThrow();
    expect(await exportSPKI(old.current.publicKey)).toContain('BEGIN PUBLIC KEY');
  });

  it('a declined request has no receipt, and the origin never sees one', async () => {
    const c = await newCustomer();
    const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
    const declined = await ok(p, RESPOND, { i: { referralId: proposeReferral.id, accept: false } }, c.token);
    expect(declined.respondToReferral.consentReceipt).toBeNull();
    const accepted = await acceptedReferral(c.token, c.id);
    const asOrigin = await ok(p, `query($id: ID!) { referralRequest(id: $id) { consentReceipt } }`, { id: accepted.id }, cast.sofa.accessToken);
    expect(asOrigin.referralRequest.consentReceipt).toBeNull();
  });
});

describe('export', () => {
  it('every table that holds something about a customer is in the export (add new ones to EXPORTED_TABLES)', () => {
    // Tables whose rows never concern one customer.
    const notAboutCustomers = [
      'merchants', 'merchant_staff', 'sessions', 'refresh_tokens', 'privacy_notices', 'alliances', 'alliance_members', 'communities',
      'offers', 'offer_placements', 'campaigns', 'campaign_participants', 'campaign_offers', 'campaign_communities', 'campaign_spend',
      'offer_reports', 'moderation_actions',
      // Posters uploaded by merchant staff, campaign links and variants, and share channels with their daily counts.
      'media', 'campaign_links', 'campaign_variants', 'share_channels', 'share_counts',
      // Harvesting alerts about shops and their staff: counts, never a customer.
      'merchant_alerts',
      // Mutation results kept 24 hours for retries, sealed with the PII key.
      'idempotency_keys',
      // Keyed hashes of one-time codes, gone ten minutes after they were sent.
      'verification_codes',
    ];
    const all = Object.values(tables)
      .filter((t) => typeof t === 'object' && t !== null && Symbol.for('drizzle:IsDrizzleTable') in t)
      .map((t) => getTableConfig(t as never).name);
    expect(all).toContain('customer_identities');
    const unaccounted = all.filter((name) => !(EXPORTED_TABLES as readonly string[]).includes(name) && !notAboutCustomers.includes(name));
    expect(unaccounted).toEqual([]);
  });

  it('one JSON document with identity, consent, requests, grants, interests, communities and the access log; the export is logged as SELF', async () => {
    const d = await ok(p, `mutation { exportMyData }`, {}, cast.customerToken);
    const doc = JSON.parse(d.exportMyData);
    expect(doc.records[0].identity).toMatchObject({ NAME: '赵雅琴', PHONE: cast.customerPhone });
    expect(doc.records[0].merchant).toBe('舒适沙发馆');
    expect(doc.consentVersions.length).toBeGreaterThan(0);
    expect(doc.interests).toMatchObject([{ offer: '新房窗帘八折', note: '想看样品' }]);
    expect(doc.communities).toMatchObject([{ community: '新房装修群' }]);
    for (const key of ['referralRequests', 'grants', 'conversions', 'accessLog', 'invites']) expect(Array.isArray(doc[key])).toBe(true);
    const log = await ok(p, `{ viewer { customer { accessLog(first: 5) { edges { node { kind fields } } } } } }`, {}, cast.customerToken);
    expect(log.viewer.customer.accessLog.edges[0].node).toEqual({ kind: 'SELF', fields: ['NAME', 'PHONE', 'ADDRESS', 'WECHAT'] });
  });

  it('only customers export (a merchant gets FORBIDDEN)', async () => {
    expect(codeOf(await p.gql(`mutation { exportMyData }`, {}, cast.sofa.accessToken))).toBe('FORBIDDEN');
  });
});

describe('correction', () => {
  it('corrects the identity at every merchant that holds it, with the phone normalised', async () => {
    const phone = '+8613600136000';
    const atSofa = await addCustomer(p, cast.sofa, { phone, name: '旧名字' });
    const atLight = await addCustomer(p, cast.light, { phone, name: '旧名字' });
    const token = await claim(p, atSofa.inviteCode, 'correct me please');
    await claim(p, atLight.inviteCode, 'correct me please');
    await ok(p, `mutation { sendPhoneCode(input: { purpose: CHANGE_PHONE, phone: "136 0013 6001" }) { resendAfter } }`, {}, token);
    const phoneCode = p.lastCode('+8613600136001');
    await ok(p, `mutation($c: String!) { correctMyData(input: { name: "新名字", phone: "136 0013 6001", phoneCode: $c }) { displayName } }`, { c: phoneCode }, token);
    for (const [shop, id] of [[cast.sofa, atSofa.id], [cast.light, atLight.id]] as const) {
      const d = await ok(p, `query($id: ID!) { customer(id: $id) { name phone } }`, { id }, shop.accessToken);
      expect(d.customer).toEqual({ name: '新名字', phone: '+8613600136001' });
    }
  });

  it('a phone another account holds is a CONFLICT, even with a code sent to it', async () => {
    const c = await newCustomer('韩先生');
    await ok(p, `mutation($p: String!) { sendPhoneCode(input: { purpose: CHANGE_PHONE, phone: $p }) { resendAfter } }`, { p: cast.customerPhone }, c.token);
    const r = await p.gql(`mutation($p: String!, $c: String!) { correctMyData(input: { phone: $p, phoneCode: $c }) { id } }`, { p: cast.customerPhone, c: p.lastCode(cast.customerPhone) }, c.token);
    expect(codeOf(r)).toBe('CONFLICT');
  });
});

describe('erasure', () => {
  it('erasing at one merchant removes every trace of the values, revokes grants and declines pending requests; aggregates stay', async () => {
    const c = await newCustomer('蒋女士');
    const accepted = await acceptedReferral(c.token, c.id);
    const { proposeReferral: pending } = await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.sofa.accessToken);
    const countRequests = async () => (await p.sql<{ n: number }>('select count(*) as n from referral_requests'))[0]!.n;
    const before = await countRequests();
    const [sealedBefore] = await p.sql<{ s: string }>('select phone_sealed as s from customer_identities where customer_id = ?', localId(c.id));
    expect(sealedBefore!.s).toBeTruthy();
    if (onPostgres) expect(await rowsHolding(sealedBefore!.s)).toBeGreaterThan(0);

    const d = await ok(p, `mutation($m: ID) { eraseMyData(merchantId: $m) { merchants { name } } }`, { m: cast.sofa.merchantId }, c.token);
    expect(d.eraseMyData.merchants).toEqual([{ name: '舒适沙发馆' }]);

    const asOrigin = await ok(p, `query($id: ID!) { customer(id: $id) { name phone address wechat erased inviteCode } }`, { id: c.id }, cast.sofa.accessToken);
    expect(asOrigin.customer).toEqual({ name: null, phone: null, address: null, wechat: null, erased: true, inviteCode: null });
    const asRequester = await ok(p, `query($id: ID!) { referralRequest(id: $id) { status contact { phone } } }`, { id: accepted.id }, cast.light.accessToken);
    expect(asRequester.referralRequest).toEqual({ status: 'REVOKED', contact: null });
    const pendingNow = await ok(p, `query($id: ID!) { referralRequest(id: $id) { status } }`, { id: pending.id }, cast.sofa.accessToken);
    expect(pendingNow.referralRequest.status).toBe('DECLINED');
    expect(await countRequests()).toBe(before);

    if (onPostgres) {
      // No database file to read: no row of any table holds the phone or its ciphertext any more.
      expect(await rowsHolding(c.phone)).toBe(0);
      expect(await rowsHolding(sealedBefore!.s)).toBe(0);
    } else {
      await p.sql('pragma wal_checkpoint(TRUNCATE)');
      const raw = Buffer.concat(readdirSync(p.dir).filter((f) => f.startsWith('test.db')).map((f) => readFileSync(join(p.dir, f))));
      expect(raw.includes(Buffer.from(c.phone))).toBe(false);
      // Not even the ciphertext survives in freed pages or the WAL.
      expect(raw.includes(Buffer.from(sealedBefore!.s))).toBe(false);
    }
    const [identity] = await p.sql('select name_sealed, phone_sealed, address_sealed, wechat_sealed, phone_index from customer_identities where customer_id = ?', localId(c.id));
    expect(identity).toEqual({ name_sealed: null, phone_sealed: null, address_sealed: null, wechat_sealed: null, phone_index: null });
    // A new proposal for an erased customer is refused.
    expect(codeOf(await p.gql(PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken))).toBe('CONSENT_REFUSED');
  });

  it('erasing everywhere closes the account: its sessions end and sign-in fails', async () => {
    const c = await newCustomer('沈先生');
    await ok(p, `mutation { eraseMyData { id } }`, {}, c.token);
    expect(codeOf(await p.gql(`{ viewer { id } }`, {}, c.token))).toBe('UNAUTHENTICATED');
    const signIn = await p.gql(`mutation($l: String!) { signIn(input: { login: $l, password: "customer password" }) { accessToken } }`, { l: c.phone });
    expect(codeOf(signIn)).toBe('UNAUTHENTICATED');
  });
});

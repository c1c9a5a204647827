// The originating merchant records what its customers buy: the facts behind RFM segments, part of
// the customer's data export, and kept without identity when the customer erases their data.
import { beforeAll, describe, expect, it } from 'vitest';
import { addStaff, inDays, signUpMerchant, type MerchantSession } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, ok } from '../story.js';

const p = await createTestPlatform();
const RECORD = `mutation($c: ID!, $a: Int!, $at: DateTime) { recordPurchase(customerId: $c, amount: $a, at: $at) { id erased } }`;
const RFM = `query($m: ID!) { node(id: $m) { ... on Merchant { rfmSegments { segment customerCount avgMonetary } } } }`;
const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const purchasesOf = (customerId: string) =>
  p.sql<{ amount: number; at: string }>('select amount, at from purchases where customer_id = ? order by at', localId(customerId));

let sofa: MerchantSession;
let curtain: MerchantSession;
beforeAll(async () => {
  sofa = await signUpMerchant(p, { merchantName: '舒适沙发馆' });
  curtain = await signUpMerchant(p, { merchantName: '雅居窗帘', category: 'curtains' });
}, 60_000);

describe('recordPurchase', () => {
  it('records a sale for the shop\'s own customer, dated now unless a past date is given', async () => {
    const c = await addCustomer(p, sofa);
    const staff = await addStaff(p, sofa, false);
    const before = new Date().toISOString();
    const d = await ok(p, RECORD, { c: c.id, a: 358_000 }, staff.accessToken);
    expect(d.recordPurchase).toEqual({ id: c.id, erased: false });
    await ok(p, RECORD, { c: c.id, a: 1, at: '2026-01-05T10:00:00+08:00' }, sofa.accessToken);
    const [first, second] = await purchasesOf(c.id);
    expect(first).toEqual({ amount: 1, at: '2026-01-05T02:00:00.000Z' });
    expect(second!.amount).toBe(358_000);
    expect(second!.at >= before && second!.at <= new Date().toISOString()).toBe(true);
  });

  it.each([
    ['zero', 0],
    ['a negative amount', -500],
    ['more than 1,000,000 yuan', 100_000_001],
  ])('refuses %s with BAD_USER_INPUT on amount', async (_what, amount) => {
    const c = await addCustomer(p, sofa);
    const r = await p.gql(RECORD, { c: c.id, a: amount }, sofa.accessToken);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
    expect(await purchasesOf(c.id)).toEqual([]);
  });

  it('accepts the largest amount, 1,000,000 yuan', async () => {
    const c = await addCustomer(p, sofa);
    await ok(p, RECORD, { c: c.id, a: 100_000_000 }, sofa.accessToken);
    expect(await purchasesOf(c.id)).toMatchObject([{ amount: 100_000_000 }]);
  });

  it('refuses a date in the future', async () => {
    const c = await addCustomer(p, sofa);
    const r = await p.gql(RECORD, { c: c.id, a: 1000, at: inDays(1) }, sofa.accessToken);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'at' });
  });

  it("another shop's customer reads as NOT_FOUND; customers and anonymous callers cannot record", async () => {
    const c = await addCustomer(p, sofa);
    expect(codeOf(await p.gql(RECORD, { c: c.id, a: 1000 }, curtain.accessToken))).toBe('NOT_FOUND');
    const customerToken = await claim(p, c.inviteCode);
    expect(codeOf(await p.gql(RECORD, { c: c.id, a: 1000 }, customerToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(RECORD, { c: c.id, a: 1000 }))).toBe('UNAUTHENTICATED');
    expect(await purchasesOf(c.id)).toEqual([]);
  });

  it('the customer finds their purchases (shop, amount, date) in their export', async () => {
    const c = await addCustomer(p, sofa);
    await ok(p, RECORD, { c: c.id, a: 258_000, at: '2026-03-01T08:00:00Z' }, sofa.accessToken);
    const token = await claim(p, c.inviteCode);
    const doc = JSON.parse((await ok(p, `mutation { exportMyData }`, {}, token)).exportMyData);
    expect(doc.purchases).toEqual([{ merchant: '舒适沙发馆', amount: 258_000, at: '2026-03-01T08:00:00.000Z' }]);
  });

  it('after erasure the purchases stay as facts (RFM unchanged) and no new one can be recorded', async () => {
    const shop = await signUpMerchant(p, { merchantName: '新店' });
    const c = await addCustomer(p, shop);
    await ok(p, RECORD, { c: c.id, a: 66_000, at: inDays(-3) }, shop.accessToken);
    const before = (await ok(p, RFM, { m: shop.merchantId }, shop.accessToken)).node.rfmSegments;
    expect(before).toEqual([{ segment: expect.any(String), customerCount: 1, avgMonetary: 66_000 }]);
    const token = await claim(p, c.inviteCode);
    await ok(p, `mutation($m: ID) { eraseMyData(merchantId: $m) { id } }`, { m: shop.merchantId }, token);
    expect((await ok(p, RFM, { m: shop.merchantId }, shop.accessToken)).node.rfmSegments).toEqual(before);
    expect(codeOf(await p.gql(RECORD, { c: c.id, a: 1000 }, shop.accessToken))).toBe('CONFLICT');
  });
});

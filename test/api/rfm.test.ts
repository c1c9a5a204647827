// RFM segments: a merchant sees how its own customers buy, grouped by recency, frequency and
// monetary value, scored on a worked example whose segments are derived by hand below.
import { beforeAll, describe, expect, it } from 'vitest';
import { segmentOf } from '../../db/stats/rfm.js';
import { addStaff, signUpMerchant, type MerchantSession } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, ok } from '../story.js';

const p = await createTestPlatform();
const RECORD = `mutation($c: ID!, $a: Int!, $at: DateTime) { recordPurchase(customerId: $c, amount: $a, at: $at) { id } }`;
const RFM = `query($m: ID!) { node(id: $m) { ... on Merchant { rfmSegments { segment customerCount avgRecencyDays avgFrequency avgMonetary } } } }`;
/** `days` whole days and one hour ago, so "days since" reads exactly `days` for the rest of the test run. */
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000 - 3_600_000).toISOString();

/**
 * Ten customers of the sofa shop: [days ago, amount in fen] of each purchase. With n = 10 each
 * quintile band holds two ranks: band = 1 + floor((rank - 1) * 5 / 10), ranks ordered worst to best,
 * tied customers sharing the first rank of their tie.
 *
 *              last  F(365d)  M(365d)   R rank→R  F rank→F  M rank→M   segment
 * champion1      1     6     500 000     10 → 5    10 → 5    10 → 5    CHAMPIONS
 * champion2      3     5     400 000      8 → 4     9 → 5     9 → 5    CHAMPIONS
 * loyal         20     4      80 000      6 → 3     8 → 4     6 → 3    LOYAL      (R ≥ 3, F ≥ 4)
 * newcomer       2     1      12 000      9 → 5     2 → 1     3 → 2    NEW        (R ≥ 4, F = 1)
 * potential      6     2      60 000      7 → 4     5 → 3     5 → 3    POTENTIAL  (R ≥ 3, F ≥ 2)
 * other         40     1      15 000      5 → 3     2 → 1     4 → 2    OTHER      (R = 3 but F = 1)
 * atRisk1      150     3      90 000      4 → 2     6 → 3     7 → 4    AT_RISK    (R ≤ 2, F ≥ 3)
 * atRisk2      200     3     120 000      3 → 2     6 → 3     8 → 4    AT_RISK
 * lost1        300     1       8 000      2 → 1     2 → 1     2 → 1    LOST       (R ≤ 2, F ≤ 2)
 * lost2        500     0           0      1 → 1     1 → 1     1 → 1    LOST       (bought only > 365 days ago)
 */
const WORKED: Record<string, { purchases: [number, number][]; scores: [number, number, number]; segment: string }> = {
  champion1: { purchases: [[1, 100_000], [30, 80_000], [60, 80_000], [90, 80_000], [120, 80_000], [150, 80_000]], scores: [5, 5, 5], segment: 'CHAMPIONS' },
  champion2: { purchases: [[3, 80_000], [40, 80_000], [80, 80_000], [120, 80_000], [160, 80_000]], scores: [4, 5, 5], segment: 'CHAMPIONS' },
  loyal: { purchases: [[20, 20_000], [80, 20_000], [140, 20_000], [200, 20_000]], scores: [3, 4, 3], segment: 'LOYAL' },
  newcomer: { purchases: [[2, 12_000]], scores: [5, 1, 2], segment: 'NEW' },
  potential: { purchases: [[6, 30_000], [100, 30_000]], scores: [4, 3, 3], segment: 'POTENTIAL' },
  other: { purchases: [[40, 15_000]], scores: [3, 1, 2], segment: 'OTHER' },
  atRisk1: { purchases: [[150, 30_000], [250, 30_000], [350, 30_000]], scores: [2, 3, 4], segment: 'AT_RISK' },
  atRisk2: { purchases: [[200, 40_000], [280, 40_000], [340, 40_000]], scores: [2, 3, 4], segment: 'AT_RISK' },
  lost1: { purchases: [[300, 8_000]], scores: [1, 1, 1], segment: 'LOST' },
  lost2: { purchases: [[500, 50_000], [700, 20_000]], scores: [1, 1, 1], segment: 'LOST' },
};

/** The segments the table above adds up to, in the order the API lists them. */
const EXPECTED = [
  { segment: 'CHAMPIONS', customerCount: 2, avgRecencyDays: 2, avgFrequency: 5.5, avgMonetary: 450_000 },
  { segment: 'LOYAL', customerCount: 1, avgRecencyDays: 20, avgFrequency: 4, avgMonetary: 80_000 },
  { segment: 'POTENTIAL', customerCount: 1, avgRecencyDays: 6, avgFrequency: 2, avgMonetary: 60_000 },
  { segment: 'NEW', customerCount: 1, avgRecencyDays: 2, avgFrequency: 1, avgMonetary: 12_000 },
  { segment: 'AT_RISK', customerCount: 2, avgRecencyDays: 175, avgFrequency: 3, avgMonetary: 105_000 },
  { segment: 'LOST', customerCount: 2, avgRecencyDays: 400, avgFrequency: 0.5, avgMonetary: 4_000 },
  { segment: 'OTHER', customerCount: 1, avgRecencyDays: 40, avgFrequency: 1, avgMonetary: 15_000 },
];

let sofa: MerchantSession;
let curtain: MerchantSession;

async function customerWithPurchases(shop: MerchantSession, purchases: [number, number][]) {
  const c = await addCustomer(p, shop);
  for (const [days, amount] of purchases) await ok(p, RECORD, { c: c.id, a: amount, at: daysAgo(days) }, shop.accessToken);
  return c;
}

beforeAll(async () => {
  sofa = await signUpMerchant(p, { merchantName: '舒适沙发馆' });
  curtain = await signUpMerchant(p, { merchantName: '雅居窗帘', category: 'curtains' });
  for (const { purchases } of Object.values(WORKED)) await customerWithPurchases(sofa, purchases);
  // A customer who never bought is not scored; another shop's buyers are not the sofa shop's.
  await addCustomer(p, sofa);
  await customerWithPurchases(curtain, [[1, 99_000_000]]);
}, 120_000);

describe('RFM scoring rules', () => {
  it.each(Object.entries(WORKED))('%s scores into its segment', (_name, { scores: [r, f, m], segment }) => {
    expect(segmentOf({ r, f, m })).toBe(segment);
  });

  it('the first matching rule wins: a recent, frequent but small spender is LOYAL, not CHAMPIONS', () => {
    expect(segmentOf({ r: 5, f: 5, m: 3 })).toBe('LOYAL');
    expect(segmentOf({ r: 3, f: 2, m: 1 })).toBe('POTENTIAL');
    expect(segmentOf({ r: 2, f: 2, m: 5 })).toBe('LOST');
  });
});

describe('Merchant.rfmSegments', () => {
  it('groups the worked example into the segments derived by hand', async () => {
    const d = await ok(p, RFM, { m: sofa.merchantId }, sofa.accessToken);
    expect(d.node.rfmSegments).toEqual(EXPECTED);
  });

  it('is one SQL statement, however many customers and purchases there are', async () => {
    const rfmStatements = async () => {
      p.statements.length = 0;
      await ok(p, RFM, { m: sofa.merchantId }, sofa.accessToken);
      return { total: p.statements.length, rfm: p.statements.filter((s) => s.includes('per_customer')).length };
    };
    const before = await rfmStatements();
    for (let i = 0; i < 5; i++) await customerWithPurchases(sofa, [[10 + i, 5_000], [50, 5_000]]);
    const after = await rfmStatements();
    expect(after).toEqual(before);
    expect(after.rfm).toBe(1);
  });

  it('staff of the shop see it too, with or without contact permission', async () => {
    const staff = await addStaff(p, sofa, false);
    const d = await ok(p, RFM, { m: sofa.merchantId }, staff.accessToken);
    expect(d.node.rfmSegments.length).toBeGreaterThan(0);
  });

  it("another merchant, its staff and anonymous callers cannot read a shop's segments", async () => {
    const curtainStaff = await addStaff(p, curtain, true);
    for (const token of [curtain.accessToken, curtainStaff.accessToken]) {
      expect(codeOf(await p.gql(RFM, { m: sofa.merchantId }, token))).toBe('FORBIDDEN');
    }
    expect(codeOf(await p.gql(RFM, { m: sofa.merchantId }))).toBe('UNAUTHENTICATED');
  });
});

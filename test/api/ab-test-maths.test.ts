// The A/B test's maths: a split that is random yet stable, and the two-proportion test against a worked example.
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { twoProportionTest, variantFor } from '../../db/stats/ab-test.js';
import { newId } from '../../db/ids.js';

const campaignId = '019ae3c4-7a10-7cc1-9d2e-4b6f0a1c2d3e';
const variants = ['variant-a', 'variant-b'];
const three = ['variant-a', 'variant-b', 'variant-c'];

/** Fixed unit ids (unit-0, unit-1…): the hash spreads them like random ones, and a run cannot fail by chance. */
const unitIds = (n: number) => Array.from({ length: n }, (_, i) => `unit-${i}`);

/** Shares of each variant over many unit ids. */
function shares(variantIds: string[], units = 10_000) {
  const counts = new Map(variantIds.map((v) => [v, 0]));
  for (const unit of unitIds(units)) {
    const v = variantFor(campaignId, unit, variantIds);
    counts.set(v, counts.get(v)! + 1);
  }
  return variantIds.map((v) => counts.get(v)! / units);
}

describe('splitting units between variants', () => {
  it('gives one unit the same variant on every call and after the module is loaded anew (a restart)', async () => {
    const units = Array.from({ length: 50 }, () => newId());
    const first = units.map((u) => variantFor(campaignId, u, three));
    expect(units.map((u) => variantFor(campaignId, u, three))).toEqual(first);
    vi.resetModules();
    const fresh = await import('../../db/stats/ab-test.js');
    expect(fresh.variantFor).not.toBe(variantFor);
    expect(units.map((u) => fresh.variantFor(campaignId, u, three))).toEqual(first);
  });

  it('is the documented hash: the first 6 bytes of SHA-256(campaign, newline, unit) as a fraction of 2^48', () => {
    for (const unit of ['community-1', 'account-42', newId()]) {
      const fraction = createHash('sha256').update(`${campaignId}\n${unit}`).digest().readUIntBE(0, 6) / 2 ** 48;
      expect(variantFor(campaignId, unit, three)).toBe(three[Math.floor(fraction * 3)]);
    }
  });

  it('splits 10,000 units evenly over two variants (48–52 % each)', () => {
    for (const share of shares(variants)) {
      expect(share).toBeGreaterThanOrEqual(0.48);
      expect(share).toBeLessThanOrEqual(0.52);
    }
  });

  it('splits 10,000 units evenly over three variants (31–35.5 % each)', () => {
    for (const share of shares(three)) {
      expect(share).toBeGreaterThanOrEqual(0.31);
      expect(share).toBeLessThanOrEqual(0.355);
    }
  });

  it('splits two campaigns independently: a unit shown A in one is not shown A in every other', () => {
    const other = '019ae3c4-7a10-7cc1-9d2e-000000000001';
    const units = unitIds(2_000);
    const same = units.filter((u) => variantFor(campaignId, u, variants) === variantFor(other, u, variants)).length / units.length;
    expect(same).toBeGreaterThan(0.44);
    expect(same).toBeLessThan(0.56);
  });
});

describe('the two-proportion z-test', () => {
  it('matches the worked example: 200 of 1000 against 250 of 1000', () => {
    const result = twoProportionTest({ successes: 200, trials: 1000 }, { successes: 250, trials: 1000 })!;
    // pooled = 450 / 2000; SE = sqrt(0.225 · 0.775 · (1/1000 + 1/1000)); z = 0.05 / SE; p = 2 · (1 − Φ(z)).
    expect(result.pooledRate).toBeCloseTo(0.225, 6);
    expect(result.standardError).toBeCloseTo(0.018675, 5);
    expect(result.z).toBeCloseTo(2.6774, 4);
    expect(result.pValue).toBeCloseTo(0.00742, 5);
  });

  it('is symmetric: the baseline doing better gives a negative z and the same p-value', () => {
    const result = twoProportionTest({ successes: 250, trials: 1000 }, { successes: 200, trials: 1000 })!;
    expect(result.z).toBeCloseTo(-2.6774, 4);
    expect(result.pValue).toBeCloseTo(0.00742, 5);
  });

  it('finds no difference between equal rates (p = 1) and a tiny p-value for a large one', () => {
    expect(twoProportionTest({ successes: 30, trials: 100 }, { successes: 60, trials: 200 })).toMatchObject({ z: 0, pValue: 1 });
    // z ≈ 10: p ≈ 1.5e-23, which reads as 0 at the error function's precision.
    expect(twoProportionTest({ successes: 100, trials: 1000 }, { successes: 400, trials: 1000 })!.pValue).toBeLessThan(1e-6);
  });

  it('has nothing to test when a group is empty or every unit (or none) succeeded', () => {
    expect(twoProportionTest({ successes: 0, trials: 0 }, { successes: 3, trials: 10 })).toBeNull();
    expect(twoProportionTest({ successes: 10, trials: 10 }, { successes: 5, trials: 5 })).toBeNull();
    expect(twoProportionTest({ successes: 0, trials: 10 }, { successes: 0, trials: 5 })).toBeNull();
  });
});

// The maths of a campaign's A/B test: the stable random split, and the two-proportion z-test.
import { createHash } from 'node:crypto';
import { errorFunction } from 'simple-statistics';

/** 2^48: the first 6 bytes of the hash read as a fraction of it. */
const SPAN = 2 ** 48;

/**
 * The variant a unit (a community or a customer account) is shown: a SHA-256 of the campaign and
 * the unit, read as a uniform fraction, picks one of `variantIds` (given in label order). Random
 * across units, the same for one unit every time and in every process, and needing no stored state
 * until a customer is shown it. The bias of mapping 2^48 values onto at most 5 variants is below
 * 10^-13.
 */
export function variantFor(campaignId: string, unitId: string, variantIds: readonly string[]): string {
  if (variantIds.length === 0) throw new Error('variantFor: no variants to choose from');
  const digest = createHash('sha256').update(`${campaignId}\n${unitId}`).digest();
  const index = Math.floor((digest.readUIntBE(0, 6) / SPAN) * variantIds.length);
  return variantIds[index]!;
}

export interface TwoProportionTest {
  /** Successes over trials of both groups together: the rate both would share if they did not differ. */
  pooledRate: number;
  standardError: number;
  /** (rate of the variant − rate of the baseline) / standardError: positive when the variant does better. */
  z: number;
  /** Two-sided: the chance of a difference at least this large if the groups did not differ. */
  pValue: number;
}

/**
 * The pooled two-proportion z-test of a variant (successes of trials) against the baseline. Null
 * when a group is empty or the pooled rate is 0 or 1 (no variance, so nothing to test).
 */
export function twoProportionTest(baseline: { successes: number; trials: number }, variant: { successes: number; trials: number }): TwoProportionTest | null {
  if (baseline.trials === 0 || variant.trials === 0) return null;
  const pooledRate = (baseline.successes + variant.successes) / (baseline.trials + variant.trials);
  const standardError = Math.sqrt(pooledRate * (1 - pooledRate) * (1 / baseline.trials + 1 / variant.trials));
  if (standardError === 0) return null;
  const z = (variant.successes / variant.trials - baseline.successes / baseline.trials) / standardError;
  // P(|Z| >= |z|) = 1 − erf(|z| / √2); simple-statistics' erf is accurate to about 1e-7.
  const pValue = Math.min(1, Math.max(0, 1 - errorFunction(Math.abs(z) / Math.SQRT2)));
  return { pooledRate, standardError, z, pValue };
}

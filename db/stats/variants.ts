// A campaign's funnel per A/B variant, counted over the accounts shown each variant, and each
// variant tested against the first: the rules of campaign stats, with the variants as a dimension
// suppressed like the alliance insights' buckets.
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { campaignVariantAssignments, campaignVariants, customers } from '../tables/index.js';
import { twoProportionTest, type TwoProportionTest } from './ab-test.js';
import { funnelFacts, type CampaignFigure } from './campaigns.js';
import { audienceOf, flag, suppressedKeys, verifiedRecord, type RawBucket } from './insights.js';

export const VARIANT_FIGURES = ['REACHED', 'INTERESTED', 'REFERRALS_REQUESTED', 'REFERRALS_ACCEPTED', 'CONVERSIONS', 'RESPONSE_RATE'] as const satisfies readonly CampaignFigure[];
export type VariantFigure = (typeof VARIANT_FIGURES)[number];
type CountedFigure = Exclude<VariantFigure, 'RESPONSE_RATE'>;
const COUNTED = VARIANT_FIGURES.filter((f): f is CountedFigure => f !== 'RESPONSE_RATE');

/** What the test compares: interested / reached of each variant. */
export const PRIMARY_METRIC = 'RESPONSE_RATE' as const;

export interface VariantFunnel {
  variantId: string;
  reached: number;
  interested: number;
  referralsRequested: number;
  referralsAccepted: number;
  conversions: number;
  responseRate: number;
  /** Figures withheld from this viewer: they read 0. */
  withheld: VariantFigure[];
}

export interface VariantComparison {
  variantId: string;
  baselineVariantId: string;
  /** Null when either group's response rate is withheld or a group reached no one. */
  test: TwoProportionTest | null;
}

export interface VariantResults {
  metric: typeof PRIMARY_METRIC;
  variants: VariantFunnel[];
  comparisons: VariantComparison[];
  minGroupSize: number;
}

/**
 * One statement: each funnel fact of the campaign (see funnelFacts) of an account shown a variant,
 * keyed "<variant id> <figure>", and each account shown a variant as REACHED (a fact no merchant
 * holds, verified when the account has a verified customer record).
 */
function countByVariant(db: Db, campaignId: string, viewerMerchantId: string) {
  const shown = campaignVariantAssignments;
  const verified = flag(sql`exists (select 1 from ${customers} where ${customers.accountId} = ${shown.accountId} and ${verifiedRecord})`);
  return audienceOf(
    db,
    sql`select ${shown.variantId} || ' ' || f.key as key, f.person as person, f.verified as verified, f.held as held, f.amount as amount
      from (${funnelFacts(campaignId, viewerMerchantId)}) f
      join ${shown} on ${shown.campaignId} = ${campaignId} and ${shown.accountId} = f.person
      union all
      select ${shown.variantId} || ' REACHED', ${shown.accountId}, ${verified}, 0, 0
      from ${shown} where ${shown.campaignId} = ${campaignId}`,
  );
}

/**
 * The results one participant may read, or null for a campaign without variants. For each figure
 * the variants are buckets of one dimension (insights.ts `suppressedKeys`): a variant's figure about
 * too few verified people is withheld, and then another's too when it alone would give it away by
 * subtraction from the campaign's totals. A figure about no one reads 0.
 */
export async function variantResults(db: Db, campaignId: string, viewerMerchantId: string, minGroupSize: number): Promise<VariantResults | null> {
  const variants = await db.select({ id: campaignVariants.id }).from(campaignVariants).where(eq(campaignVariants.campaignId, campaignId)).orderBy(asc(campaignVariants.label));
  if (variants.length === 0) return null;
  const found = await countByVariant(db, campaignId, viewerMerchantId);
  const bucket = (variantId: string, figure: CountedFigure): RawBucket => ({
    customers: 0,
    unseen: 0,
    unseenCustomers: 0,
    count: 0,
    ...found.find((r) => r.key === `${variantId} ${figure}`),
    key: variantId,
  });
  const suppressed = new Map(
    COUNTED.map((figure) => [
      figure,
      suppressedKeys(
        variants.map((v) => bucket(v.id, figure)).filter((b) => b.count > 0),
        minGroupSize,
      ),
    ]),
  );
  const funnels = variants.map((variant): VariantFunnel => {
    const hidden = (figure: CountedFigure) => suppressed.get(figure)!.has(variant.id);
    const shown = (figure: CountedFigure) => (hidden(figure) ? 0 : bucket(variant.id, figure).count);
    const withheld = VARIANT_FIGURES.filter((f) => (f === 'RESPONSE_RATE' ? hidden('REACHED') || hidden('INTERESTED') : hidden(f)));
    const reached = shown('REACHED');
    const interested = shown('INTERESTED');
    return {
      variantId: variant.id,
      reached,
      interested,
      referralsRequested: shown('REFERRALS_REQUESTED'),
      referralsAccepted: shown('REFERRALS_ACCEPTED'),
      conversions: shown('CONVERSIONS'),
      responseRate: withheld.includes('RESPONSE_RATE') || reached === 0 ? 0 : interested / reached,
      withheld,
    };
  });
  const [baseline, ...others] = funnels;
  const testable = (f: VariantFunnel) => !f.withheld.includes('RESPONSE_RATE');
  const comparisons = others.map((other) => ({
    variantId: other.variantId,
    baselineVariantId: baseline!.variantId,
    test:
      testable(baseline!) && testable(other)
        ? twoProportionTest({ successes: baseline!.interested, trials: baseline!.reached }, { successes: other.interested, trials: other.reached })
        : null,
  }));
  return { metric: PRIMARY_METRIC, variants: funnels, comparisons, minGroupSize };
}

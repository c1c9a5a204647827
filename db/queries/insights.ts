// Alliance aggregates and referral attribution: counts only, never a customer, and small groups suppressed.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { allianceMembers, contactGrants, conversions, customers, interests, merchants, offerPlacements, offers, referralRequests } from '../tables/index.js';

/** A figure before suppression: what would be published, and how many distinct customers it is about. */
export interface RawBucket {
  key: string;
  count: number;
  customers: number;
}

export interface InsightBucket {
  key: string;
  /** Null when the group is too small to publish. */
  count: number | null;
}

/**
 * Which buckets of one dimension must not be published.
 *
 * 1. Primary suppression: a bucket about fewer than `minGroupSize` distinct customers.
 * 2. Complementary suppression: when that leaves exactly one bucket suppressed, the published
 *    bucket with the smallest count (then the first key) is suppressed too. Otherwise a total
 *    published anywhere (campaign stats, a later figure, a reader's own records) minus the
 *    published buckets would give the suppressed count by subtraction; with two suppressed buckets
 *    it gives only their sum. It applies to every dimension, whether or not a total is published
 *    today, because figures elsewhere can change without anyone revisiting this rule.
 */
export function suppressedKeys(buckets: readonly RawBucket[], minGroupSize: number): Set<string> {
  const suppressed = new Set(buckets.filter((b) => b.customers < minGroupSize).map((b) => b.key));
  if (suppressed.size === 1) {
    const [complement] = buckets
      .filter((b) => !suppressed.has(b.key))
      .sort((a, b) => a.count - b.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (complement) suppressed.add(complement.key);
  }
  return suppressed;
}

/**
 * The published buckets, ordered by key: an order by count would place a suppressed bucket
 * between its neighbours and so bound its size.
 */
export function publish(buckets: readonly RawBucket[], minGroupSize: number): InsightBucket[] {
  const suppressed = suppressedKeys(buckets, minGroupSize);
  return [...buckets]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((b) => ({ key: b.key, count: suppressed.has(b.key) ? null : b.count }));
}

const placedInAlliance = (allianceId: string) =>
  sql`exists (select 1 from ${offerPlacements} where ${offerPlacements.offerId} = ${offers.id} and ${offerPlacements.allianceId} = ${allianceId})`;

/** Distinct customer accounts that expressed interest in offers placed in the alliance's communities, by offer category. */
export function customersByCategoryInterest(db: Db, allianceId: string, minGroupSize: number): InsightBucket[] {
  const rows = db
    .select({ key: offers.category, count: sql<number>`count(distinct ${interests.accountId})`, customers: sql<number>`count(distinct ${interests.accountId})` })
    .from(interests)
    .innerJoin(offers, eq(offers.id, interests.offerId))
    .where(placedInAlliance(allianceId))
    .groupBy(offers.category)
    .all();
  return publish(rows, minGroupSize);
}

/**
 * Referral requests whose requester or originating merchant is a member (approved or suspended)
 * of the alliance, by status. The count is of requests; the group size that decides suppression is
 * of distinct people (the customer's account, else the customer record).
 */
export function referralsByStatus(db: Db, allianceId: string, minGroupSize: number): InsightBucket[] {
  const members = db
    .select({ merchantId: allianceMembers.merchantId })
    .from(allianceMembers)
    .where(and(eq(allianceMembers.allianceId, allianceId), inArray(allianceMembers.status, ['APPROVED', 'SUSPENDED'])));
  const rows = db
    .select({
      key: referralRequests.status,
      count: sql<number>`count(*)`,
      customers: sql<number>`count(distinct coalesce(${customers.accountId}, ${customers.id}))`,
    })
    .from(referralRequests)
    .innerJoin(customers, eq(customers.id, referralRequests.customerId))
    .where(sql`${referralRequests.requesterMerchantId} in ${members} or ${referralRequests.originMerchantId} in ${members}`)
    .groupBy(referralRequests.status)
    .all();
  return publish(rows, minGroupSize);
}

/**
 * Offers placed in the alliance's communities (in any state since), by category. Not suppressed:
 * an offer is a merchant's public post, shown in the feeds to every member of its communities, and
 * counting posts says nothing about any person.
 */
export function offersByCategory(db: Db, allianceId: string): InsightBucket[] {
  return db
    .select({ key: offers.category, count: sql<number>`count(*)` })
    .from(offers)
    .where(placedInAlliance(allianceId))
    .groupBy(offers.category)
    .orderBy(offers.category)
    .all();
}

export interface PartnerAttribution {
  partner: typeof merchants.$inferSelect;
  /** Requests about this merchant's customers made by or proposed to the partner. */
  referralsBrought: number;
  /** Of those, accepted by the customer (a grant was given, even if revoked since). */
  referralsAccepted: number;
  /** Null (with revenue) when too few distinct customers converted to publish. */
  conversions: number | null;
  revenue: number | null;
}

/**
 * What the referrals of one originating merchant's customers brought each partner, in one
 * statement. The merchant already sees each of these requests and its status, so requests and
 * acceptances are published as they are. Conversions and revenue are the partner's facts about the
 * merchant's customers: a figure about one or two people would tell the merchant what its own
 * (known) customer spent elsewhere, so they follow the same suppression as the alliance insights,
 * with the distinct converted customers as the group size.
 */
export function referralAttribution(db: Db, merchantId: string, minGroupSize: number): PartnerAttribution[] {
  const rows = db.all<{
    id: string;
    name: string;
    category: string;
    city: string;
    publicContact: string | null;
    createdAt: string;
    brought: number;
    accepted: number;
    conversions: number;
    revenue: number;
    converted: number;
  }>(sql`
    with brought as (
      select ${referralRequests.id} as referral_id, ${referralRequests.requesterMerchantId} as partner_id, ${referralRequests.customerId} as customer_id
      from ${referralRequests} where ${referralRequests.originMerchantId} = ${merchantId}
    ),
    sales as (
      select ${conversions.referralId} as referral_id, count(*) as n, sum(${conversions.amount}) as amount
      from ${conversions} where ${conversions.referralId} in (select referral_id from brought)
      group by ${conversions.referralId}
    )
    select ${merchants.id} as id, ${merchants.name} as name, ${merchants.category} as category, ${merchants.city} as city,
      ${merchants.publicContact} as publicContact, ${merchants.createdAt} as createdAt,
      count(*) as brought,
      count(${contactGrants.id}) as accepted,
      coalesce(sum(sales.n), 0) as conversions,
      coalesce(sum(sales.amount), 0) as revenue,
      count(distinct case when sales.n is not null then brought.customer_id end) as converted
    from brought
    join ${merchants} on ${merchants.id} = brought.partner_id
    left join ${contactGrants} on ${contactGrants.referralId} = brought.referral_id
    left join sales on sales.referral_id = brought.referral_id
    group by brought.partner_id
    order by ${merchants.name}, ${merchants.id}`);
  const suppressed = suppressedKeys(
    rows.map((r) => ({ key: r.id, count: r.conversions, customers: r.converted })),
    minGroupSize,
  );
  return rows.map(({ brought, accepted, conversions: sold, revenue, converted: _converted, ...partner }) => ({
    partner,
    referralsBrought: brought,
    referralsAccepted: accepted,
    conversions: suppressed.has(partner.id) ? null : sold,
    revenue: suppressed.has(partner.id) ? null : revenue,
  }));
}

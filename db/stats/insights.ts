// Alliance aggregates and referral attribution: counts only, never a customer, and small groups suppressed.
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { rows } from '../dialect/kit.js';
import { allianceMembers, contactGrants, conversions, customers, interests, merchants, offerPlacements, offers, referralRequests } from '../tables/index.js';

/**
 * Who a figure is about, which decides whether it may be published. People are counted once across
 * merchants (by account) and only when verified (see `verifiedRecord`), so customers a merchant
 * made up fill no group.
 */
export interface Audience {
  /** Verified people behind all the figure's facts. */
  customers: number;
  /** Facts the viewing merchant does not hold itself: it can subtract the ones it holds. */
  unseen: number;
  /** Verified people behind those. */
  unseenCustomers: number;
}

/** A figure before suppression: what would be published, and who it is about. */
export interface RawBucket extends Audience {
  key: string;
  count: number;
}

export interface InsightBucket {
  key: string;
  /** Null when the group is too small to publish. */
  count: number | null;
}

/**
 * A figure about fewer than `minGroupSize` verified people is withheld, and so is one whose part
 * the viewer does not hold is about fewer: a merchant that recorded four of five sales would
 * otherwise subtract its own and read the fifth customer's.
 */
export function tooSmall(a: Audience, minGroupSize: number): boolean {
  return a.customers < minGroupSize || (a.unseen > 0 && a.unseenCustomers < minGroupSize);
}

/**
 * Whether a customer record counts as a person: claimed, which takes a one-time code sent to the
 * phone on the record, and not erased.
 */
export const verifiedRecord = sql`(${customers.claimedAt} is not null and ${customers.erasedAt} is null)`;

/** The person behind a record: its account (one person across merchants), else the record alone. */
export const personOf = sql`coalesce(${customers.accountId}, ${customers.id})`;

/** A condition as 1 or 0: PostgreSQL neither sums nor takes the max of booleans. */
export const flag = (condition: SQL) => sql`case when ${condition} then 1 else 0 end`;

export type AudienceRow = RawBucket & { amount: number };

/**
 * One statement summing `facts` (rows of key, person, verified, held, amount: one per fact, with
 * verified and held flags, held 1 when the viewer holds that fact) into each key's figure, amount
 * and audience. A person counts once per key: verified if any of their facts is, unseen if any is
 * not held.
 */
export async function audienceOf<K extends string = string>(db: Db, facts: SQL): Promise<(AudienceRow & { key: K })[]> {
  const found = await rows<Record<keyof AudienceRow, string | number>>(db, sql`with fact as (${facts}),
    per_person as (
      select key, count(*) as facts, sum(amount) as amount, max(verified) as verified, sum(1 - held) as unseen
      from fact group by key, person
    )
    select key, sum(facts) as count, sum(amount) as amount, sum(verified) as customers, sum(unseen) as unseen,
      sum(case when verified = 1 and unseen > 0 then 1 else 0 end) as "unseenCustomers"
    from per_person group by key`);
  // PostgreSQL returns sums as text (numeric).
  return found.map((r) => ({
    key: String(r.key) as K,
    count: Number(r.count),
    amount: Number(r.amount),
    customers: Number(r.customers),
    unseen: Number(r.unseen),
    unseenCustomers: Number(r.unseenCustomers),
  }));
}

/**
 * Which buckets of one dimension must not be published.
 *
 * 1. Primary suppression: a bucket that is `tooSmall`.
 * 2. Complementary suppression: when that leaves exactly one bucket suppressed, the published
 *    bucket with the smallest count (then the first key) is suppressed too. Otherwise a total
 *    published anywhere (campaign stats, a later figure, a reader's own records) minus the
 *    published buckets would give the suppressed count by subtraction; with two suppressed buckets
 *    it gives only their sum. It applies to every dimension, whether or not a total is published
 *    today, because figures elsewhere can change without anyone revisiting this rule.
 */
export function suppressedKeys(buckets: readonly RawBucket[], minGroupSize: number): Set<string> {
  const suppressed = new Set(buckets.filter((b) => tooSmall(b, minGroupSize)).map((b) => b.key));
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

/**
 * Distinct customer accounts that expressed interest in offers placed in the alliance's
 * communities, by offer category. The viewer holds the interests in its own offers and those of its
 * own customers (it sees them once a referral is asked).
 */
export async function customersByCategoryInterest(db: Db, allianceId: string, viewerMerchantId: string, minGroupSize: number): Promise<InsightBucket[]> {
  const buckets = await audienceOf(
    db,
    sql`select ${offers.category} as key, ${interests.accountId} as person, max(${flag(verifiedRecord)}) as verified,
        max(${flag(sql`${interests.offerMerchantId} = ${viewerMerchantId} or ${interests.originMerchantId} = ${viewerMerchantId}`)}) as held, 0 as amount
      from ${interests}
      join ${offers} on ${offers.id} = ${interests.offerId}
      join ${customers} on ${customers.id} = ${interests.customerId}
      where ${placedInAlliance(allianceId)}
      group by ${offers.category}, ${interests.accountId}`,
  );
  return publish(buckets, minGroupSize);
}

/**
 * Referral requests whose requester or originating merchant is a member (approved or suspended)
 * of the alliance, by status. The count is of requests; the group is of the people they are about.
 * The viewer holds the requests it made or that are about its own customers.
 */
export async function referralsByStatus(db: Db, allianceId: string, viewerMerchantId: string, minGroupSize: number): Promise<InsightBucket[]> {
  const members = db
    .select({ merchantId: allianceMembers.merchantId })
    .from(allianceMembers)
    .where(and(eq(allianceMembers.allianceId, allianceId), inArray(allianceMembers.status, ['APPROVED', 'SUSPENDED'])));
  const buckets = await audienceOf(
    db,
    sql`select ${referralRequests.status} as key, ${personOf} as person, ${flag(verifiedRecord)} as verified,
        ${flag(sql`${referralRequests.requesterMerchantId} = ${viewerMerchantId} or ${referralRequests.originMerchantId} = ${viewerMerchantId}`)} as held, 0 as amount
      from ${referralRequests}
      join ${customers} on ${customers.id} = ${referralRequests.customerId}
      where ${referralRequests.requesterMerchantId} in ${members} or ${referralRequests.originMerchantId} in ${members}`,
  );
  return publish(buckets, minGroupSize);
}

/**
 * Offers placed in the alliance's communities (in any state since), by category. Not suppressed:
 * an offer is a merchant's public post, shown in the feeds to every member of its communities, and
 * counting posts says nothing about any person.
 */
export function offersByCategory(db: Db, allianceId: string): Promise<InsightBucket[]> {
  return db
    .select({ key: offers.category, count: sql<number>`count(*)`.mapWith(Number).as('count') })
    .from(offers)
    .where(placedInAlliance(allianceId))
    .groupBy(offers.category)
    .orderBy(offers.category);
}

export interface PartnerAttribution {
  partner: typeof merchants.$inferSelect;
  /** Requests about this merchant's customers made by or proposed to the partner. */
  referralsBrought: number;
  /** Of those, accepted by the customer (a grant was given, even if revoked since). */
  referralsAccepted: number;
  /** Null (with revenue) when too few verified customers converted to publish. */
  conversions: number | null;
  revenue: number | null;
}

/**
 * What the referrals of one originating merchant's customers brought each partner, in one
 * statement. The merchant already sees each of these requests and its status, so requests and
 * acceptances are published as they are. Conversions and revenue are the partner's facts about the
 * merchant's customers: a figure about one or two people would tell the merchant what its own
 * (known) customer spent elsewhere, so they follow the same suppression as the alliance insights,
 * with the verified people who converted as the group. The merchant holds none of these sales: the
 * partner records them.
 */
export async function referralAttribution(db: Db, merchantId: string, minGroupSize: number): Promise<PartnerAttribution[]> {
  const found = await rows<{
    id: string;
    name: string;
    category: string;
    city: string;
    publicContact: string | null;
    createdAt: string;
    brought: number | string;
    accepted: number | string;
    conversions: number | string;
    revenue: number | string;
    converted: number | string;
  }>(
    db,
    sql`
    with brought as (
      select ${referralRequests.id} as referral_id, ${referralRequests.requesterMerchantId} as partner_id,
        case when ${verifiedRecord} then ${customers.accountId} end as person
      from ${referralRequests} join ${customers} on ${customers.id} = ${referralRequests.customerId}
      where ${referralRequests.originMerchantId} = ${merchantId}
    ),
    sales as (
      select ${conversions.referralId} as referral_id, count(*) as n, sum(${conversions.amount}) as amount
      from ${conversions} where ${conversions.referralId} in (select referral_id from brought)
      group by ${conversions.referralId}
    )
    select ${merchants.id} as id, ${merchants.name} as name, ${merchants.category} as category, ${merchants.city} as city,
      ${merchants.publicContact} as "publicContact", ${merchants.createdAt} as "createdAt",
      count(*) as brought,
      count(${contactGrants.id}) as accepted,
      coalesce(sum(sales.n), 0) as conversions,
      coalesce(sum(sales.amount), 0) as revenue,
      count(distinct case when sales.n is not null then brought.person end) as converted
    from brought
    join ${merchants} on ${merchants.id} = brought.partner_id
    left join ${contactGrants} on ${contactGrants.referralId} = brought.referral_id
    left join sales on sales.referral_id = brought.referral_id
    group by ${merchants.id}, ${merchants.name}, ${merchants.category}, ${merchants.city}, ${merchants.publicContact}, ${merchants.createdAt}
    order by ${merchants.name}, ${merchants.id}`);
  // PostgreSQL returns counts and sums as text (bigint and numeric).
  const figures = found.map(({ brought, accepted, conversions: sold, revenue, converted, ...partner }) => ({
    partner,
    brought: Number(brought),
    accepted: Number(accepted),
    sold: Number(sold),
    revenue: Number(revenue),
    converted: Number(converted),
  }));
  const suppressed = suppressedKeys(
    figures.map((f) => ({ key: f.partner.id, count: f.sold, customers: f.converted, unseen: f.sold, unseenCustomers: f.converted })),
    minGroupSize,
  );
  return figures.map(({ partner, brought, accepted, sold, revenue }) => ({
    partner,
    referralsBrought: brought,
    referralsAccepted: accepted,
    conversions: suppressed.has(partner.id) ? null : sold,
    revenue: suppressed.has(partner.id) ? null : revenue,
  }));
}

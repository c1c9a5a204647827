// RFM segments of one merchant's own customers, computed in one SQL statement.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { daysBefore, rows } from '../dialect/kit.js';
import { nowIso } from '../ids.js';
import { purchases } from '../tables/index.js';

export const RFM_SEGMENTS = ['CHAMPIONS', 'LOYAL', 'POTENTIAL', 'NEW', 'AT_RISK', 'LOST', 'OTHER'] as const;
export type RfmSegmentName = (typeof RFM_SEGMENTS)[number];

export interface RfmScores {
  r: number;
  f: number;
  m: number;
}

type Range = readonly [min: number, max: number];

/**
 * How scores map to segments: the first rule whose ranges all contain the customer's scores wins,
 * and a customer no rule matches is OTHER.
 *
 * The scores (each 1-5, 5 best) are quintile bands over the merchant's customers who ever bought:
 * - R, recency: days since the last purchase (ever); fewer days score higher.
 * - F, frequency: purchases in the last 365 days; more score higher.
 * - M, monetary: spend in fen in the last 365 days; more scores higher.
 * A customer's band is 1 + floor(5 * (rank - 1) / n), with rank() ordering worst to best over the
 * n scored customers. Unlike ntile(5), rank() gives tied customers the same rank (that of the
 * first of them), so equal behaviour always scores equally, never split by row order.
 * Customers who never bought are not scored: they have no recency to measure.
 */
export const SEGMENT_RULES: readonly { segment: RfmSegmentName; r?: Range; f?: Range; m?: Range }[] = [
  // Bought recently, often and much.
  { segment: 'CHAMPIONS', r: [4, 5], f: [4, 5], m: [4, 5] },
  // Buy often and are still around.
  { segment: 'LOYAL', r: [3, 5], f: [4, 5] },
  // Bought recently for the first time or rarely.
  { segment: 'NEW', r: [4, 5], f: [1, 1] },
  // Fairly recent and coming back: could become loyal.
  { segment: 'POTENTIAL', r: [3, 5], f: [2, 5] },
  // Used to buy regularly, not lately.
  { segment: 'AT_RISK', r: [1, 2], f: [3, 5] },
  // Not lately and not often.
  { segment: 'LOST', r: [1, 2], f: [1, 2] },
];

const inRange = (score: number, range?: Range) => !range || (score >= range[0] && score <= range[1]);

/** The segment of one customer's scores (the rules above, for tests and for reading). */
export function segmentOf({ r, f, m }: RfmScores): RfmSegmentName {
  return SEGMENT_RULES.find((rule) => inRange(r, rule.r) && inRange(f, rule.f) && inRange(m, rule.m))?.segment ?? 'OTHER';
}

/** The same rules as a SQL CASE over the columns r, f and m (numbers and names from the constants only). */
function segmentCase(): SQL {
  const within = (column: string, range?: Range) => (range ? [sql`${sql.raw(column)} between ${range[0]} and ${range[1]}`] : []);
  const whens = SEGMENT_RULES.map((rule) => {
    const tests = [...within('r', rule.r), ...within('f', rule.f), ...within('m', rule.m)];
    return sql`when ${sql.join(tests, sql` and `)} then ${rule.segment}`;
  });
  return sql`case ${sql.join(whens, sql` `)} else 'OTHER' end`;
}

export interface RfmSegment {
  segment: RfmSegmentName;
  customerCount: number;
  avgRecencyDays: number;
  avgFrequency: number;
  avgMonetary: number;
}

const band = (order: SQL) => sql`1 + (rank() over (order by ${order}) - 1) * 5 / count(*) over ()`;

/**
 * The merchant's scored customers grouped by segment, in the order of RFM_SEGMENTS; segments with
 * no customer are left out. Erased customers count: their purchases are facts without identity.
 */
export async function rfmSegments(db: Db, merchantId: string, now: string = nowIso()): Promise<RfmSegment[]> {
  const yearAgo = new Date(Date.parse(now) - 365 * 86_400_000).toISOString();
  const found = await rows<Record<keyof RfmSegment, string | number>>(db, sql`
    with per_customer as (
      select ${purchases.customerId} as customer_id, max(${purchases.at}) as last_at,
        sum(case when ${purchases.at} > ${yearAgo} then 1 else 0 end) as frequency,
        sum(case when ${purchases.at} > ${yearAgo} then ${purchases.amount} else 0 end) as monetary
      from ${purchases}
      where ${purchases.merchantId} = ${merchantId}
      group by ${purchases.customerId}
    ),
    dated as (
      select ${daysBefore(sql`last_at`, now)} as recency_days, frequency, monetary from per_customer
    ),
    scored as (
      select recency_days, frequency, monetary,
        ${band(sql`recency_days desc`)} as r,
        ${band(sql`frequency asc`)} as f,
        ${band(sql`monetary asc`)} as m
      from dated
    )
    select ${segmentCase()} as segment, count(*) as "customerCount",
      avg(recency_days) as "avgRecencyDays", avg(frequency) as "avgFrequency", avg(monetary) as "avgMonetary"
    from scored
    group by segment`);
  // PostgreSQL returns counts and averages as text (bigint and numeric).
  return found
    .map((r) => ({
      segment: r.segment as RfmSegmentName,
      customerCount: Number(r.customerCount),
      avgRecencyDays: Number(r.avgRecencyDays),
      avgFrequency: Number(r.avgFrequency),
      avgMonetary: Number(r.avgMonetary),
    }))
    .sort((a, b) => RFM_SEGMENTS.indexOf(a.segment) - RFM_SEGMENTS.indexOf(b.segment));
}

// A campaign's funnel, counted from rows with a fixed number of statements per campaign, each
// figure withheld when too few verified customers are behind it (the rules of db/stats/insights.ts).
import { and, eq, gt, isNull, lte, or, sql, sum, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { campaignCommunities, campaignSpend, communityMembers, contactGrants, conversions, customers, interests, offers, referralRequests } from '../tables/index.js';
import { shareStats } from '../queries/sharing.js';
import { audienceOf, flag, personOf, tooSmall, verifiedRecord, type Audience } from './insights.js';

export const CAMPAIGN_FIGURES = ['REACHED', 'INTERESTED', 'REFERRALS_REQUESTED', 'REFERRALS_ACCEPTED', 'CONVERSIONS', 'REVENUE', 'RESPONSE_RATE'] as const;
export type CampaignFigure = (typeof CAMPAIGN_FIGURES)[number];

export interface CampaignStats {
  /** Share-poster scans and page visits: counts of channels, about no one (never withheld). */
  scans: number;
  visits: number;
  reached: number;
  interested: number;
  referralsRequested: number;
  referralsAccepted: number;
  conversions: number;
  revenue: number;
  spent: number;
  responseRate: number;
  /** Figures withheld from this viewer: they read 0 (the contract has them non-null). */
  withheld: CampaignFigure[];
  minGroupSize: number;
}

/** A figure before suppression: its count of facts (and their amount), and who they are about. */
export interface CountedFigure extends Audience {
  count: number;
  amount: number;
}

type FunnelFigure = 'INTERESTED' | 'REFERRALS_REQUESTED' | 'REFERRALS_ACCEPTED' | 'CONVERSIONS';

const NOTHING: CountedFigure = { count: 0, amount: 0, customers: 0, unseen: 0, unseenCustomers: 0 };

/**
 * Interest, referral and conversion figures of the campaign's offers, in one statement: distinct
 * interested customers, requests made, requests accepted (a grant exists, even if later revoked),
 * conversions and their amount. A referral belongs to the campaign of its offer, whether it came
 * from an interest or from the originating merchant's proposal, so each sale is credited to that
 * campaign (and, in referral attribution, to the originating merchant). Referrals without an offer
 * belong to no campaign.
 *
 * The viewer holds a referral's facts when it made the request or the customer is its own (the
 * requester records the sales; the origin sees the request, and in its referral attribution what
 * the partner sold), and an interest when the offer or the customer is its own.
 */
export async function referralFunnel(db: Db, campaignId: string, viewerMerchantId: string): Promise<Record<FunnelFigure, CountedFigure>> {
  const found = await audienceOf<FunnelFigure>(db, funnelFacts(campaignId, viewerMerchantId));
  const figure = (key: FunnelFigure) => found.find((r) => r.key === key) ?? NOTHING;
  return {
    INTERESTED: figure('INTERESTED'),
    REFERRALS_REQUESTED: figure('REFERRALS_REQUESTED'),
    REFERRALS_ACCEPTED: figure('REFERRALS_ACCEPTED'),
    CONVERSIONS: figure('CONVERSIONS'),
  };
}

/**
 * The facts behind referralFunnel, as audienceOf reads them (key, person, verified, held, amount),
 * the person being the customer's account where it has one: the A/B results split them by variant.
 */
export function funnelFacts(campaignId: string, viewerMerchantId: string): SQL {
  const ofCampaign = (offerId: SQL) => sql`${offerId} in (select ${offers.id} from ${offers} where ${offers.campaignId} = ${campaignId})`;
  // The key is a typed parameter: PostgreSQL cannot infer the type of a bare one in a UNION.
  const referralFacts = (key: FunnelFigure, amount: SQL, from: SQL) => sql`
    select cast(${key} as text) as key, ${personOf} as person, ${flag(verifiedRecord)} as verified,
      ${flag(sql`${referralRequests.requesterMerchantId} = ${viewerMerchantId} or ${referralRequests.originMerchantId} = ${viewerMerchantId}`)} as held, ${amount} as amount
    from ${from} join ${customers} on ${customers.id} = ${referralRequests.customerId}
    where ${ofCampaign(sql`${referralRequests.offerId}`)}`;
  return sql`
      select cast(${'INTERESTED'} as text) as key, ${interests.accountId} as person, max(${flag(verifiedRecord)}) as verified,
        max(${flag(sql`${interests.offerMerchantId} = ${viewerMerchantId} or ${interests.originMerchantId} = ${viewerMerchantId}`)}) as held, 0 as amount
      from ${interests} join ${customers} on ${customers.id} = ${interests.customerId}
      where ${ofCampaign(sql`${interests.offerId}`)}
      group by ${interests.accountId}
      union all ${referralFacts('REFERRALS_REQUESTED', sql`0`, sql`${referralRequests}`)}
      union all ${referralFacts('REFERRALS_ACCEPTED', sql`0`, sql`${contactGrants} join ${referralRequests} on ${referralRequests.id} = ${contactGrants.referralId}`)}
      union all ${referralFacts('CONVERSIONS', sql`${conversions.amount}`, sql`${conversions} join ${referralRequests} on ${referralRequests.id} = ${conversions.referralId}`)}`;
}

/**
 * Distinct customer accounts that were members of any of the campaign's communities when it was
 * published, and how many of them are verified people. No merchant holds these facts.
 */
export async function campaignReach(db: Db, campaignId: string, publishedAt: string | null): Promise<CountedFigure> {
  if (!publishedAt) return NOTHING;
  const verified = sql`case when exists (select 1 from ${customers} where ${customers.accountId} = ${communityMembers.accountId} and ${verifiedRecord})
    then ${communityMembers.accountId} end`;
  const [row] = await db
    .select({
      reached: sql<number>`count(distinct ${communityMembers.accountId})`.mapWith(Number).as('reached'),
      customers: sql<number>`count(distinct ${verified})`.mapWith(Number).as('customers'),
    })
    .from(campaignCommunities)
    .innerJoin(communityMembers, eq(communityMembers.communityId, campaignCommunities.communityId))
    .where(
      and(
        eq(campaignCommunities.campaignId, campaignId),
        eq(communityMembers.kind, 'CUSTOMER'),
        lte(communityMembers.joinedAt, publishedAt),
        or(isNull(communityMembers.leftAt), gt(communityMembers.leftAt, publishedAt)),
      ),
    );
  const reached = row?.reached ?? 0;
  const verifiedPeople = row?.customers ?? 0;
  return { count: reached, amount: 0, customers: verifiedPeople, unseen: reached, unseenCustomers: verifiedPeople };
}

export async function campaignSpent(db: Db, campaignId: string): Promise<number> {
  const [row] = await db.select({ spent: sum(campaignSpend.amount).mapWith(Number).as('spent') }).from(campaignSpend).where(eq(campaignSpend.campaignId, campaignId));
  return row?.spent ?? 0;
}

/**
 * The stats one participant may read. A figure about no one reads 0; one about too few people
 * (tooSmall) is withheld and reads 0 too, listed in `withheld`. Revenue goes with conversions, and
 * the response rate with either of its terms, which it would otherwise give away.
 */
export async function campaignStats(db: Db, campaign: { id: string; publishedAt: string | null }, viewerMerchantId: string, minGroupSize: number): Promise<CampaignStats> {
  const [reach, funnel, spent, shares] = await Promise.all([
    campaignReach(db, campaign.id, campaign.publishedAt),
    referralFunnel(db, campaign.id, viewerMerchantId),
    campaignSpent(db, campaign.id),
    shareStats(db, campaign.id),
  ]);
  const hidden = (f: CountedFigure) => f.count > 0 && tooSmall(f, minGroupSize);
  const figures: Record<Exclude<CampaignFigure, 'RESPONSE_RATE'>, { value: number; hidden: boolean }> = {
    REACHED: { value: reach.count, hidden: hidden(reach) },
    INTERESTED: { value: funnel.INTERESTED.count, hidden: hidden(funnel.INTERESTED) },
    REFERRALS_REQUESTED: { value: funnel.REFERRALS_REQUESTED.count, hidden: hidden(funnel.REFERRALS_REQUESTED) },
    REFERRALS_ACCEPTED: { value: funnel.REFERRALS_ACCEPTED.count, hidden: hidden(funnel.REFERRALS_ACCEPTED) },
    CONVERSIONS: { value: funnel.CONVERSIONS.count, hidden: hidden(funnel.CONVERSIONS) },
    REVENUE: { value: funnel.CONVERSIONS.amount, hidden: hidden(funnel.CONVERSIONS) },
  };
  const withheld = CAMPAIGN_FIGURES.filter((name) => (name === 'RESPONSE_RATE' ? figures.REACHED.hidden || figures.INTERESTED.hidden : figures[name].hidden));
  const shown = (name: Exclude<CampaignFigure, 'RESPONSE_RATE'>) => (figures[name].hidden ? 0 : figures[name].value);
  const reached = shown('REACHED');
  const interested = shown('INTERESTED');
  return {
    scans: shares.reduce((total, s) => total + s.scans, 0),
    visits: shares.reduce((total, s) => total + s.visits, 0),
    reached,
    interested,
    referralsRequested: shown('REFERRALS_REQUESTED'),
    referralsAccepted: shown('REFERRALS_ACCEPTED'),
    conversions: shown('CONVERSIONS'),
    revenue: shown('REVENUE'),
    spent,
    responseRate: withheld.includes('RESPONSE_RATE') || reached === 0 ? 0 : interested / reached,
    withheld,
    minGroupSize,
  };
}

// A campaign's funnel, counted from rows with a fixed number of statements per campaign.
import { and, eq, gt, isNull, lte, or, sql, sum, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { campaignCommunities, campaignSpend, communityMembers, contactGrants, conversions, interests, offers, referralRequests } from '../tables/index.js';

export interface CampaignStats {
  reached: number;
  interested: number;
  referralsRequested: number;
  referralsAccepted: number;
  conversions: number;
  revenue: number;
  spent: number;
  responseRate: number;
}

export type ReferralFunnel = Pick<CampaignStats, 'interested' | 'referralsRequested' | 'referralsAccepted' | 'conversions' | 'revenue'>;

/**
 * Interest, referral and conversion counts of the campaign's offers, in one statement: distinct
 * interested customers, requests made, requests accepted (a grant exists, even if later revoked),
 * conversions and their revenue. A referral belongs to the campaign of its offer, whether it came
 * from an interest or from the originating merchant's proposal, so each sale is credited to that
 * campaign (and, in referral attribution, to the originating merchant). Referrals without an offer
 * belong to no campaign.
 */
export function referralFunnel(db: Db, campaignId: string): ReferralFunnel {
  const ofCampaign = (offerId: SQL) => sql`${offerId} in (select ${offers.id} from ${offers} where ${offers.campaignId} = ${campaignId})`;
  const row = db.get<{ interested: number; requested: number; accepted: number; conversions: number; revenue: number }>(sql`select
    (select count(distinct ${interests.accountId}) from ${interests} where ${ofCampaign(sql`${interests.offerId}`)}) as interested,
    (select count(*) from ${referralRequests} where ${ofCampaign(sql`${referralRequests.offerId}`)}) as requested,
    (select count(*) from ${contactGrants} join ${referralRequests} on ${referralRequests.id} = ${contactGrants.referralId}
      where ${ofCampaign(sql`${referralRequests.offerId}`)}) as accepted,
    (select count(*) from ${conversions} join ${referralRequests} on ${referralRequests.id} = ${conversions.referralId}
      where ${ofCampaign(sql`${referralRequests.offerId}`)}) as conversions,
    (select coalesce(sum(${conversions.amount}), 0) from ${conversions} join ${referralRequests} on ${referralRequests.id} = ${conversions.referralId}
      where ${ofCampaign(sql`${referralRequests.offerId}`)}) as revenue`);
  return {
    interested: row.interested,
    referralsRequested: row.requested,
    referralsAccepted: row.accepted,
    conversions: row.conversions,
    revenue: row.revenue,
  };
}

/** Distinct customer accounts that were members of any of the campaign's communities when it was published. */
export function campaignReach(db: Db, campaignId: string, publishedAt: string | null): number {
  if (!publishedAt) return 0;
  const row = db
    .select({ reached: sql<number>`count(distinct ${communityMembers.accountId})` })
    .from(campaignCommunities)
    .innerJoin(communityMembers, eq(communityMembers.communityId, campaignCommunities.communityId))
    .where(
      and(
        eq(campaignCommunities.campaignId, campaignId),
        eq(communityMembers.kind, 'CUSTOMER'),
        lte(communityMembers.joinedAt, publishedAt),
        or(isNull(communityMembers.leftAt), gt(communityMembers.leftAt, publishedAt)),
      ),
    )
    .get();
  return row?.reached ?? 0;
}

export function campaignSpent(db: Db, campaignId: string): number {
  const row = db.select({ spent: sum(campaignSpend.amount).mapWith(Number) }).from(campaignSpend).where(eq(campaignSpend.campaignId, campaignId)).get();
  return row?.spent ?? 0;
}

export function campaignStats(db: Db, campaign: { id: string; publishedAt: string | null }): CampaignStats {
  const reached = campaignReach(db, campaign.id, campaign.publishedAt);
  const funnel = referralFunnel(db, campaign.id);
  return {
    reached,
    ...funnel,
    spent: campaignSpent(db, campaign.id),
    responseRate: reached === 0 ? 0 : funnel.interested / reached,
  };
}

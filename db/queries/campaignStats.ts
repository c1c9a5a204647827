// A campaign's funnel, counted from rows with a fixed number of statements per campaign.
import { and, eq, gt, isNull, lte, or, sql, sum } from 'drizzle-orm';
import type { Db } from '../client.js';
import { campaignCommunities, campaignSpend, communityMembers } from '../tables/index.js';

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
 * Interest, referral and conversion counts of the campaign's offers. The one place the customers
 * and referrals work plugs in (aggregates over interests, referral_requests and conversions joined
 * on offers.campaign_id); until those tables exist nothing can have happened.
 */
export function referralFunnel(_db: Db, _campaignId: string): ReferralFunnel {
  return { interested: 0, referralsRequested: 0, referralsAccepted: 0, conversions: 0, revenue: 0 };
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

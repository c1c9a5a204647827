// Who may see an A/B variant of a campaign: whoever may see the campaign, and once it is published
// the customers of its communities, to whom it is shown (a variant is the campaign's public text).
import type { Context } from '../../services/context.js';
import type { ViewerAccess } from './access.js';
import { campaignCommunityIdsOf, campaignOf, canSeeCampaign } from './campaigns.js';

export interface VariantRow {
  campaign: { allianceId: string; status: string; communities: { id: string }[] };
}

export function canSeeVariant(a: ViewerAccess, v: VariantRow): boolean {
  return canSeeCampaign(a, v.campaign) || (v.campaign.status === 'PUBLISHED' && v.campaign.communities.some((c) => a.communityIds.has(c.id)));
}

/** What canSeeVariant reads of a variant: its campaign and the campaign's communities, through the request's loaders. */
export async function variantAccessOf(ctx: Context, v: { campaignId: string }): Promise<VariantRow> {
  const [campaign, communityIds] = await Promise.all([campaignOf(ctx, v.campaignId), campaignCommunityIdsOf(ctx, v.campaignId)]);
  return { campaign: { allianceId: campaign.allianceId, status: campaign.status, communities: communityIds.map((id) => ({ id })) } };
}

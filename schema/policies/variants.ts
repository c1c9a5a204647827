// Who may see an A/B variant of a campaign: whoever may see the campaign, and once it is published
// the customers of its communities, to whom it is shown (a variant is the campaign's public text).
import type { ViewerAccess } from './access.js';
import { canSeeCampaign } from './campaigns.js';

/** The columns and relations canSeeVariant reads: the CampaignVariant type selects them on every load. */
export const variantAccessSelection = {
  columns: { campaignId: true },
  with: { campaign: { columns: { allianceId: true, status: true }, with: { communities: { columns: { id: true } } } } },
} as const;

export interface VariantRow {
  campaign: { allianceId: string; status: string; communities: { id: string }[] };
}

export function canSeeVariant(a: ViewerAccess, v: VariantRow): boolean {
  return canSeeCampaign(a, v.campaign) || (v.campaign.status === 'PUBLISHED' && v.campaign.communities.some((c) => a.communityIds.has(c.id)));
}

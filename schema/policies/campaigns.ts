// Campaigns are visible to the members of their alliance; their stats to participants only.
import type { Context } from '../../services/context.js';
import { rowOf, rowsWhere } from '../loaders.js';
import { ids, anyOf, type ViewerAccess, type Where } from './access.js';

export function canSeeCampaign(a: ViewerAccess, c: { allianceId: string }): boolean {
  return a.memberAllianceIds.has(c.allianceId);
}

export function campaignVisibleWhere(a: ViewerAccess): Where<'campaigns'> {
  return anyOf<'campaigns'>([a.memberAllianceIds.size > 0 && { allianceId: { in: ids(a.memberAllianceIds) } }]);
}

/** The organizer and the merchants that accepted. */
export function isCampaignParticipant(a: ViewerAccess, c: { id: string }): boolean {
  return a.campaignIds.has(c.id);
}

/**
 * The campaign a row belongs to (a participant, a link, a variant), for the rules that defer to
 * canSeeCampaign: batched with the request's other campaign reads.
 */
export const campaignOf = (ctx: Context, campaignId: string) => rowOf(ctx, 'campaigns', campaignId);

/** The ids of the communities a campaign targets, in id order: batched across the request's campaigns. */
export async function campaignCommunityIdsOf(ctx: Context, campaignId: string): Promise<string[]> {
  const rows = await rowsWhere(ctx, 'Campaign.communityIds', 'campaignCommunities', 'campaignId', campaignId, { orderBy: [['communityId', 'asc']] });
  return rows.map((r) => r.communityId);
}

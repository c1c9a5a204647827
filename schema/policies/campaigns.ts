// Campaigns are visible to the members of their alliance; their stats to participants only.
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

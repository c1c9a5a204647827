// A community is known to its alliance's members and to its own members (merchants or customers);
// a customer also sees the communities of alliances one of their merchants belongs to (to join them).
import { anyOf, ids, type ViewerAccess, type Where } from './access.js';

export interface CommunityRow {
  id: string;
  allianceId: string;
}

export function canSeeCommunity(a: ViewerAccess, c: CommunityRow): boolean {
  return a.memberAllianceIds.has(c.allianceId) || a.communityIds.has(c.id) || a.joinableAllianceIds.has(c.allianceId);
}

export function communityVisibleWhere(a: ViewerAccess): Where<'communities'> {
  return anyOf<'communities'>([
    a.memberAllianceIds.size > 0 && { allianceId: { in: ids(a.memberAllianceIds) } },
    a.communityIds.size > 0 && { id: { in: ids(a.communityIds) } },
    a.joinableAllianceIds.size > 0 && { allianceId: { in: ids(a.joinableAllianceIds) } },
  ]);
}

/** The feed of a community: its members and the admins of its alliance. */
export function canReadFeed(a: ViewerAccess, c: CommunityRow): boolean {
  return a.communityIds.has(c.id) || a.adminAllianceIds.has(c.allianceId);
}

// Who may see which alliance membership. Alliances themselves are a public directory.
import type { MembershipStatus } from '../../db/tables/index.js';
import { anyOf, ids, type ViewerAccess, type Where } from './access.js';

export interface MemberRow {
  allianceId: string;
  merchantId: string;
  status: MembershipStatus;
}

const isListedMember = (status: MembershipStatus) => status === 'APPROVED' || status === 'SUSPENDED';

/** A merchant sees its own applications; members see the member list; admins also see applications. */
export function canSeeMember(a: ViewerAccess, m: MemberRow): boolean {
  return (
    m.merchantId === a.merchantId ||
    a.adminAllianceIds.has(m.allianceId) ||
    (a.memberAllianceIds.has(m.allianceId) && isListedMember(m.status))
  );
}

export function memberVisibleWhere(a: ViewerAccess): Where<'allianceMembers'> {
  return anyOf<'allianceMembers'>([
    !!a.merchantId && { merchantId: a.merchantId },
    a.adminAllianceIds.size > 0 && { allianceId: { in: ids(a.adminAllianceIds) } },
    a.memberAllianceIds.size > 0 && { allianceId: { in: ids(a.memberAllianceIds) }, status: { in: ['APPROVED', 'SUSPENDED'] } },
  ]);
}

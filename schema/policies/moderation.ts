// Reports are seen by their reporter and by the admins of alliances carrying the offer; the log by admins.
import { anyOf, ids, type ViewerAccess, type Where } from './access.js';

export const reportAccessSelection = {
  columns: { reporterAccountId: true },
  with: { offer: { columns: {}, with: { placements: { columns: { allianceId: true } } } } },
} as const;

export interface ReportRow {
  reporterAccountId: string;
  offer: { placements: { allianceId: string }[] };
}

export function canSeeReport(a: ViewerAccess, r: ReportRow): boolean {
  return r.reporterAccountId === a.accountId || r.offer.placements.some((p) => a.adminAllianceIds.has(p.allianceId));
}

export function reportVisibleWhere(a: ViewerAccess): Where<'offerReports'> {
  return anyOf<'offerReports'>([
    !!a.accountId && { reporterAccountId: a.accountId },
    a.adminAllianceIds.size > 0 && { offer: { placements: { allianceId: { in: ids(a.adminAllianceIds) } } } },
  ]);
}

export function canSeeModerationAction(a: ViewerAccess, m: { allianceId: string }): boolean {
  return a.adminAllianceIds.has(m.allianceId);
}

export function moderationActionVisibleWhere(a: ViewerAccess): Where<'moderationActions'> {
  return anyOf<'moderationActions'>([a.adminAllianceIds.size > 0 && { allianceId: { in: ids(a.adminAllianceIds) } }]);
}

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

const administers = (a: ViewerAccess, offer: ReportRow['offer']) => offer.placements.some((p) => a.adminAllianceIds.has(p.allianceId));

export function canSeeReport(a: ViewerAccess, r: ReportRow): boolean {
  return r.reporterAccountId === a.accountId || administers(a, r.offer);
}

/** The columns and relations canDecideReport reads. */
export const reportDecisionSelection = {
  columns: { status: true },
  with: { offer: { columns: { merchantId: true }, with: { placements: { columns: { allianceId: true } } } } },
} as const;

/**
 * An open report is decided (the offer hidden, or the report dismissed) by an admin of an alliance
 * carrying the offer whose own shop did not post it; db/commands/moderation.ts enforces the same.
 */
export function canDecideReport(a: ViewerAccess, r: { status: string; offer: ReportRow['offer'] & { merchantId: string } }): boolean {
  return r.status === 'OPEN' && r.offer.merchantId !== a.merchantId && administers(a, r.offer);
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

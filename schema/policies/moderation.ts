// Reports are seen by their reporter and by the admins of alliances carrying the offer; the log by admins.
import type { Row } from '../../db/queries/rows.js';
import type { Context } from '../../services/context.js';
import { rowOf, rowsWhere } from '../loaders.js';
import { anyOf, ids, type ViewerAccess, type Where } from './access.js';

/** The reported offer's placements (the alliances carrying it), batched across the request's reports. */
const placementsOf = (ctx: Context, offerId: string) => rowsWhere(ctx, 'OfferReport.offer.placements', 'offerPlacements', 'offerId', offerId);

export interface ReportRow {
  reporterAccountId: string;
  offer: { placements: { allianceId: string }[] };
}

/** What canSeeReport reads of a report, loaded through the request's loaders. */
export async function reportAccessOf(ctx: Context, r: Row<'offerReports'>): Promise<ReportRow> {
  return { reporterAccountId: r.reporterAccountId, offer: { placements: await placementsOf(ctx, r.offerId) } };
}

const administers = (a: ViewerAccess, offer: ReportRow['offer']) => offer.placements.some((p) => a.adminAllianceIds.has(p.allianceId));

export function canSeeReport(a: ViewerAccess, r: ReportRow): boolean {
  return r.reporterAccountId === a.accountId || administers(a, r.offer);
}

export interface ReportDecisionRow {
  status: string;
  offer: ReportRow['offer'] & { merchantId: string };
}

/** What canDecideReport reads of a report, loaded through the request's loaders. */
export async function reportDecisionOf(ctx: Context, r: Row<'offerReports'>): Promise<ReportDecisionRow> {
  const [offer, placements] = await Promise.all([rowOf(ctx, 'offers', r.offerId), placementsOf(ctx, r.offerId)]);
  return { status: r.status, offer: { merchantId: offer.merchantId, placements } };
}

/**
 * An open report is decided (the offer hidden, or the report dismissed) by an admin of an alliance
 * carrying the offer whose own shop did not post it; db/commands/moderation.ts enforces the same.
 */
export function canDecideReport(a: ViewerAccess, r: ReportDecisionRow): boolean {
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

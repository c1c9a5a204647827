// Reports about offers and what alliance admins do with them. Every admin action is logged in each
// alliance whose communities carry the offer, since hiding it takes it out of all their feeds.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { allianceMembers, offerPlacements, offerReports, offers, type ModerationActionKind } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import { logAction, requireMerchantOwner, type Actor } from './alliance-guards.js';

/**
 * The alliances carrying the offer, once the actor is known to administer one of them and not to
 * be the offer's own shop: no one judges their own case, another admin decides.
 */
async function moderationScope(tx: Tx, offer: { id: string; merchantId: string }, actor: Actor) {
  const offerId = offer.id;
  const refused = 'Only admins of an alliance carrying this offer may moderate it.';
  await requireMerchantOwner(tx, actor, refused);
  if (offer.merchantId === actor.merchantId) throw forbidden('This offer is your own shop\'s: another admin of the alliance decides about it.');
  const placements = await tx.select({ allianceId: offerPlacements.allianceId }).from(offerPlacements).where(eq(offerPlacements.offerId, offerId));
  const allianceIds = [...new Set(placements.map((p) => p.allianceId))];
  const administered = allianceIds.length
    ? await tx
        .select({ allianceId: allianceMembers.allianceId })
        .from(allianceMembers)
        .where(
          and(
            eq(allianceMembers.merchantId, actor.merchantId),
            inArray(allianceMembers.allianceId, allianceIds),
            eq(allianceMembers.status, 'APPROVED'),
            inArray(allianceMembers.role, ['OWNER', 'ADMIN']),
          ),
        )
    : [];
  if (administered.length === 0) throw forbidden(refused);
  return allianceIds;
}

async function logInEach(tx: Tx, actor: Actor, allianceIds: string[], entry: { kind: ModerationActionKind; reason: string; offerId: string; reportId?: string }) {
  for (const allianceId of allianceIds) await logAction(tx, actor, { allianceId, ...entry });
}

/**
 * One OPEN report per reporter and offer. canSee is the viewer's offer visibility rule, applied
 * to the row as it is inside this transaction.
 */
export function reportOffer<Row>(db: Db, reporterAccountId: string, offerId: string, reason: string, load: (tx: Tx) => Promise<Row | undefined>, canSee: (row: Row) => boolean) {
  return inTransaction(db, async (tx) => {
    const row = await load(tx);
    if (!row || !canSee(row)) throw notFound('offer');
    const [open] = await tx
      .select({ id: offerReports.id })
      .from(offerReports)
      .where(and(eq(offerReports.offerId, offerId), eq(offerReports.reporterAccountId, reporterAccountId), eq(offerReports.status, 'OPEN')));
    if (open) throw conflict('You have already reported this offer; the admins will look at it.');
    const report = { id: newId(), offerId, reporterAccountId, reason, status: 'OPEN' as const, createdAt: nowIso(), closedAt: null };
    await tx.insert(offerReports).values(report);
    return report;
  });
}

/** Hiding takes the offer out of every feed and resolves its open reports; restoring brings it back. */
export function moderateOffer(db: Db, actor: Actor, offerId: string, hide: boolean, reason: string) {
  return inTransaction(db, async (tx) => {
    const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId));
    if (!offer) throw notFound('offer');
    const allianceIds = await moderationScope(tx, offer, actor);
    const from = hide ? 'PUBLISHED' : 'HIDDEN';
    if (offer.status !== from) throw conflict(hide ? 'Only a published offer can be hidden.' : 'This offer is not hidden.');
    const now = nowIso();
    const status = hide ? ('HIDDEN' as const) : ('PUBLISHED' as const);
    await tx.update(offers).set({ status, updatedAt: now }).where(eq(offers.id, offerId));
    if (hide) {
      await tx
        .update(offerReports)
        .set({ status: 'RESOLVED', closedAt: now })
        .where(and(eq(offerReports.offerId, offerId), eq(offerReports.status, 'OPEN')));
    }
    await logInEach(tx, actor, allianceIds, { kind: hide ? 'HIDE_OFFER' : 'RESTORE_OFFER', reason, offerId });
    return { ...offer, status, updatedAt: now };
  });
}

export function dismissReport(db: Db, actor: Actor, reportId: string, reason: string) {
  return inTransaction(db, async (tx) => {
    const [found] = await tx
      .select({ report: offerReports, offerMerchantId: offers.merchantId })
      .from(offerReports)
      .innerJoin(offers, eq(offers.id, offerReports.offerId))
      .where(eq(offerReports.id, reportId));
    if (!found) throw notFound('report');
    const { report } = found;
    const allianceIds = await moderationScope(tx, { id: report.offerId, merchantId: found.offerMerchantId }, actor);
    if (report.status !== 'OPEN') throw conflict('This report is already closed.');
    const closed = { status: 'DISMISSED' as const, closedAt: nowIso() };
    await tx.update(offerReports).set(closed).where(eq(offerReports.id, reportId));
    await logInEach(tx, actor, allianceIds, { kind: 'DISMISS_REPORT', reason, offerId: report.offerId, reportId });
    return { ...report, ...closed };
  });
}

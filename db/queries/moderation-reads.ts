// Reads for moderation: who may report an offer (read inside the report's transaction) and how an
// admin action names its actor (a merchant account's display name, nothing else of the account).
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { accounts, allianceMembers, offerPlacements, offers } from '../tables/index.js';
import type { Tx } from '../tx.js';

/** What the Offer type's visibility rule (canSeeOffer) reads of one offer. */
export interface OfferAccessRow {
  merchantId: string;
  campaignId: string | null;
  status: 'DRAFT' | 'PUBLISHED' | 'HIDDEN' | 'WITHDRAWN';
  placements: { communityId: string; allianceId: string; merchantMembership: { status: string } | null }[];
}

/**
 * The offer with its placements and, for each, its merchant's membership in the placement's
 * alliance, in one statement: undefined when there is no such offer. `db` may be a transaction,
 * so the check holds for the row the transaction writes against.
 */
export async function offerAccessRow(db: Db | Tx, offerId: string): Promise<OfferAccessRow | undefined> {
  const found = await db
    .select({
      merchantId: offers.merchantId,
      campaignId: offers.campaignId,
      status: offers.status,
      communityId: offerPlacements.communityId,
      allianceId: offerPlacements.allianceId,
      membershipStatus: allianceMembers.status,
      // Tells "no membership" from a membership row (status is never null in one).
      membershipMerchantId: allianceMembers.merchantId,
    })
    .from(offers)
    .leftJoin(offerPlacements, eq(offerPlacements.offerId, offers.id))
    .leftJoin(allianceMembers, and(eq(allianceMembers.allianceId, offerPlacements.allianceId), eq(allianceMembers.merchantId, offerPlacements.merchantId)))
    .where(eq(offers.id, offerId));
  const [first] = found;
  if (!first) return undefined;
  return {
    merchantId: first.merchantId,
    campaignId: first.campaignId,
    status: first.status,
    placements: found.flatMap((r) =>
      r.communityId !== null && r.allianceId !== null
        ? [{ communityId: r.communityId, allianceId: r.allianceId, merchantMembership: r.membershipMerchantId !== null ? { status: r.membershipStatus! } : null }]
        : [],
    ),
  };
}

/** Display names of accounts by id, in one statement (the only column of an account moderation shows). */
export async function displayNamesOf(db: Db, accountIds: readonly string[]): Promise<Map<string, string>> {
  const found = await db.select({ id: accounts.id, displayName: accounts.displayName }).from(accounts).where(inArray(accounts.id, [...accountIds]));
  return new Map(found.map((a) => [a.id, a.displayName]));
}

// Who may see an offer, and which placements a community feed lists.
import type { Placeholder } from 'drizzle-orm';
import { placementsOfOffers, type OfferPlacementAccess } from '../../db/queries/offers.js';
import type { Row } from '../../db/queries/rows.js';
import type { Context } from '../../services/context.js';
import { loaderFor } from '../loaders.js';
import { anyOf, ids, type ViewerAccess, type Where } from './access.js';

/** What canSeeOffer reads of an offer (offerAccessOf loads it for a row). */
export interface OfferRow {
  merchantId: string;
  campaignId: string | null;
  status: 'DRAFT' | 'PUBLISHED' | 'HIDDEN' | 'WITHDRAWN';
  placements: { communityId: string; allianceId: string; merchantMembership: { status: string } | null }[];
}

/**
 * The offering merchant always sees it; admins of an alliance whose community carries it see it
 * whatever its state (to moderate it); its campaign partners see it unless moderation hid it (a
 * hidden offer is between its merchant and the admins); a community member sees it while it is
 * published there and its merchant is not suspended in that alliance.
 */
export function canSeeOffer(a: ViewerAccess, o: OfferRow): boolean {
  if (a.merchantId && o.merchantId === a.merchantId) return true;
  if (o.campaignId && a.campaignIds.has(o.campaignId) && o.status !== 'HIDDEN') return true;
  return o.placements.some(
    (p) =>
      a.adminAllianceIds.has(p.allianceId) ||
      (o.status === 'PUBLISHED' && a.communityIds.has(p.communityId) && p.merchantMembership?.status === 'APPROVED'),
  );
}

/** An offer's placements as canSeeOffer reads them: every offer asked for in the same tick of a request in one statement. */
export function offerPlacementsOf(ctx: Context, offerId: string): Promise<OfferPlacementAccess[]> {
  return loaderFor<string, OfferPlacementAccess[]>(ctx, 'Offer.placements', async (offerIds) => {
    const found = await placementsOfOffers(ctx.deps.db, offerIds);
    return offerIds.map((id) => found.get(id) ?? []);
  }).load(offerId);
}

/** What canSeeOffer reads of an offer row: the row's own columns and its placements (batched). */
export async function offerAccessOf(ctx: Context, o: Pick<Row<'offers'>, 'id' | 'merchantId' | 'campaignId' | 'status'>): Promise<OfferRow> {
  const { merchantId, campaignId, status } = o;
  return { merchantId, campaignId, status, placements: await offerPlacementsOf(ctx, o.id) };
}

export function offerVisibleWhere(a: ViewerAccess): Where<'offers'> {
  return anyOf<'offers'>([
    !!a.merchantId && { merchantId: a.merchantId },
    a.campaignIds.size > 0 && { campaignId: { in: ids(a.campaignIds) }, status: { ne: 'HIDDEN' } },
    a.adminAllianceIds.size > 0 && { placements: { allianceId: { in: ids(a.adminAllianceIds) } } },
    a.communityIds.size > 0 && {
      status: 'PUBLISHED',
      placements: { communityId: { in: ids(a.communityIds) }, merchantMembership: { status: 'APPROVED' } },
    },
  ]);
}

/**
 * A feed lists a placement while its offer is published and unexpired and its merchant is not
 * suspended in the alliance: a subset of what canSeeOffer lets the feed's readers see. `now` and
 * `category` may be placeholders of a prepared statement.
 */
export function listedPlacementWhere(now: string | Placeholder, category?: string | Placeholder | null): Where<'offerPlacements'> {
  return {
    merchantMembership: { status: 'APPROVED' },
    offer: { status: 'PUBLISHED', endsAt: { gt: now }, ...(category ? { category } : {}) },
  };
}

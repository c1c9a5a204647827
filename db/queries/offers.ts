// The read behind the Offer type's rule that the generic flat reads (rows.ts) do not cover: an
// offer's placements and, for each, its merchant's membership in the placement's alliance, for
// every offer of a page in one narrow statement. Its relations (merchant, campaign, communities)
// load by id like any other row's.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { allianceMembers, offerPlacements } from '../tables/index.js';
import { preparedPer, statementName } from './prepared.js';

/** One community carrying an offer, as canSeeOffer reads it. */
export interface OfferPlacementAccess {
  communityId: string;
  allianceId: string;
  /** The offering merchant's membership in the placement's alliance (null for none). */
  merchantMembership: { status: string } | null;
}

/** The statement for `n` offer ids (placeholders id0..id{n-1}): a row per placement. */
const placementsQuery = (db: Db, n: number) =>
  db
    .select({
      offerId: offerPlacements.offerId,
      communityId: offerPlacements.communityId,
      allianceId: offerPlacements.allianceId,
      // Null where the merchant has no membership there (left joined; status is never null in a row).
      membership: allianceMembers.status,
    })
    .from(offerPlacements)
    .leftJoin(allianceMembers, and(eq(allianceMembers.allianceId, offerPlacements.allianceId), eq(allianceMembers.merchantId, offerPlacements.merchantId)))
    .where(inArray(offerPlacements.offerId, Array.from({ length: n }, (_, i) => sql.placeholder(`id${i}`))));

type PlacementsStatement = { execute(values: Record<string, unknown>): unknown };

// A page's worth of ids is asked for on nearly every request that shows offers: prepared once per
// database and size. Sizes are rounded up to a few (the last id repeated), so a handful of
// statements serve every page size.
const SIZES = [1, 2, 5, 10, 20, 50, 100];
const statements = preparedPer(() => new Map<number, PlacementsStatement>());

function placementsStatement(db: Db, size: number): PlacementsStatement {
  const bySize = statements(db);
  let statement = bySize.get(size);
  if (!statement) {
    statement = placementsQuery(db, size).prepare(...statementName(`offer_placements_access_${size}`)) as PlacementsStatement;
    bySize.set(size, statement);
  }
  return statement;
}

type PlacementRow = Awaited<ReturnType<ReturnType<typeof placementsQuery>['execute']>>[number];

/**
 * The placements of each of `offerIds` with the offering merchant's membership status in each
 * placement's alliance, in one narrow statement: what canSeeOffer reads beside the offer's row.
 */
export async function placementsOfOffers(db: Db, offerIds: readonly string[]): Promise<Map<string, OfferPlacementAccess[]>> {
  const found = new Map<string, OfferPlacementAccess[]>(offerIds.map((id) => [id, []]));
  const ids = [...new Set(offerIds)];
  if (ids.length === 0) return found;
  const size = SIZES.find((n) => n >= ids.length) ?? ids.length;
  const values = Object.fromEntries(Array.from({ length: size }, (_, i) => [`id${i}`, ids[Math.min(i, ids.length - 1)]]));
  for (const row of (await placementsStatement(db, size).execute(values)) as PlacementRow[]) {
    found.get(row.offerId)?.push({ communityId: row.communityId, allianceId: row.allianceId, merchantMembership: row.membership ? { status: row.membership } : null });
  }
  return found;
}

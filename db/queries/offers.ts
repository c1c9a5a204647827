// The reads behind the Offer type that the generic flat reads (rows.ts) do not cover: an offer with
// what its visibility rule reads (its placements and, for each, its merchant's membership in the
// placement's alliance) and what a page of offers shows beside its own columns (its merchant, its
// campaign, the communities carrying it), for every offer of a page in one statement.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { allianceMembers, campaigns, communities, merchants, offerPlacements, offers } from '../tables/index.js';
import { preparedPer, statementName } from './prepared.js';
import type { Row } from './rows.js';

/** One community carrying an offer, as canSeeOffer reads it, with the community's row. */
export interface OfferPlacementContext {
  communityId: string;
  allianceId: string;
  /** The offering merchant's membership in the placement's alliance (null for none). */
  merchantMembership: { status: string } | null;
  community: Row<'communities'>;
}

/** An offer's row with its merchant, its campaign (whoever may see it) and its placements. */
export interface OfferContext {
  offer: Row<'offers'>;
  merchant: Row<'merchants'>;
  campaign: Row<'campaigns'> | null;
  placements: OfferPlacementContext[];
}

/** The statement for `n` offer ids (placeholders id0..id{n-1}): a row per placement of each offer. */
const contextQuery = (db: Db, n: number) =>
  db
    .select({
      offer: offers,
      merchant: merchants,
      campaign: campaigns,
      placement: { communityId: offerPlacements.communityId, allianceId: offerPlacements.allianceId },
      // Null where the merchant has no membership there (left joined; status is never null in a row).
      membership: { status: allianceMembers.status },
      community: communities,
    })
    .from(offers)
    .innerJoin(merchants, eq(merchants.id, offers.merchantId))
    .leftJoin(campaigns, eq(campaigns.id, offers.campaignId))
    .leftJoin(offerPlacements, eq(offerPlacements.offerId, offers.id))
    .leftJoin(allianceMembers, and(eq(allianceMembers.allianceId, offerPlacements.allianceId), eq(allianceMembers.merchantId, offerPlacements.merchantId)))
    .leftJoin(communities, eq(communities.id, offerPlacements.communityId))
    .where(inArray(offers.id, Array.from({ length: n }, (_, i) => sql.placeholder(`id${i}`))));

type ContextStatement = { execute(values: Record<string, unknown>): unknown };

// A page's worth of ids is asked for on nearly every request that shows offers: prepared once per
// database and size. Sizes are rounded up to a few (the last id repeated), so a handful of
// statements serve every page size.
const SIZES = [1, 2, 5, 10, 20, 50, 100];
const statements = preparedPer(() => new Map<number, ContextStatement>());

function contextStatement(db: Db, size: number): ContextStatement {
  const bySize = statements(db);
  let statement = bySize.get(size);
  if (!statement) {
    statement = contextQuery(db, size).prepare(...statementName(`offer_contexts_${size}`)) as ContextStatement;
    bySize.set(size, statement);
  }
  return statement;
}

type ContextRow = Awaited<ReturnType<ReturnType<typeof contextQuery>['execute']>>[number];

/**
 * The offers of `offerIds` with their merchant, campaign and placements (each with the merchant's
 * membership in the placement's alliance and the community), in one statement; an id with no
 * offer is left out. `db` may be a transaction.
 */
export async function offerContexts(db: Db, offerIds: readonly string[]): Promise<Map<string, OfferContext>> {
  const found = new Map<string, OfferContext>();
  const ids = [...new Set(offerIds)];
  if (ids.length === 0) return found;
  const size = SIZES.find((n) => n >= ids.length) ?? ids.length;
  const values = Object.fromEntries(Array.from({ length: size }, (_, i) => [`id${i}`, ids[Math.min(i, ids.length - 1)]]));
  const rows = (await contextStatement(db, size).execute(values)) as ContextRow[];
  for (const row of rows) {
    let context = found.get(row.offer.id);
    if (!context) found.set(row.offer.id, (context = { offer: row.offer, merchant: row.merchant, campaign: row.campaign, placements: [] }));
    if (row.placement && row.community) {
      context.placements.push({
        communityId: row.placement.communityId,
        allianceId: row.placement.allianceId,
        merchantMembership: row.membership ? { status: row.membership.status } : null,
        community: row.community,
      });
    }
  }
  return found;
}

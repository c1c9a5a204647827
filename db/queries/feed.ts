// What a feed card shows of each offer on a page, loaded by offer id in flat prepared joins (the
// offers with merchant and campaign, their placements with community and membership, and the
// reader's interests) and shaped as the relational query would return it. No visibility rule
// applies here: the page's ids come from a filtered query, and the caller filters what it nests
// (see schema/feed.ts). Flat joins cost SQLite a fraction of the relational query's nested JSON.
import { eq, and, getColumns, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { jsonArrayValues } from '../dialect/kit.js';
import { allianceMembers, campaigns, communities, interests, merchants, offerPlacements, offers } from '../tables/index.js';
import { preparedPer, statementName } from './prepared.js';

const pick = <T extends Record<string, unknown>, K extends keyof T>(table: T, ...keys: K[]) => Object.fromEntries(keys.map((k) => [k, table[k]])) as Pick<T, K>;

const offerColumns = ['id', 'merchantId', 'campaignId', 'status', 'title', 'body', 'category', 'startsAt', 'endsAt'] as const;
const merchantColumns = ['id', 'name', 'category', 'city', 'publicContact'] as const;
const campaignColumns = ['id', 'allianceId', 'title', 'status'] as const;
const placementColumns = ['id', 'communityId', 'allianceId'] as const;
const membershipColumns = ['id', 'status'] as const;
const communityColumns = ['id', 'allianceId', 'name', 'status'] as const;

const flag = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, true]));

/**
 * The relational-query selection a card answers, beneath an offer: the columns the types' scopes
 * read and those a feed card shows, and the reader's own interest in the offer (the ids of at most
 * one). A plan asking for more takes the planned query.
 */
export const FEED_CARD_SELECTION = {
  columns: flag(offerColumns),
  with: {
    placements: { columns: flag(placementColumns), with: { merchantMembership: { columns: flag(membershipColumns) } } },
    merchant: { columns: flag(merchantColumns) },
    communities: { columns: flag(communityColumns), orderBy: { id: 'asc' } },
    campaign: { columns: flag(campaignColumns) },
    interests: { columns: flag(['id']) },
  },
};

const statements = preparedPer((db) => {
  // The page's ids arrive as one JSON array parameter, so each statement is prepared once for any page size.
  const idsIn = jsonArrayValues(db, sql.placeholder('ids'));
  return {
    offers: db
      .select({ offer: pick(getColumns(offers), ...offerColumns), merchant: pick(getColumns(merchants), ...merchantColumns), campaign: pick(getColumns(campaigns), ...campaignColumns) })
      .from(offers)
      .innerJoin(merchants, eq(merchants.id, offers.merchantId))
      .leftJoin(campaigns, eq(campaigns.id, offers.campaignId))
      .where(inArray(offers.id, idsIn))
      .prepare(...statementName('feed_card_offers')),
    placements: db
      .select({
        offerId: offerPlacements.offerId,
        placement: pick(getColumns(offerPlacements), ...placementColumns),
        membership: pick(getColumns(allianceMembers), ...membershipColumns),
        community: pick(getColumns(communities), ...communityColumns),
      })
      .from(offerPlacements)
      .innerJoin(communities, eq(communities.id, offerPlacements.communityId))
      .leftJoin(allianceMembers, and(eq(allianceMembers.allianceId, offerPlacements.allianceId), eq(allianceMembers.merchantId, offerPlacements.merchantId)))
      .where(inArray(offerPlacements.offerId, idsIn))
      .orderBy(communities.id)
      .prepare(...statementName('feed_card_placements')),
    interests: db
      .select({ offerId: interests.offerId, id: interests.id })
      .from(interests)
      .where(and(eq(interests.accountId, sql.placeholder('account')), inArray(interests.offerId, idsIn)))
      .prepare(...statementName('feed_card_interests')),
  };
});

type OfferRow = Awaited<ReturnType<ReturnType<typeof statements>['offers']['execute']>>[number];
type PlacementRow = Awaited<ReturnType<ReturnType<typeof statements>['placements']['execute']>>[number];

export type FeedCard = OfferRow['offer'] & {
  merchant: OfferRow['merchant'];
  campaign: OfferRow['campaign'];
  placements: (PlacementRow['placement'] & { merchantMembership: PlacementRow['membership'] })[];
  communities: PlacementRow['community'][];
  interests: { id: string }[];
};

/** The cards of these offers by id (an id with no offer has no card), with `reader`'s interests in them (none without a reader). */
export async function feedCards(db: Db, offerIds: readonly string[], reader: string | null): Promise<Map<string, FeedCard>> {
  const q = statements(db);
  const ids = JSON.stringify(offerIds);
  const [offerRows, interestRows, placementRows] = await Promise.all([
    q.offers.execute({ ids }),
    reader ? q.interests.execute({ ids, account: reader }) : [],
    q.placements.execute({ ids }),
  ]);
  const cards = new Map<string, FeedCard>();
  for (const { offer, merchant, campaign } of offerRows) {
    cards.set(offer.id, { ...offer, merchant, campaign, placements: [], communities: [], interests: [] });
  }
  // An account has at most one interest in an offer (a unique index).
  for (const { offerId, id } of interestRows) cards.get(offerId)?.interests.push({ id });
  for (const { offerId, placement, membership, community } of placementRows) {
    const card = cards.get(offerId);
    if (!card) continue;
    card.placements.push({ ...placement, merchantMembership: membership });
    card.communities.push(community);
  }
  return cards;
}

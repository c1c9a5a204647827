import { sql } from 'drizzle-orm';
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { merchants } from './accounts.js';
import { alliances, communities } from './alliances.js';
import { campaigns } from './campaigns.js';
import { media } from './media.js';

/** A merchant's offer. EXPIRED is derived from ends_at and never stored. */
export const offers = sqliteTable(
  'offers',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    title: text('title').notNull(),
    body: text('body').notNull(),
    category: text('category').notNull(),
    startsAt: text('starts_at').notNull(),
    endsAt: text('ends_at').notNull(),
    status: text('status', { enum: ['DRAFT', 'PUBLISHED', 'HIDDEN', 'WITHDRAWN'] }).notNull(),
    campaignId: text('campaign_id').references(() => campaigns.id),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    posterMediaId: text('poster_media_id').references(() => media.id),
  },
  (t) => [index('offers_merchant_idx').on(t.merchantId, t.id), index('offers_campaign_idx').on(t.campaignId)],
);

/**
 * Where an offer is published. alliance_id and merchant_id copy the community's alliance and the
 * offer's merchant so feeds can drop a suspended merchant's offers without extra joins.
 */
export const offerPlacements = sqliteTable(
  'offer_placements',
  {
    id: text('id').primaryKey(),
    offerId: text('offer_id')
      .notNull()
      .references(() => offers.id),
    communityId: text('community_id')
      .notNull()
      .references(() => communities.id),
    allianceId: text('alliance_id')
      .notNull()
      .references(() => alliances.id),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    // Set when the placement came from publishing a campaign (those do not count against post limits).
    campaignId: text('campaign_id').references(() => campaigns.id),
    postedAt: text('posted_at').notNull(),
  },
  (t) => [
    uniqueIndex('offer_placements_offer_community_uq').on(t.offerId, t.communityId),
    index('offer_placements_feed_idx').on(t.communityId, t.postedAt, t.id),
    index('offer_placements_rate_idx')
      .on(t.merchantId, t.communityId, t.postedAt)
      .where(sql`${t.campaignId} is null`),
    index('offer_placements_alliance_idx').on(t.allianceId, t.offerId),
  ],
);

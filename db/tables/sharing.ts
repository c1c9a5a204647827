import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { accounts, merchants } from './accounts.js';
import { communities } from './alliances.js';
import { campaignVariants, campaigns } from './campaigns.js';
import { offers } from './offers.js';

/**
 * A share poster's channel: the code its QR carries, and what it points to (an offer or a
 * campaign, in a community, for a variant). Scans and visits are counted per channel and day:
 * counts only, never who scanned.
 */
export const shareChannels = sqliteTable(
  'share_channels',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull().unique(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    createdByAccountId: text('created_by_account_id')
      .notNull()
      .references(() => accounts.id),
    offerId: text('offer_id').references(() => offers.id),
    campaignId: text('campaign_id').references(() => campaigns.id),
    communityId: text('community_id').references(() => communities.id),
    variantId: text('variant_id').references(() => campaignVariants.id),
    label: text('label').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('share_channels_campaign_idx').on(t.campaignId), index('share_channels_offer_idx').on(t.offerId), index('share_channels_merchant_idx').on(t.merchantId, t.createdAt)],
);

export const shareCounts = sqliteTable(
  'share_counts',
  {
    channelId: text('channel_id')
      .notNull()
      .references(() => shareChannels.id),
    // UTC day, YYYY-MM-DD.
    day: text('day').notNull(),
    scans: integer('scans').notNull().default(0),
    visits: integer('visits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.day] })],
);

import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { accounts, merchants } from './accounts.js';
import { alliances, communities } from './alliances.js';

/** A joint campaign of alliance members: its offers are published into all its communities at once. */
export const campaigns = sqliteTable(
  'campaigns',
  {
    id: text('id').primaryKey(),
    allianceId: text('alliance_id')
      .notNull()
      .references(() => alliances.id),
    organizerMerchantId: text('organizer_merchant_id')
      .notNull()
      .references(() => merchants.id),
    title: text('title').notNull(),
    description: text('description').notNull(),
    startsAt: text('starts_at').notNull(),
    endsAt: text('ends_at').notNull(),
    // ENDED is derived from endsAt; it is never stored.
    status: text('status', { enum: ['DRAFT', 'PUBLISHED', 'CANCELLED'] }).notNull(),
    budget: integer('budget').notNull(),
    expectedResponses: integer('expected_responses').notNull(),
    createdAt: text('created_at').notNull(),
    publishedAt: text('published_at'),
  },
  (t) => [index('campaigns_alliance_idx').on(t.allianceId, t.id)],
);

export const campaignParticipants = sqliteTable(
  'campaign_participants',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    status: text('status', { enum: ['INVITED', 'ACCEPTED', 'DECLINED'] }).notNull(),
    isOrganizer: integer('is_organizer', { mode: 'boolean' }).notNull(),
    invitedAt: text('invited_at').notNull(),
    respondedAt: text('responded_at'),
  },
  (t) => [
    uniqueIndex('campaign_participants_campaign_merchant_uq').on(t.campaignId, t.merchantId),
    index('campaign_participants_merchant_idx').on(t.merchantId, t.status),
  ],
);

export const campaignCommunities = sqliteTable(
  'campaign_communities',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    communityId: text('community_id')
      .notNull()
      .references(() => communities.id),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.communityId] }), index('campaign_communities_community_idx').on(t.communityId)],
);

/** Money spent on a campaign, in fen; the total is the sum of the rows. */
export const campaignSpend = sqliteTable(
  'campaign_spend',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    amount: integer('amount').notNull(),
    note: text('note'),
    recordedByAccountId: text('recorded_by_account_id')
      .notNull()
      .references(() => accounts.id),
    recordedAt: text('recorded_at').notNull(),
  },
  (t) => [index('campaign_spend_campaign_idx').on(t.campaignId)],
);

import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { accounts, merchants } from './accounts.js';
import { alliances, communities } from './alliances.js';
import { media } from './media.js';

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
    posterMediaId: text('poster_media_id').references(() => media.id),
    // What A/B variants are split by: each community, or each customer account.
    variantUnit: text('variant_unit', { enum: ['COMMUNITY', 'CUSTOMER'] })
      .notNull()
      .default('COMMUNITY'),
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

/** An activity or livestream link of a campaign (https only), shown as a button from its start. */
export const campaignLinks = sqliteTable(
  'campaign_links',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    kind: text('kind', { enum: ['ACTIVITY', 'LIVESTREAM'] }).notNull(),
    title: text('title').notNull(),
    url: text('url').notNull(),
    startsAt: text('starts_at').notNull(),
    endsAt: text('ends_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('campaign_links_campaign_idx').on(t.campaignId, t.startsAt)],
);

/** One presentation (title, text, poster) of a campaign in an A/B test; labels are A, B, C… */
export const campaignVariants = sqliteTable(
  'campaign_variants',
  {
    id: text('id').primaryKey(),
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    label: text('label').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    posterMediaId: text('poster_media_id').references(() => media.id),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('campaign_variants_campaign_label_uq').on(t.campaignId, t.label)],
);

/**
 * Which variant a customer account was shown, fixed the first time it was (by its community or by
 * itself, as the campaign splits): the funnel per variant counts from these rows.
 */
export const campaignVariantAssignments = sqliteTable(
  'campaign_variant_assignments',
  {
    campaignId: text('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    variantId: text('variant_id')
      .notNull()
      .references(() => campaignVariants.id),
    assignedAt: text('assigned_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.accountId] }), index('campaign_variant_assignments_variant_idx').on(t.variantId)],
);

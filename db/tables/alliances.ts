import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { accounts, merchants } from './accounts.js';

export const ALLIANCE_ROLES = ['OWNER', 'ADMIN', 'MEMBER'] as const;
export const MEMBERSHIP_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'SUSPENDED'] as const;
export type AllianceRole = (typeof ALLIANCE_ROLES)[number];
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/** A local group of merchants sharing communities. Listed publicly so merchants can apply. */
export const alliances = sqliteTable(
  'alliances',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    city: text('city').notNull(),
    description: text('description').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('alliances_city_idx').on(t.city, t.id)],
);

/** One row per merchant and alliance: the application, then the membership it became. */
export const allianceMembers = sqliteTable(
  'alliance_members',
  {
    id: text('id').primaryKey(),
    allianceId: text('alliance_id')
      .notNull()
      .references(() => alliances.id),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    role: text('role', { enum: ALLIANCE_ROLES }).notNull(),
    status: text('status', { enum: MEMBERSHIP_STATUSES }).notNull(),
    message: text('message'),
    appliedAt: text('applied_at').notNull(),
    // Set when first approved; kept through suspension.
    joinedAt: text('joined_at'),
    decidedAt: text('decided_at'),
  },
  (t) => [
    uniqueIndex('alliance_members_alliance_merchant_uq').on(t.allianceId, t.merchantId),
    index('alliance_members_alliance_status_idx').on(t.allianceId, t.status, t.id),
    index('alliance_members_merchant_idx').on(t.merchantId, t.status),
  ],
);

export const communities = sqliteTable(
  'communities',
  {
    id: text('id').primaryKey(),
    allianceId: text('alliance_id')
      .notNull()
      .references(() => alliances.id),
    name: text('name').notNull(),
    description: text('description').notNull(),
    rules: text('rules').notNull(),
    status: text('status', { enum: ['OPEN', 'ARCHIVED'] }).notNull(),
    // Offers one merchant may post into this community per rolling 24 hours.
    postLimitPerDay: integer('post_limit_per_day').notNull().default(5),
    createdAt: text('created_at').notNull(),
    archivedAt: text('archived_at'),
  },
  (t) => [index('communities_alliance_idx').on(t.allianceId, t.id)],
);

/**
 * Who is in a community: a merchant (merchant_id) or a customer account (account_id), never both.
 * Leaving sets left_at instead of deleting, so campaign reach can be counted as of publication.
 */
export const communityMembers = sqliteTable(
  'community_members',
  {
    id: text('id').primaryKey(),
    communityId: text('community_id')
      .notNull()
      .references(() => communities.id),
    kind: text('kind', { enum: ['MERCHANT', 'CUSTOMER'] }).notNull(),
    merchantId: text('merchant_id').references(() => merchants.id),
    accountId: text('account_id').references(() => accounts.id),
    joinedAt: text('joined_at').notNull(),
    leftAt: text('left_at'),
  },
  (t) => [
    check(
      'community_members_one_member_ck',
      sql`(${t.kind} = 'MERCHANT' and ${t.merchantId} is not null and ${t.accountId} is null) or (${t.kind} = 'CUSTOMER' and ${t.accountId} is not null and ${t.merchantId} is null)`,
    ),
    uniqueIndex('community_members_current_merchant_uq')
      .on(t.communityId, t.merchantId)
      .where(sql`${t.leftAt} is null and ${t.merchantId} is not null`),
    uniqueIndex('community_members_current_account_uq')
      .on(t.communityId, t.accountId)
      .where(sql`${t.leftAt} is null and ${t.accountId} is not null`),
    index('community_members_community_kind_idx').on(t.communityId, t.kind, t.joinedAt),
    index('community_members_merchant_idx').on(t.merchantId),
    index('community_members_account_idx').on(t.accountId),
  ],
);

import { sql } from 'drizzle-orm';
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { accounts, merchants } from './accounts.js';
import { alliances, communities } from './alliances.js';
import { offers } from './offers.js';

export const offerReports = sqliteTable(
  'offer_reports',
  {
    id: text('id').primaryKey(),
    offerId: text('offer_id')
      .notNull()
      .references(() => offers.id),
    reporterAccountId: text('reporter_account_id')
      .notNull()
      .references(() => accounts.id),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['OPEN', 'RESOLVED', 'DISMISSED'] }).notNull(),
    createdAt: text('created_at').notNull(),
    closedAt: text('closed_at'),
  },
  (t) => [
    // One open report per reporter and offer.
    uniqueIndex('offer_reports_open_uq').on(t.offerId, t.reporterAccountId).where(sql`${t.status} = 'OPEN'`),
    index('offer_reports_offer_status_idx').on(t.offerId, t.status),
    index('offer_reports_status_idx').on(t.status, t.id),
  ],
);

export const MODERATION_ACTION_KINDS = [
  'HIDE_OFFER',
  'RESTORE_OFFER',
  'DISMISS_REPORT',
  'SUSPEND_MERCHANT',
  'REINSTATE_MERCHANT',
  'APPROVE_MEMBER',
  'REJECT_MEMBER',
  'ARCHIVE_COMMUNITY',
] as const;
export type ModerationActionKind = (typeof MODERATION_ACTION_KINDS)[number];

/** Append-only log of every admin action in an alliance. */
export const moderationActions = sqliteTable(
  'moderation_actions',
  {
    id: text('id').primaryKey(),
    allianceId: text('alliance_id')
      .notNull()
      .references(() => alliances.id),
    kind: text('kind', { enum: MODERATION_ACTION_KINDS }).notNull(),
    actorAccountId: text('actor_account_id')
      .notNull()
      .references(() => accounts.id),
    reason: text('reason').notNull(),
    offerId: text('offer_id').references(() => offers.id),
    merchantId: text('merchant_id').references(() => merchants.id),
    communityId: text('community_id').references(() => communities.id),
    reportId: text('report_id').references(() => offerReports.id),
    at: text('at').notNull(),
  },
  (t) => [index('moderation_actions_alliance_idx').on(t.allianceId, t.at, t.id)],
);

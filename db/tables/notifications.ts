import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { accounts, merchants } from './accounts.js';
import { referralRequests } from './referrals.js';

/** A change of a referral request worth telling its parties about. GRANT_ENDED: an accepted grant ran out. */
export type ReferralEventKind = 'CREATED' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN' | 'REVOKED' | 'GRANT_ENDED';
export const REFERRAL_EVENT_KINDS = ['CREATED', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN', 'REVOKED', 'GRANT_ENDED'] as const;

export type NotificationChannel = 'IN_APP' | 'SMS' | 'WECHAT' | 'EMAIL';
export type NotificationStatus = 'PENDING' | 'DELIVERED' | 'DEAD' | 'SKIPPED';

/**
 * The outbox: one row per change, written in the transaction that made the change, so a change
 * is never announced without happening nor happens without being announced. The worker fans
 * each row out to `notifications` and stamps `dispatched_at`, then hands it to live subscribers
 * and stamps `published_at` once Redis took it (an event published while Redis is away waits).
 */
export const referralEvents = sqliteTable(
  'referral_events',
  {
    id: text('id').primaryKey(),
    referralId: text('referral_id')
      .notNull()
      .references(() => referralRequests.id),
    kind: text('kind', { enum: REFERRAL_EVENT_KINDS }).notNull(),
    createdAt: text('created_at').notNull(),
    dispatchedAt: text('dispatched_at'),
    publishedAt: text('published_at'),
  },
  (t) => [
    index('referral_events_undispatched_idx').on(t.id).where(sql`${t.dispatchedAt} is null`),
    index('referral_events_unpublished_idx').on(t.id).where(sql`${t.publishedAt} is null`),
    // A process whose Redis subscription dropped reads what was published meanwhile.
    index('referral_events_published_idx').on(t.publishedAt),
    index('referral_events_referral_idx').on(t.referralId, t.kind),
  ],
);

/**
 * One message to one recipient (a customer account, or a merchant and all its staff) on one
 * channel. IN_APP rows are the inbox, delivered when written; the others wait for the gateway,
 * with retries, until DELIVERED or DEAD (the last error kept). No contact details here.
 */
export const notifications = sqliteTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => referralEvents.id),
    referralId: text('referral_id')
      .notNull()
      .references(() => referralRequests.id),
    kind: text('kind', { enum: REFERRAL_EVENT_KINDS }).notNull(),
    accountId: text('account_id').references(() => accounts.id),
    merchantId: text('merchant_id').references(() => merchants.id),
    channel: text('channel', { enum: ['IN_APP', 'SMS', 'WECHAT', 'EMAIL'] }).notNull(),
    // Urgent messages are sent during quiet hours too.
    urgent: integer('urgent', { mode: 'boolean' }).notNull(),
    status: text('status', { enum: ['PENDING', 'DELIVERED', 'DEAD', 'SKIPPED'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    deliveredAt: text('delivered_at'),
    readAt: text('read_at'),
  },
  (t) => [
    index('notifications_account_idx').on(t.accountId, t.channel, t.id),
    index('notifications_merchant_idx').on(t.merchantId, t.channel, t.id),
    index('notifications_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'PENDING'`),
  ],
);

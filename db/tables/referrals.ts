import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { accounts, merchants, privacyNotices } from './accounts.js';
import { customers, type ContactField } from './customers.js';
import { offers } from './offers.js';

/** A customer account's "I'm interested" in an offer; carries no personal information. */
export const interests = sqliteTable(
  'interests',
  {
    id: text('id').primaryKey(),
    offerId: text('offer_id')
      .notNull()
      .references(() => offers.id),
    // The offering merchant, copied so its access rule needs no join.
    offerMerchantId: text('offer_merchant_id')
      .notNull()
      .references(() => merchants.id),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    // The customer record (at the originating merchant) the interest is attributed to.
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    originMerchantId: text('origin_merchant_id')
      .notNull()
      .references(() => merchants.id),
    note: text('note'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('interests_offer_account_uq').on(t.offerId, t.accountId), index('interests_offer_idx').on(t.offerId, t.id)],
);

export type ReferralStatus = 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN' | 'REVOKED';

export const referralRequests = sqliteTable(
  'referral_requests',
  {
    id: text('id').primaryKey(),
    status: text('status', { enum: ['PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN', 'REVOKED'] }).notNull(),
    requesterMerchantId: text('requester_merchant_id')
      .notNull()
      .references(() => merchants.id),
    originMerchantId: text('origin_merchant_id')
      .notNull()
      .references(() => merchants.id),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    // Who proposed it: the requester (from an interest) or the originating merchant.
    initiatedBy: text('initiated_by', { enum: ['REQUESTER', 'ORIGIN'] }).notNull(),
    interestId: text('interest_id')
      .unique()
      .references(() => interests.id),
    offerId: text('offer_id').references(() => offers.id),
    purpose: text('purpose').notNull(),
    requestedFields: text('requested_fields', { mode: 'json' }).$type<ContactField[]>().notNull(),
    grantedFields: text('granted_fields', { mode: 'json' }).$type<ContactField[]>().notNull(),
    retentionDays: integer('retention_days').notNull(),
    message: text('message'),
    // The requester's privacy notice in force when the request was made (shown to the customer).
    requesterNoticeId: text('requester_notice_id').references(() => privacyNotices.id),
    requesterNoticeVersion: integer('requester_notice_version'),
    consentReceipt: text('consent_receipt'),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    decidedAt: text('decided_at'),
    // When the person could first see it: at once on a confirmed record; a request on a record
    // the person has not confirmed is held (null) until she confirms it. Caps count delivered ones only.
    deliveredAt: text('delivered_at'),
  },
  (t) => [
    index('referrals_customer_idx').on(t.customerId, t.createdAt),
    index('referrals_requester_idx').on(t.requesterMerchantId, t.id),
    index('referrals_origin_idx').on(t.originMerchantId, t.id),
    index('referrals_status_expires_idx').on(t.status, t.expiresAt),
  ],
);

/** Created on acceptance: which fields the requester may read, until when, unless revoked. */
export const contactGrants = sqliteTable(
  'contact_grants',
  {
    id: text('id').primaryKey(),
    referralId: text('referral_id')
      .notNull()
      .unique()
      .references(() => referralRequests.id),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    fields: text('fields', { mode: 'json' }).$type<ContactField[]>().notNull(),
    grantedAt: text('granted_at').notNull(),
    validUntil: text('valid_until').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [index('contact_grants_customer_idx').on(t.customerId)],
);

/** A sale the requester records on an accepted referral (amount in fen). */
export const conversions = sqliteTable(
  'conversions',
  {
    id: text('id').primaryKey(),
    referralId: text('referral_id')
      .notNull()
      .references(() => referralRequests.id),
    amount: integer('amount').notNull(),
    at: text('at').notNull(),
  },
  (t) => [index('conversions_referral_idx').on(t.referralId)],
);

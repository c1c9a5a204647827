import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { accounts, merchants } from './accounts.js';

export type ContactField = 'NAME' | 'PHONE' | 'ADDRESS' | 'WECHAT';
export type ConsentSource = 'IN_STORE' | 'ONLINE' | 'PHONE' | 'IMPORT';

/**
 * A customer as one originating merchant knows them. No personal information here: name, phone,
 * address and WeChat live encrypted in `customer_identities`, which only db/vault.ts touches.
 */
export const customers = sqliteTable(
  'customers',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    // The customer's own account, once they claimed an invite.
    accountId: text('account_id').references(() => accounts.id),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
    consentSource: text('consent_source', { enum: ['IN_STORE', 'ONLINE', 'PHONE', 'IMPORT'] }).notNull(),
    createdAt: text('created_at').notNull(),
    // When the person proved the phone and that she is this shop's customer (claim, light
    // registration or confirming it signed in): until then the record is only the shop's word.
    claimedAt: text('claimed_at'),
    erasedAt: text('erased_at'),
    // An IMPORT must say where and when the shop collected the consent it declares (its word, kept for the person and the admins).
    consentCollectedAt: text('consent_collected_at'),
    consentCollectedWhere: text('consent_collected_where'),
    // The person said she never gave this shop her number: the record is erased and counts against the shop.
    disownedAt: text('disowned_at'),
  },
  (t) => [
    index('customers_merchant_idx').on(t.merchantId, t.id),
    index('customers_account_idx').on(t.accountId),
    index('customers_merchant_created_idx').on(t.merchantId, t.createdAt),
  ],
);

/** The identity table: ciphertexts and the phone's blind index. Only db/vault.ts may import it. */
export const customerIdentities = sqliteTable(
  'customer_identities',
  {
    customerId: text('customer_id')
      .primaryKey()
      .references(() => customers.id),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    nameSealed: text('name_sealed'),
    phoneSealed: text('phone_sealed'),
    addressSealed: text('address_sealed'),
    wechatSealed: text('wechat_sealed'),
    // HMAC of the E.164 phone: de-duplication per merchant, customer sign-in and invite linking.
    phoneIndex: text('phone_index'),
  },
  (t) => [uniqueIndex('customer_identities_merchant_phone_uq').on(t.merchantId, t.phoneIndex), index('customer_identities_phone_idx').on(t.phoneIndex)],
);

/** Single-use invite codes for a customer to claim an account (shown to the merchant as a QR code). */
export const customerInvites = sqliteTable(
  'customer_invites',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    codeHash: text('code_hash').notNull().unique(),
    // The code itself, encrypted, so the merchant can show the QR code again.
    codeSealed: text('code_sealed').notNull(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('customer_invites_customer_idx').on(t.customerId)],
);

export interface ConsentSettingsData {
  allowReferrals: boolean;
  channels: string[];
  categories: string[];
  maxRequestsPerWeek: number;
  maxRequestsPerMonth: number;
  blockedMerchantIds: string[];
}

/**
 * Append-only: every change is a new version with who, when and why. The subject is the
 * customer's account once claimed (one person, one set of settings), else the customer record.
 */
export const consentVersions = sqliteTable(
  'consent_versions',
  {
    id: text('id').primaryKey(),
    subjectId: text('subject_id').notNull(),
    version: integer('version').notNull(),
    settings: text('settings', { mode: 'json' }).$type<ConsentSettingsData>().notNull(),
    changedAt: text('changed_at').notNull(),
    changedBy: text('changed_by').notNull(),
    reason: text('reason'),
  },
  (t) => [uniqueIndex('consent_versions_subject_version_uq').on(t.subjectId, t.version)],
);

/** Every read of personal information: who, which merchant, which fields, whose, why. */
export const accessLog = sqliteTable(
  'access_log',
  {
    id: text('id').primaryKey(),
    at: text('at').notNull(),
    actorAccountId: text('actor_account_id')
      .notNull()
      .references(() => accounts.id),
    actorName: text('actor_name').notNull(),
    merchantId: text('merchant_id').references(() => merchants.id),
    kind: text('kind', { enum: ['OWN_RECORD', 'GRANT', 'SELF'] }).notNull(),
    fields: text('fields', { mode: 'json' }).$type<ContactField[]>().notNull(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    referralId: text('referral_id'),
  },
  (t) => [index('access_log_customer_idx').on(t.customerId, t.id), index('access_log_merchant_idx').on(t.merchantId, t.id)],
);

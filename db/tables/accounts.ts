import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** A sign-in identity: merchant owners and staff (email) or customers (phone, via the vault's blind index). */
export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['MERCHANT', 'CUSTOMER'] }).notNull(),
    // Lower-cased; null for customer accounts, which sign in by phone.
    email: text('email'),
    passwordHash: text('password_hash').notNull(),
    displayName: text('display_name').notNull(),
    // Bumped on sign-out-everywhere, removal or a role change: older access tokens stop working.
    tokenVersion: integer('token_version').notNull().default(0),
    disabledAt: text('disabled_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('accounts_email_uq').on(t.email).where(sql`${t.email} is not null`)],
);

export const merchants = sqliteTable('merchants', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  category: text('category').notNull(),
  city: text('city').notNull(),
  publicContact: text('public_contact'),
  createdAt: text('created_at').notNull(),
});

/** Who works for which merchant: one merchant per merchant account. */
export const merchantStaff = sqliteTable(
  'merchant_staff',
  {
    accountId: text('account_id')
      .primaryKey()
      .references(() => accounts.id),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    role: text('role', { enum: ['OWNER', 'STAFF'] }).notNull(),
    canViewContacts: integer('can_view_contacts', { mode: 'boolean' }).notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('merchant_staff_merchant_idx').on(t.merchantId, t.createdAt)],
);

/** One signed-in device. Signing out revokes it, and access tokens naming it stop working at once. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    revokedAt: text('revoked_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
);

/**
 * Refresh tokens are stored only as a SHA-256 hash. Rotation marks the old row used and issues a
 * new one in the same family; presenting a used token again revokes the whole family.
 */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id),
    // The session is the token family.
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
    revokedAt: text('revoked_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('refresh_tokens_session_idx').on(t.sessionId), index('refresh_tokens_account_idx').on(t.accountId)],
);

/** Versioned, never edited in place: the current notice is the highest version. */
export const privacyNotices = sqliteTable(
  'privacy_notices',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    version: integer('version').notNull(),
    text: text('text').notNull(),
    publishedAt: text('published_at').notNull(),
  },
  (t) => [uniqueIndex('privacy_notices_merchant_version_uq').on(t.merchantId, t.version)],
);

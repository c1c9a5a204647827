import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export type CodePurpose = 'CLAIM_INVITE' | 'CHANGE_PHONE' | 'SIGN_UP';

/**
 * One-time codes sent to a phone (SMS) or an email address: they prove that the person holds
 * it. Only a keyed hash of the code is kept, for ten minutes and five tries; the phone or email
 * itself is not stored here, only its blind index.
 */
export const verificationCodes = sqliteTable(
  'verification_codes',
  {
    id: text('id').primaryKey(),
    purpose: text('purpose', { enum: ['CLAIM_INVITE', 'CHANGE_PHONE', 'SIGN_UP'] }).notNull(),
    // What the code unlocks: the customer record to claim, the account changing its phone, or
    // the blind index of the email signing up.
    subject: text('subject').notNull(),
    // Blind index of where the code was sent (phone or email): a code proves only that target.
    targetIndex: text('target_index').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('verification_codes_subject_idx').on(t.purpose, t.subject, t.createdAt), index('verification_codes_expiry_idx').on(t.expiresAt)],
);

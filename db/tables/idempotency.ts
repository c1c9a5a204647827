import { primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Results of mutations sent with an Idempotency-Key header, kept 24 hours: a retried request gets
 * the first result instead of doing the work twice. A row without a response is in progress (or
 * its process died: see committedAt).
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    // The caller's account, or '' for anonymous callers: one caller's keys never collide with another's.
    accountId: text('account_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    response: text('response'),
    createdAt: text('created_at').notNull(),
    // Set inside the mutation's own transaction: a claim without it and without a response after
    // the lease never changed anything (its process died), so the key may be claimed again.
    committedAt: text('committed_at'),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.key] })],
);

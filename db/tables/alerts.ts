import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { accounts, merchants } from './accounts.js';

export const MERCHANT_ALERT_KINDS = ['DISOWNED_RECORDS', 'STAFF_CONTACT_READS'] as const;
export type MerchantAlertKind = (typeof MERCHANT_ALERT_KINDS)[number];

/**
 * Signs of list harvesting, with the figures behind them. DISOWNED_RECORDS (people said they
 * never gave the shop their number) goes to the alliance admins and pauses the shop's new
 * records until an admin clears it; STAFF_CONTACT_READS (one staff member revealed many
 * customers' contacts in a short time) goes to the shop's owner.
 */
export const merchantAlerts = sqliteTable(
  'merchant_alerts',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    kind: text('kind', { enum: MERCHANT_ALERT_KINDS }).notNull(),
    // The staff member whose reads raised a STAFF_CONTACT_READS alert.
    staffAccountId: text('staff_account_id').references(() => accounts.id),
    // Disowned records since the last cleared alert, or distinct customers read in the window.
    count: integer('count').notNull(),
    windowStart: text('window_start').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    clearedAt: text('cleared_at'),
    clearedByAccountId: text('cleared_by_account_id').references(() => accounts.id),
    clearedReason: text('cleared_reason'),
  },
  (t) => [index('merchant_alerts_merchant_idx').on(t.merchantId, t.kind, t.createdAt)],
);

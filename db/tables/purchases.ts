import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { merchants } from './accounts.js';
import { customers } from './customers.js';

/**
 * A sale the originating merchant records for its own customer (amount in fen): the input of RFM
 * segments. Holds no personal information, so it stays when the customer erases their identity.
 */
export const purchases = sqliteTable(
  'purchases',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id),
    // The customer's originating merchant, copied so RFM scans one merchant's rows by index.
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    amount: integer('amount').notNull(),
    at: text('at').notNull(),
  },
  (t) => [
    check('purchases_amount_ck', sql`${t.amount} between 1 and 100000000`),
    index('purchases_merchant_customer_idx').on(t.merchantId, t.customerId, t.at),
    index('purchases_customer_idx').on(t.customerId),
  ],
);

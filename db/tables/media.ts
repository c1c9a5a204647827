import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { accounts, merchants } from './accounts.js';

/**
 * An image a merchant uploaded (a poster). Only resized renditions are kept, with their metadata
 * stripped; the storage keys carry the content hash, so a URL never changes what it shows.
 */
export const media = sqliteTable(
  'media',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id')
      .notNull()
      .references(() => merchants.id),
    uploadedByAccountId: text('uploaded_by_account_id')
      .notNull()
      .references(() => accounts.id),
    // Hex SHA-256 of the display rendition.
    hash: text('hash').notNull(),
    contentType: text('content_type').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    displayKey: text('display_key').notNull(),
    thumbKey: text('thumb_key').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('media_merchant_idx').on(t.merchantId, t.createdAt)],
);

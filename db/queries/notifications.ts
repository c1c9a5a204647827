// Reads of the notification inbox: whose it is, and how many are unread.
import { and, count, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { notifications } from '../tables/index.js';

/** Whose inbox: a customer account, or a merchant (shared by its staff). */
export type Recipient = { accountId: string } | { merchantId: string };

/** The recipient's inbox rows (the IN_APP channel; other channels' rows are gateway deliveries). */
export const inboxOf = (r: Recipient) =>
  and(eq(notifications.channel, 'IN_APP'), 'accountId' in r ? eq(notifications.accountId, r.accountId) : eq(notifications.merchantId, r.merchantId));

export async function unreadCount(db: Db, recipient: Recipient): Promise<number> {
  const [row] = await db.select({ n: count() }).from(notifications).where(and(inboxOf(recipient), isNull(notifications.readAt)));
  return row!.n;
}

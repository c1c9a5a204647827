// Sales an originating merchant records for its own customers: the facts RFM segments count.
import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { badInput, conflict, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { customers, purchases } from '../tables/index.js';
import { inTransaction } from '../tx.js';

/** The API refuses larger amounts; the table's CHECK constraint holds the same bounds. */
export const MAX_PURCHASE_FEN = 100_000_000;

/**
 * Records a purchase of `amount` fen at `at` (default now, never in the future). Another
 * merchant's customer reads as NOT_FOUND, so the answer does not reveal that the record exists.
 * A customer who erased their data at this merchant gets no new facts attached to the record;
 * their earlier purchases stay, as amounts and dates without identity.
 */
export async function recordPurchase(db: Db, merchantId: string, customerId: string, amount: number, at: string | null): Promise<string> {
  const now = nowIso();
  const when = at ?? now;
  if (when > now) throw badInput('at', 'must not be in the future');
  return inTransaction(db, async (tx) => {
    const [customer] = await tx.select({ merchantId: customers.merchantId, erasedAt: customers.erasedAt }).from(customers).where(eq(customers.id, customerId));
    if (!customer || customer.merchantId !== merchantId) throw notFound('customer');
    if (customer.erasedAt) throw conflict('This customer erased their data at your shop: no new purchases can be recorded for them.');
    await tx.insert(purchases).values({ id: newId(), customerId, merchantId, amount, at: when });
    return customerId;
  });
}

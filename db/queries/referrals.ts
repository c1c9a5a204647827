// Reads of the referral handoff the API lists by the customer's account: her grants are held on her
// customer records (one per merchant).
import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { contactGrants, customers } from '../tables/index.js';

/** The contact grants given on the records of each of `accountIds`, newest first, in one statement. */
export async function grantsOfAccounts(db: Db, accountIds: readonly string[]) {
  return db
    .select({ grant: contactGrants, accountId: customers.accountId })
    .from(contactGrants)
    .innerJoin(customers, eq(customers.id, contactGrants.customerId))
    .where(inArray(customers.accountId, [...accountIds]))
    .orderBy(desc(contactGrants.grantedAt), desc(contactGrants.id));
}

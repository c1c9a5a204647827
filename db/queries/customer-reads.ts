// Reads of a customer account's own view (CustomerSelf) that a flat read by id or by parent cannot
// answer in SQL order: one statement per batch of accounts, ordered by the database as before.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db.js';
import { communities, communityMembers, customers, merchants } from '../tables/index.js';

type Merchant = typeof merchants.$inferSelect;
type Community = typeof communities.$inferSelect;

const grouped = <T extends { id: string }>(accountIds: readonly string[], rows: { accountId: string | null; row: T }[]): T[][] => {
  const byAccount = new Map<string, Map<string, T>>(accountIds.map((id) => [id, new Map()]));
  // A merchant holding two records of one person is listed once, where its name puts it.
  for (const { accountId, row } of rows) {
    const list = accountId === null ? undefined : byAccount.get(accountId);
    if (list && !list.has(row.id)) list.set(row.id, row);
  }
  return accountIds.map((id) => [...byAccount.get(id)!.values()]);
};

/** For each account, the merchants holding a record of it (its originating merchants), by name. */
export async function merchantsHoldingAccounts(db: Db, accountIds: readonly string[]): Promise<Merchant[][]> {
  const rows = await db
    .select({ accountId: customers.accountId, row: merchants })
    .from(customers)
    .innerJoin(merchants, eq(merchants.id, customers.merchantId))
    .where(inArray(customers.accountId, [...accountIds]))
    .orderBy(asc(merchants.name), asc(merchants.id));
  return grouped(accountIds, rows);
}

/** For each account, the communities it is currently in, by name. */
export async function communitiesOfAccounts(db: Db, accountIds: readonly string[]): Promise<Community[][]> {
  const rows = await db
    .select({ accountId: communityMembers.accountId, row: communities })
    .from(communityMembers)
    .innerJoin(communities, eq(communities.id, communityMembers.communityId))
    .where(and(inArray(communityMembers.accountId, [...accountIds]), isNull(communityMembers.leftAt)))
    .orderBy(asc(communities.name), asc(communities.id));
  return grouped(accountIds, rows);
}

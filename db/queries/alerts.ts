// What the owner sees of their accounts' reads of the shop's own customers' contacts.
import { and, asc, count, desc, eq, gte, max, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { firstIdAt } from '../ids.js';
import { accessLog, accounts, merchantStaff } from '../tables/index.js';

export interface StaffContactReads {
  accountId: string;
  staffName: string;
  role: 'OWNER' | 'STAFF';
  customersLastHour: number;
  customersLast24Hours: number;
  readsLast7Days: number;
  lastReadAt: string | null;
}

const HOUR = 3_600_000;

/**
 * A shop's reads of its own customers' contacts since a time, as a range of the access log's
 * (merchant_id, id) index: the key bound is a second early, as an entry's key and time are taken
 * one after the other. Reads of contacts granted by referrals are not counted: the customer
 * consented to those.
 */
export const ownRecordReadsSince = (merchantId: string, since: string) =>
  and(
    eq(accessLog.merchantId, merchantId),
    gte(accessLog.id, firstIdAt(Date.parse(since) - 1_000)),
    gte(accessLog.at, since),
    eq(accessLog.kind, 'OWN_RECORD'),
  );

/**
 * One row per account of the shop (those who read nothing show zeros), busiest first: distinct
 * customers whose contacts each revealed in the last hour and 24 hours, reads in the last 7 days
 * and the newest read. One statement: the shop's last 7 days of the access log, a range of its
 * (merchant_id, id) index, grouped by account.
 */
export async function staffContactReads(db: Db, merchantId: string, now = Date.now()): Promise<StaffContactReads[]> {
  const hourAgo = new Date(now - HOUR).toISOString();
  const dayAgo = new Date(now - 24 * HOUR).toISOString();
  const weekAgo = new Date(now - 7 * 24 * HOUR).toISOString();
  const customersSince = (since: string) =>
    sql<number>`count(distinct case when ${accessLog.at} >= ${since} then ${accessLog.customerId} end)`.mapWith(Number);
  const reads = db
    .select({
      accountId: sql<string>`${accessLog.actorAccountId}`.as('reader_account_id'),
      lastHour: customersSince(hourAgo).as('last_hour'),
      lastDay: customersSince(dayAgo).as('last_day'),
      week: count().as('week'),
      lastAt: max(accessLog.at).as('last_at'),
    })
    .from(accessLog)
    .where(ownRecordReadsSince(merchantId, weekAgo))
    .groupBy(accessLog.actorAccountId)
    .as('reads');
  const orZero = (figure: typeof reads.lastHour | typeof reads.week) => sql<number>`coalesce(${figure}, 0)`.mapWith(Number);
  return db
    .select({
      accountId: merchantStaff.accountId,
      staffName: accounts.displayName,
      role: merchantStaff.role,
      customersLastHour: orZero(reads.lastHour),
      customersLast24Hours: orZero(reads.lastDay),
      readsLast7Days: orZero(reads.week),
      lastReadAt: reads.lastAt,
    })
    .from(merchantStaff)
    .innerJoin(accounts, eq(accounts.id, merchantStaff.accountId))
    .leftJoin(reads, eq(reads.accountId, merchantStaff.accountId))
    .where(eq(merchantStaff.merchantId, merchantId))
    .orderBy(desc(orZero(reads.lastHour)), desc(orZero(reads.lastDay)), desc(orZero(reads.week)), asc(merchantStaff.createdAt));
}

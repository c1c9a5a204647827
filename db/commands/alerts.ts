// Signs of list harvesting: records people disowned (to the alliance admins; the shop's new
// records pause until an admin clears it), and a staff member revealing many customers' contacts
// in a short time (to the shop's owner).
import { and, count, countDistinct, desc, eq, gte, inArray, isNotNull, isNull, min } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { ownRecordReadsSince } from '../queries/alerts.js';
import { accessLog, allianceMembers, customers, merchantAlerts, merchantStaff, type MerchantAlertKind } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import type { Actor } from './alliance-guards.js';

const openAlert = (merchantId: string, kind: MerchantAlertKind) =>
  and(eq(merchantAlerts.merchantId, merchantId), eq(merchantAlerts.kind, kind), isNull(merchantAlerts.clearedAt));

/**
 * A person disowned one of the shop's records (already marked): once the records disowned since
 * the last cleared alert reach the threshold, an alert opens with the figure; while it is open,
 * further disowned records raise its count.
 */
export async function noteDisownedRecord(tx: Tx, merchantId: string, threshold: number, now: string): Promise<void> {
  const [open] = await tx.select().from(merchantAlerts).where(openAlert(merchantId, 'DISOWNED_RECORDS'));
  if (open) {
    await tx.update(merchantAlerts).set({ count: open.count + 1, updatedAt: now }).where(eq(merchantAlerts.id, open.id));
    return;
  }
  const [lastCleared] = await tx
    .select({ clearedAt: merchantAlerts.clearedAt })
    .from(merchantAlerts)
    .where(and(eq(merchantAlerts.merchantId, merchantId), eq(merchantAlerts.kind, 'DISOWNED_RECORDS'), isNotNull(merchantAlerts.clearedAt)))
    .orderBy(desc(merchantAlerts.clearedAt))
    .limit(1);
  // Before any alert was cleared, every disowned record counts (ISO timestamps sort after '').
  const since = lastCleared?.clearedAt ?? '';
  const [{ n, first }] = await tx
    .select({ n: count(), first: min(customers.disownedAt) })
    .from(customers)
    .where(and(eq(customers.merchantId, merchantId), gte(customers.disownedAt, since)));
  if (n < threshold) return;
  await tx.insert(merchantAlerts).values({
    id: newId(),
    merchantId,
    kind: 'DISOWNED_RECORDS',
    staffAccountId: null,
    count: n,
    windowStart: first ?? now,
    createdAt: now,
    updatedAt: now,
  });
}

/** A shop with an open disowned-records alert adds no customers until an alliance admin clears it. */
export async function recordsPaused(q: Db | Tx, merchantId: string): Promise<boolean> {
  const [open] = await q.select({ id: merchantAlerts.id }).from(merchantAlerts).where(openAlert(merchantId, 'DISOWNED_RECORDS')).limit(1);
  return !!open;
}

/** STAFF_CONTACT_READS_ALERT_COUNT distinct customers within STAFF_CONTACT_READS_ALERT_MINUTES. */
export interface ContactReadsLimit {
  count: number;
  minutes: number;
}

/**
 * Distinct customers whose contacts the account revealed (own records) since `since`, and when
 * the first of those reads was: the shop's reads of the window, not its whole history.
 */
async function customersRead(tx: Tx, merchantId: string, accountId: string, since: string) {
  const [row] = await tx
    .select({ n: countDistinct(accessLog.customerId), first: min(accessLog.at) })
    .from(accessLog)
    .where(and(ownRecordReadsSince(merchantId, since), eq(accessLog.actorAccountId, accountId)));
  return { n: row?.n ?? 0, first: row?.first ?? since };
}

/**
 * Called by the vault in the transaction that logged an account's reads of the shop's own
 * customers: once the account has revealed `limit.count` distinct customers within
 * `limit.minutes`, an alert opens for the shop's owner. One alert per account at a time: while it
 * is open, it keeps the most customers read within one window. Reads before the owner cleared
 * the last alert do not open the next one.
 *
 * Every merchant account counts, the owner's included: an owner's login used at the counter or
 * by someone else reads the same way, and the alert stays as a record even when the owner sees
 * their own.
 */
export async function noteContactReads(tx: Tx, merchantId: string, accountId: string, limit: ContactReadsLimit, now: string): Promise<void> {
  const windowStart = new Date(Date.parse(now) - limit.minutes * 60_000).toISOString();
  let reads = await customersRead(tx, merchantId, accountId, windowStart);
  if (reads.n < limit.count) return;
  const [latest] = await tx
    .select()
    .from(merchantAlerts)
    .where(and(eq(merchantAlerts.merchantId, merchantId), eq(merchantAlerts.kind, 'STAFF_CONTACT_READS'), eq(merchantAlerts.staffAccountId, accountId)))
    .orderBy(desc(merchantAlerts.createdAt))
    .limit(1);
  if (latest && !latest.clearedAt) {
    if (reads.n > latest.count) {
      await tx.update(merchantAlerts).set({ count: reads.n, windowStart: reads.first, updatedAt: now }).where(eq(merchantAlerts.id, latest.id));
    }
    return;
  }
  if (latest?.clearedAt && latest.clearedAt > windowStart) {
    reads = await customersRead(tx, merchantId, accountId, latest.clearedAt);
    if (reads.n < limit.count) return;
  }
  await tx.insert(merchantAlerts).values({
    id: newId(),
    merchantId,
    kind: 'STAFF_CONTACT_READS',
    staffAccountId: accountId,
    count: reads.n,
    windowStart: reads.first,
    createdAt: now,
    updatedAt: now,
  });
}

/** Is the actor its merchant's OWNER account (staff never clear an alert)? */
async function isOwner(tx: Tx, actor: Actor): Promise<boolean> {
  const [staff] = await tx
    .select({ role: merchantStaff.role })
    .from(merchantStaff)
    .where(and(eq(merchantStaff.accountId, actor.accountId), eq(merchantStaff.merchantId, actor.merchantId)));
  return staff?.role === 'OWNER';
}

/** Does the actor's merchant administer an alliance where the flagged shop is an approved member? */
async function administersShop(tx: Tx, actor: Actor, shopId: string): Promise<boolean> {
  const administered = tx
    .select({ allianceId: allianceMembers.allianceId })
    .from(allianceMembers)
    .where(and(eq(allianceMembers.merchantId, actor.merchantId), eq(allianceMembers.status, 'APPROVED'), inArray(allianceMembers.role, ['OWNER', 'ADMIN'])));
  const [row] = await tx
    .select({ allianceId: allianceMembers.allianceId })
    .from(allianceMembers)
    .where(and(eq(allianceMembers.merchantId, shopId), eq(allianceMembers.status, 'APPROVED'), inArray(allianceMembers.allianceId, administered)))
    .limit(1);
  return !!row;
}

/**
 * Clears an open alert with the reason. A disowned-records alert is cleared by an admin of an
 * alliance the shop is an approved member of, never by the flagged shop itself (an admin shop
 * would otherwise lift its own pause); clearing it lets the shop add customers again. A staff
 * reads alert is its shop's owner's. Anyone who may not see the alert is told it does not exist.
 */
export function clearMerchantAlert(db: Db, actor: Actor, alertId: string, reason: string) {
  return inTransaction(db, async (tx) => {
    const [alert] = await tx.select().from(merchantAlerts).where(eq(merchantAlerts.id, alertId));
    if (!alert) throw notFound('alert');
    const owner = await isOwner(tx, actor);
    const ownShop = owner && alert.merchantId === actor.merchantId;
    if (alert.kind === 'STAFF_CONTACT_READS') {
      if (!ownShop) throw notFound('alert');
    } else {
      // The flagged shop's owner sees the alert (its records are paused) but may not clear it.
      if (ownShop) throw forbidden('Another admin of the alliance clears an alert about your own shop.');
      if (!owner || !(await administersShop(tx, actor, alert.merchantId))) throw notFound('alert');
    }
    if (alert.clearedAt) throw conflict('This alert is already cleared.');
    const now = nowIso();
    const cleared = { clearedAt: now, clearedByAccountId: actor.accountId, clearedReason: reason, updatedAt: now };
    await tx.update(merchantAlerts).set(cleared).where(and(eq(merchantAlerts.id, alertId), isNull(merchantAlerts.clearedAt)));
    return { ...alert, ...cleared };
  });
}

// The notification outbox. A change to a referral request writes an event row inside the
// transaction that made the change (enqueueReferralEvent); the worker in services/notify fans
// events out to recipients and channels, then delivers what waits for a gateway.
import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lte, notExists, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.js';
import { affected } from '../dialect/kit.js';
import { inboxOf, type Recipient } from '../queries/notifications.js';
import { newId } from '../ids.js';
import {
  accounts,
  contactGrants,
  customers,
  merchants,
  notifications,
  referralEvents,
  referralRequests,
  type NotificationChannel,
  type ReferralEventKind,
} from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import { DEFAULT_CONSENT, latestConsent } from '../queries/consent.js';
import { preparedPerConnection, statementName } from '../queries/prepared.js';

/**
 * Rows one sweep transaction handles: a backlog (a server that was down, a first start on old data)
 * is worked off in short transactions that writes and reads interleave with, in bounded memory and
 * well under SQLite's limit on bound parameters.
 */
export const SWEEP_BATCH = 500;

/** Records that referral requests changed. Call it inside the transaction that changed them. */
export async function enqueueReferralEvent(tx: Tx, referralIds: string | readonly string[], kind: ReferralEventKind, at = new Date().toISOString()): Promise<void> {
  if (typeof referralIds === 'string') {
    await eventStatements(tx).insertOne.execute({ id: newId(), referralId: referralIds, kind, createdAt: at });
    return;
  }
  if (referralIds.length === 0) return;
  await tx.insert(referralEvents).values(referralIds.map((referralId) => ({ id: newId(), referralId, kind, createdAt: at })));
}

/** One request's event, the common case: prepared once per connection (on the transaction's `tx`). */
const eventStatements = preparedPerConnection((q) => ({
  insertOne: q
    .insert(referralEvents)
    .values({ id: sql.placeholder('id'), referralId: sql.placeholder('referralId'), kind: sql.placeholder('kind'), createdAt: sql.placeholder('createdAt') })
    .prepare(...statementName('referral_event_insert')),
}));

type Party = 'CUSTOMER' | 'REQUESTER' | 'ORIGIN';

/**
 * Who gets a stored notification of each change (live subscribers see every change of requests
 * they are party to). The customer hears of what others did, and of an acceptance as a security
 * notice with a way to revoke (urgent: it is sent during quiet hours too); merchants hear of the
 * customer's answers. Whoever made a CREATED or WITHDRAWN is not told of their own act.
 */
const AUDIENCE: Record<ReferralEventKind, { parties: Party[]; urgent: boolean }> = {
  CREATED: { parties: ['CUSTOMER', 'REQUESTER', 'ORIGIN'], urgent: false },
  ACCEPTED: { parties: ['CUSTOMER', 'REQUESTER', 'ORIGIN'], urgent: true },
  DECLINED: { parties: ['REQUESTER', 'ORIGIN'], urgent: false },
  EXPIRED: { parties: ['CUSTOMER', 'REQUESTER', 'ORIGIN'], urgent: false },
  WITHDRAWN: { parties: ['CUSTOMER', 'REQUESTER', 'ORIGIN'], urgent: false },
  REVOKED: { parties: ['REQUESTER', 'ORIGIN'], urgent: false },
  GRANT_ENDED: { parties: ['CUSTOMER', 'REQUESTER'], urgent: false },
};

/** What live subscribers are told: the request and the parties who may see it. */
export interface DispatchedEvent {
  /** The outbox row: a process that hears an event twice (live and caught up) passes it on once. */
  eventId: string;
  referralId: string;
  kind: ReferralEventKind;
  requesterMerchantId: string;
  originMerchantId: string;
  customerAccountId: string | null;
  /** Null while the request is held on a record the customer has not confirmed: it is not hers to hear of. */
  deliveredAt: string | null;
}

/**
 * Fans undispatched events out into notification rows: IN_APP for both merchants and, for the
 * customer, one row per channel they allow that a gateway serves. In one transaction with the
 * dispatched stamp, so an event is fanned out once; returns the events for live subscribers.
 */
export async function dispatchEvents(db: Db, now: Date, served: readonly NotificationChannel[], limit = 200): Promise<DispatchedEvent[]> {
  // Most polls find nothing: a read first, so an idle worker never takes the write lock.
  if ((await db.select({ id: referralEvents.id }).from(referralEvents).where(isNull(referralEvents.dispatchedAt)).limit(1)).length === 0) return [];
  return inTransaction(db, async (tx) => {
    const at = now.toISOString();
    const rows = await withParties(tx, isNull(referralEvents.dispatchedAt), limit);
    if (rows.length === 0) return [];
    const messages: (typeof notifications.$inferInsert)[] = [];
    for (const e of rows) {
      const { parties, urgent } = AUDIENCE[e.kind];
      const base = { eventId: e.id, referralId: e.referralId, kind: e.kind, urgent, createdAt: at };
      const inApp = { channel: 'IN_APP' as const, status: 'DELIVERED' as const, deliveredAt: at };
      const actor = e.kind === 'CREATED' || e.kind === 'WITHDRAWN' ? e.initiatedBy : null;
      for (const party of ['REQUESTER', 'ORIGIN'] as const) {
        if (parties.includes(party) && party !== actor) {
          messages.push({ ...base, ...inApp, id: newId(), merchantId: party === 'REQUESTER' ? e.requesterMerchantId : e.originMerchantId });
        }
      }
      // Only a customer with an account can open a request, once it reached her; an erased one is not contacted again.
      if (parties.includes('CUSTOMER') && e.customerAccountId && e.deliveredAt && !e.customerErasedAt) {
        const allowed = ((await latestConsent(tx, e.customerAccountId))?.settings ?? DEFAULT_CONSENT).channels;
        for (const channel of served.filter((c) => allowed.includes(c))) {
          const delivery = channel === 'IN_APP' ? inApp : { channel, status: 'PENDING' as const, nextAttemptAt: at };
          messages.push({ ...base, ...delivery, id: newId(), accountId: e.customerAccountId });
        }
      }
    }
    if (messages.length > 0) await tx.insert(notifications).values(messages);
    await tx
      .update(referralEvents)
      .set({ dispatchedAt: at })
      .where(inArray(referralEvents.id, rows.map((e) => e.id)));
    return rows.map(toDispatched);
  });
}

/** Outbox rows in order, with the request's parties. */
const withParties = (tx: Tx, where: SQL | undefined, limit: number) =>
  tx
    .select({
      id: referralEvents.id,
      referralId: referralEvents.referralId,
      kind: referralEvents.kind,
      requesterMerchantId: referralRequests.requesterMerchantId,
      originMerchantId: referralRequests.originMerchantId,
      initiatedBy: referralRequests.initiatedBy,
      customerAccountId: customers.accountId,
      customerErasedAt: customers.erasedAt,
      deliveredAt: referralRequests.deliveredAt,
    })
    .from(referralEvents)
    .innerJoin(referralRequests, eq(referralRequests.id, referralEvents.referralId))
    .innerJoin(customers, eq(customers.id, referralRequests.customerId))
    .where(where)
    .orderBy(asc(referralEvents.id))
    .limit(limit);

const toDispatched = ({ id, referralId, kind, requesterMerchantId, originMerchantId, customerAccountId, deliveredAt }: Awaited<ReturnType<typeof withParties>>[number]): DispatchedEvent => ({
  eventId: id,
  referralId,
  kind,
  requesterMerchantId,
  originMerchantId,
  customerAccountId,
  deliveredAt,
});

/**
 * Hands fanned-out events to live subscribers in outbox order, each once: `publish` resolves when
 * the event was taken (Redis accepted it) and throws when not. What it took is stamped published;
 * the event it refused and those after it wait for the next call, so an outage delays live
 * updates and loses none. One process at a time, so no two processes hand out the same event.
 * (At least once: a process that dies between Redis taking an event and the commit hands it out again.)
 */
export async function publishEvents(
  db: Db,
  now: Date,
  publish: (event: DispatchedEvent) => Promise<void>,
  limit = 200,
): Promise<{ published: number; refused?: unknown }> {
  const waiting = and(isNotNull(referralEvents.dispatchedAt), isNull(referralEvents.publishedAt));
  // Most polls find nothing: a read first, so an idle worker never takes the write lock.
  if ((await db.select({ id: referralEvents.id }).from(referralEvents).where(waiting).limit(1)).length === 0) return { published: 0 };
  // Outside the transaction: an attempt PostgreSQL retries must not hand out again what Redis took.
  const taken = new Set<string>();
  let refused: unknown;
  await inTransaction(
    db,
    async (tx) => {
      refused = undefined;
      for (const event of await withParties(tx, waiting, limit)) {
        if (taken.has(event.id)) continue;
        try {
          await publish(toDispatched(event));
        } catch (err) {
          refused = err;
          break;
        }
        taken.add(event.id);
      }
      if (taken.size > 0) await tx.update(referralEvents).set({ publishedAt: now.toISOString() }).where(inArray(referralEvents.id, [...taken]));
    },
    { oneAtATime: 'referral-events-publish' },
  );
  return { published: taken.size, refused };
}

/**
 * Events published at or after `since`, in the order they were published (a catch-up after a lost
 * subscription), `limit` at a time: the next page starts after the last event of the previous.
 */
export async function publishedSince(db: Db, since: Date, after?: string, limit = SWEEP_BATCH): Promise<DispatchedEvent[]> {
  const where = and(gte(referralEvents.publishedAt, since.toISOString()), after ? gt(referralEvents.id, after) : undefined);
  return (await withParties(db, where, limit)).map(toDispatched);
}

/** A message waiting for a gateway, with what its payload may say (no contact details exist here). */
export interface DueDelivery {
  id: string;
  channel: Exclude<NotificationChannel, 'IN_APP'>;
  kind: ReferralEventKind;
  urgent: boolean;
  attempts: number;
  referralId: string;
  accountId: string;
  requesterName: string;
  createdAt: string;
}

/**
 * Claims due gateway messages: each is leased (its next attempt moved past the lease) so another
 * worker process does not send it at the same time; an unrecorded attempt is retried when the
 * lease ends (at-least-once). During quiet hours only urgent messages are due. Messages to a
 * closed account are skipped.
 */
export async function claimDueDeliveries(db: Db, now: Date, options: { leaseMs: number; urgentOnly: boolean; limit?: number }): Promise<DueDelivery[]> {
  const at = now.toISOString();
  const isDue = and(eq(notifications.status, 'PENDING'), lte(notifications.nextAttemptAt, at), options.urgentOnly ? eq(notifications.urgent, true) : undefined);
  if ((await db.select({ id: notifications.id }).from(notifications).where(isDue).limit(1)).length === 0) return [];
  return inTransaction(db, async (tx) => {
    const due = await tx
      .select({
        id: notifications.id,
        channel: notifications.channel,
        kind: notifications.kind,
        urgent: notifications.urgent,
        attempts: notifications.attempts,
        referralId: notifications.referralId,
        accountId: notifications.accountId,
        accountDisabledAt: accounts.disabledAt,
        requesterName: merchants.name,
        createdAt: notifications.createdAt,
      })
      .from(notifications)
      .innerJoin(accounts, eq(accounts.id, notifications.accountId))
      .innerJoin(referralRequests, eq(referralRequests.id, notifications.referralId))
      .innerJoin(merchants, eq(merchants.id, referralRequests.requesterMerchantId))
      .where(isDue)
      .orderBy(asc(notifications.nextAttemptAt))
      .limit(options.limit ?? 50);
    const closed = due.filter((d) => d.accountDisabledAt).map((d) => d.id);
    if (closed.length > 0) await tx.update(notifications).set({ status: 'SKIPPED', lastError: 'account closed' }).where(inArray(notifications.id, closed));
    const open = due.filter((d) => !d.accountDisabledAt);
    if (open.length > 0) {
      const leasedUntil = new Date(now.getTime() + options.leaseMs).toISOString();
      await tx.update(notifications).set({ nextAttemptAt: leasedUntil }).where(inArray(notifications.id, open.map((d) => d.id)));
    }
    return open.map(({ accountDisabledAt: _closed, ...d }) => d as DueDelivery);
  });
}

/** The gateway took the message. Idempotent: a late duplicate result changes nothing. */
export async function recordDelivered(db: Db, id: string, at: Date): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx
      .update(notifications)
      .set({ status: 'DELIVERED', deliveredAt: at.toISOString(), attempts: sql`${notifications.attempts} + 1`, nextAttemptAt: null })
      .where(and(eq(notifications.id, id), eq(notifications.status, 'PENDING')));
  });
}

/** A failed attempt: retried at `retryAt`, or dead-lettered (kept with its error) when that is null. */
export async function recordFailed(db: Db, id: string, error: string, retryAt: Date | null): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx
      .update(notifications)
      .set({
        status: retryAt ? 'PENDING' : 'DEAD',
        attempts: sql`${notifications.attempts} + 1`,
        nextAttemptAt: retryAt?.toISOString() ?? null,
        lastError: error.slice(0, 500),
      })
      .where(and(eq(notifications.id, id), eq(notifications.status, 'PENDING')));
  });
}

/**
 * Grants whose retention ran out: reads already refuse them (the vault checks validUntil); this
 * announces the end once (the requester must delete what it noted, the customer is told), at most
 * `limit` per call.
 */
export async function announceEndedGrants(db: Db, now: Date, limit = SWEEP_BATCH): Promise<number> {
  return inTransaction(db, async (tx) => {
    const ended = await tx
      .select({ referralId: contactGrants.referralId })
      .from(contactGrants)
      .where(
        and(
          lte(contactGrants.validUntil, now.toISOString()),
          isNull(contactGrants.revokedAt),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(referralEvents)
              .where(and(eq(referralEvents.referralId, contactGrants.referralId), eq(referralEvents.kind, 'GRANT_ENDED'))),
          ),
        ),
      )
      .limit(limit);
    await enqueueReferralEvent(tx, ended.map((g) => g.referralId), 'GRANT_ENDED', now.toISOString());
    return ended.length;
  });
}

/** Marks the recipient's inbox notifications read (the given ones, or all); returns how many changed. */
export async function markNotificationsRead(db: Db, recipient: Recipient, ids: readonly string[] | null, at = new Date()): Promise<number> {
  return inTransaction(db, async (tx) =>
    affected(
      await tx
        .update(notifications)
        .set({ readAt: at.toISOString() })
        .where(and(inboxOf(recipient), isNull(notifications.readAt), ids ? inArray(notifications.id, [...ids]) : undefined)),
    ),
  );
}

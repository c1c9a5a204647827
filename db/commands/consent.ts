// Consent: append-only versions per customer, and the checks made before anyone may ask for contact.
import { and, asc, count, desc, eq, gte, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { AppError } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { consentVersions, customers, referralRequests, type ConsentSettingsData } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import type { Vault } from '../vault.js';
import { enqueueReferralEvent } from './outbox.js';

export const DEFAULT_CONSENT: ConsentSettingsData = {
  allowReferrals: true,
  channels: ['IN_APP'],
  // Empty means no category restriction.
  categories: [],
  // A customer who tolerates one message a week must not get more than four or five a month.
  maxRequestsPerWeek: 2,
  maxRequestsPerMonth: 4,
  blockedMerchantIds: [],
};

/** At most this many requests from one requester to one customer per 90 days. */
export const SAME_REQUESTER_LIMIT = 2;
const DAY_MS = 86_400_000;

/** One person, one set of settings: the account once claimed, before that the customer record. */
export const consentSubject = (record: { id: string; accountId: string | null }): string => record.accountId ?? record.id;

type Q = Db | Tx;

export async function latestConsent(q: Q, subjectId: string) {
  const [row] = await q.select().from(consentVersions).where(eq(consentVersions.subjectId, subjectId)).orderBy(desc(consentVersions.version)).limit(1);
  return row;
}

export async function appendConsent(tx: Tx, subjectId: string, settings: ConsentSettingsData, changedBy: string, reason: string | null) {
  const latest = await latestConsent(tx, subjectId);
  const row = { id: newId(), subjectId, version: (latest?.version ?? 0) + 1, settings, changedAt: nowIso(), changedBy, reason };
  await tx.insert(consentVersions).values(row);
  return row;
}

export interface ConsentChanges {
  allowReferrals?: boolean | null;
  channels?: string[] | null;
  categories?: string[] | null;
  maxRequestsPerWeek?: number | null;
  maxRequestsPerMonth?: number | null;
  blockMerchantIds?: string[] | null;
  unblockMerchantIds?: string[] | null;
  reason?: string | null;
}

export function applyChanges(current: ConsentSettingsData, c: ConsentChanges): ConsentSettingsData {
  const blocked = new Set(current.blockedMerchantIds);
  for (const id of c.blockMerchantIds ?? []) blocked.add(id);
  for (const id of c.unblockMerchantIds ?? []) blocked.delete(id);
  return {
    allowReferrals: c.allowReferrals ?? current.allowReferrals,
    channels: c.channels ?? current.channels,
    categories: c.categories ?? current.categories,
    maxRequestsPerWeek: c.maxRequestsPerWeek ?? current.maxRequestsPerWeek,
    maxRequestsPerMonth: c.maxRequestsPerMonth ?? current.maxRequestsPerMonth,
    blockedMerchantIds: [...blocked],
  };
}

/** The customer changes their own settings: a new version, and pending requests from newly blocked merchants are declined. */
export function updateConsent(db: Db, vault: Vault, accountId: string, changes: ConsentChanges) {
  return inTransaction(db, async (tx) => {
    const current = (await latestConsent(tx, accountId))?.settings ?? DEFAULT_CONSENT;
    const next = applyChanges(current, changes);
    if (next.maxRequestsPerMonth < next.maxRequestsPerWeek) {
      throw new AppError('BAD_USER_INPUT', 'The monthly limit cannot be lower than the weekly limit.', { field: 'maxRequestsPerMonth' });
    }
    const row = await appendConsent(tx, accountId, next, 'CUSTOMER', changes.reason ?? null);
    // Turning referrals off stops new requests; blocking also ends what that merchant has pending.
    await declinePending(tx, vault, accountId, next.blockedMerchantIds.filter((id) => !current.blockedMerchantIds.includes(id)));
    return row;
  });
}

/**
 * Declines a person's pending requests from the given requesters: at the records of their account
 * and at shops' records of the same phone they never claimed, so a blocked merchant pursues none.
 */
async function declinePending(tx: Tx, vault: Vault, accountId: string, fromRequesters: string[]) {
  if (fromRequesters.length === 0) return;
  const own = (await tx.select({ id: customers.id }).from(customers).where(eq(customers.accountId, accountId))).map((r) => r.id);
  const samePhone: string[] = [];
  for (const id of own) for (const r of await vault.samePhoneRecords(tx, id)) samePhone.push(r.customerId);
  const records = [...new Set([...own, ...samePhone])];
  if (records.length === 0) return;
  const declined = await tx
    .update(referralRequests)
    .set({ status: 'DECLINED', decidedAt: nowIso() })
    .where(
      and(
        inArray(referralRequests.customerId, records),
        eq(referralRequests.status, 'PENDING'),
        inArray(referralRequests.requesterMerchantId, fromRequesters),
      ),
    )
    .returning({ id: referralRequests.id });
  await enqueueReferralEvent(tx, declined.map((r) => r.id), 'DECLINED');
}

/**
 * Every consent-based refusal reads the same, whichever rule refused: a requester must not learn
 * the customer's settings, nor that other merchants asked this week.
 */
export const consentRefused = () => new AppError('CONSENT_REFUSED', 'This customer cannot be asked for their contact at the moment.');

/**
 * One person across merchants: the records of their account and those holding the same phone
 * (blind index), claimed or not. Their settings are the account's once one exists, so a record
 * they never claimed does not escape what they chose; before that, the record's own.
 */
async function personOf(tx: Tx, vault: Vault, record: { id: string; accountId: string | null }) {
  const samePhone = await vault.samePhoneRecords(tx, record.id);
  const accountIds = [...new Set([record.accountId, ...samePhone.map((r) => r.accountId)].filter((id): id is string => id !== null))];
  const ofAccounts = accountIds.length > 0 ? await tx.select({ id: customers.id }).from(customers).where(inArray(customers.accountId, accountIds)) : [];
  return {
    subject: record.accountId ?? accountIds[0] ?? record.id,
    records: [...new Set([record.id, ...samePhone.map((r) => r.customerId), ...ofAccounts.map((r) => r.id)])],
  };
}

/**
 * Before a referral request is created: the person's consent must allow this requester and
 * category, and the frequency caps (over all requesters and all their records) must have room.
 */
export async function assertMayRequest(
  tx: Tx,
  vault: Vault,
  record: { id: string; accountId: string | null },
  requesterMerchantId: string,
  category: string | null,
  now = new Date(),
) {
  const person = await personOf(tx, vault, record);
  const settings = (await latestConsent(tx, person.subject))?.settings ?? DEFAULT_CONSENT;
  const refused =
    !settings.allowReferrals ||
    settings.blockedMerchantIds.includes(requesterMerchantId) ||
    (!!category && settings.categories.length > 0 && !settings.categories.includes(category));
  if (refused) throw consentRefused();
  const caps: [days: number, limit: number, onlyThisRequester: boolean][] = [
    [7, settings.maxRequestsPerWeek, false],
    [30, settings.maxRequestsPerMonth, false],
    [90, SAME_REQUESTER_LIMIT, true],
  ];
  for (const [days, limit, onlyThisRequester] of caps) {
    const since = new Date(now.getTime() - days * DAY_MS).toISOString();
    const [{ n }] = await tx
      .select({ n: count() })
      .from(referralRequests)
      .where(
        and(
          inArray(referralRequests.customerId, person.records),
          gte(referralRequests.createdAt, since),
          onlyThisRequester ? eq(referralRequests.requesterMerchantId, requesterMerchantId) : undefined,
        ),
      );
    if (n >= limit) throw consentRefused();
  }
}

/**
 * A new account takes over the consent history its customer record had (the versions the
 * merchant recorded), unchanged: same versions, who, when and why.
 */
export async function carryConsentHistory(tx: Tx, fromSubject: string, toSubject: string) {
  const versions = await tx.select().from(consentVersions).where(eq(consentVersions.subjectId, fromSubject)).orderBy(asc(consentVersions.version));
  if (versions.length > 0) await tx.insert(consentVersions).values(versions.map((v) => ({ ...v, id: newId(), subjectId: toSubject })));
}

/** Consent recorded by the originating merchant when it adds a customer (given in store, online…). */
export function recordInitialConsent(tx: Tx, customerId: string, merchantName: string, source: string) {
  return appendConsent(tx, customerId, DEFAULT_CONSENT, `MERCHANT:${merchantName}`, `consent given (${source})`);
}

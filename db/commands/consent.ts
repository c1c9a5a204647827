// Consent: append-only versions per customer, and the checks made before anyone may ask for contact.
import { and, asc, eq, gte, inArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { alias, QueryBuilder } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client.js';
import { AppError } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { consentVersions, customers, referralRequests, type ConsentSettingsData } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import { DEFAULT_CONSENT, latestConsent } from '../queries/consent.js';
import { enqueueReferralEvent } from './outbox.js';

/** At most this many requests from one requester to one customer per SAME_REQUESTER_DAYS. */
export const SAME_REQUESTER_LIMIT = 2;
const SAME_REQUESTER_DAYS = 90;
const DAY_MS = 86_400_000;

/** One person, one set of settings: the account once claimed, before that the customer record. */
export const consentSubject = (record: { id: string; accountId: string | null }): string => record.accountId ?? record.id;

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
export function updateConsent(db: Db, accountId: string, changes: ConsentChanges) {
  return inTransaction(db, async (tx) => {
    const current = (await latestConsent(tx, accountId))?.settings ?? DEFAULT_CONSENT;
    const next = applyChanges(current, changes);
    if (next.maxRequestsPerMonth < next.maxRequestsPerWeek) {
      throw new AppError('BAD_USER_INPUT', 'The monthly limit cannot be lower than the weekly limit.', { field: 'maxRequestsPerMonth' });
    }
    const row = await appendConsent(tx, accountId, next, 'CUSTOMER', changes.reason ?? null);
    // Turning referrals off stops new requests; blocking also ends what that merchant has pending.
    await declinePending(tx, accountId, next.blockedMerchantIds.filter((id) => !current.blockedMerchantIds.includes(id)));
    return row;
  });
}

/** The customer records of one person: those of her account, each confirmed by her with a code or signed in. */
async function recordsOfAccount(tx: Tx, accountId: string): Promise<string[]> {
  return (await tx.select({ id: customers.id }).from(customers).where(eq(customers.accountId, accountId))).map((r) => r.id);
}

/**
 * Declines a person's pending requests from the given requesters at her records. Requests held on
 * records she has not confirmed need nothing: her rules apply to them when she confirms one.
 */
async function declinePending(tx: Tx, accountId: string, fromRequesters: string[]) {
  if (fromRequesters.length === 0) return;
  const records = await recordsOfAccount(tx, accountId);
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
 * Whether the person behind a confirmed record may be asked by this requester now: her consent
 * (her account's settings) must allow the requester and category, and the frequency caps must
 * have room. Caps count requests delivered to her at any of her confirmed records; requests held
 * on records she never confirmed (a shop typing her phone in) count for nothing, so no shop can
 * use up her caps or read her settings through them.
 */
export async function mayBeAsked(tx: Tx, accountId: string, requesterMerchantId: string, category: string | null, now = new Date()): Promise<boolean> {
  const settings = (await latestConsent(tx, accountId))?.settings ?? DEFAULT_CONSENT;
  if (!consentAllows(settings, requesterMerchantId, category)) return false;
  // The three caps in one statement over her delivered requests of the last 90 days.
  const since = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const within = (days: number, also?: SQL) =>
    sql<number>`coalesce(sum(case when ${referralRequests.deliveredAt} >= ${since(days)}${also ? sql` and ${also}` : sql``} then 1 else 0 end), 0)`.mapWith(Number);
  const [asked] = await tx
    .select({
      week: within(7),
      month: within(30),
      byRequester: within(SAME_REQUESTER_DAYS, eq(referralRequests.requesterMerchantId, requesterMerchantId)),
    })
    .from(referralRequests)
    .innerJoin(customers, eq(customers.id, referralRequests.customerId))
    .where(and(eq(customers.accountId, accountId), gte(referralRequests.deliveredAt, since(SAME_REQUESTER_DAYS))));
  return capsAllow(settings, asked);
}

/** Her settings alone: referrals allowed, the requester not blocked, the category one she accepts. */
export function consentAllows(settings: ConsentSettingsData, requesterMerchantId: string, category: string | null): boolean {
  return !(
    !settings.allowReferrals ||
    settings.blockedMerchantIds.includes(requesterMerchantId) ||
    (!!category && settings.categories.length > 0 && !settings.categories.includes(category))
  );
}

/** What the caps count: her delivered requests of the last 7 and 30 days, and this requester's of the last 90. */
export interface AskedCounts {
  week: number;
  month: number;
  byRequester: number;
}

/** Whether the caps have room for one more request. */
export function capsAllow(settings: ConsentSettingsData, asked: AskedCounts | undefined): boolean {
  if (!asked) return true;
  return !(asked.week >= settings.maxRequestsPerWeek || asked.month >= settings.maxRequestsPerMonth || asked.byRequester >= SAME_REQUESTER_LIMIT);
}

const askedRequests = alias(referralRequests, 'asked_request');
const askedRecords = alias(customers, 'asked_customer');
const capsQb = new QueryBuilder();

/**
 * The caps' counts as columns of a prepared statement (mayBeAsked's statement, as subqueries on an
 * account id of the outer query and the requester's placeholder): the same counts over the same
 * rows. Bind the placeholders askedSince7, askedSince30 and askedSince90 with askedSince(now).
 */
export function askedColumns(accountId: SQLWrapper, requesterMerchantId: SQLWrapper) {
  const since90 = sql.placeholder('askedSince90');
  const count = (since: SQLWrapper, also?: SQL) =>
    sql<number>`(${capsQb
      .select({ n: sql`coalesce(sum(case when ${askedRequests.deliveredAt} >= ${since}${also ? sql` and ${also}` : sql``} then 1 else 0 end), 0)` })
      .from(askedRequests)
      .innerJoin(askedRecords, eq(askedRecords.id, askedRequests.customerId))
      .where(and(eq(askedRecords.accountId, accountId), gte(askedRequests.deliveredAt, since90)))})`.mapWith(Number);
  return {
    askedWeek: count(sql.placeholder('askedSince7')),
    askedMonth: count(sql.placeholder('askedSince30')),
    askedByRequester: count(since90, eq(askedRequests.requesterMerchantId, requesterMerchantId)),
  };
}

/** The values of askedColumns' placeholders at `now`. */
export function askedSince(now: Date) {
  const since = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  return { askedSince7: since(7), askedSince30: since(30), askedSince90: since(SAME_REQUESTER_DAYS) };
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

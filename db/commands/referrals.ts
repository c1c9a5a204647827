// The referral handoff: interest → request (or proposal) → the customer's answer → grant → revoke.
// Each function is one immediate transaction that re-checks its rule inside it.
import { and, asc, desc, eq, gt, inArray, isNull, lte } from 'drizzle-orm';
import type { Db } from '../client.js';
import { AppError, conflict, forbidden, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { arePartners } from '../queries/partners.js';
import {
  allianceMembers,
  communityMembers,
  contactGrants,
  conversions,
  customers,
  interests,
  merchants,
  offerPlacements,
  offers,
  privacyNotices,
  referralRequests,
  type ContactField,
} from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import { DEFAULT_CONSENT, latestConsent } from '../queries/consent.js';
import { appendConsent, consentRefused, consentSubject, mayBeAsked } from './consent.js';
import { enqueueReferralEvent, SWEEP_BATCH } from './outbox.js';
import { assignVariant } from './variants.js';

export const REQUEST_TTL_DAYS = 7;
export const MAX_RETENTION_DAYS = 365;
const DAY_MS = 86_400_000;

/** A published, current offer placed in a community this customer account is in, from a merchant not suspended there. */
async function offerVisibleToCustomer(tx: Tx, offerId: string, accountId: string, now: string) {
  const [visible] = await tx
    .select({ offer: offers, allianceId: offerPlacements.allianceId })
    .from(offers)
    .innerJoin(offerPlacements, eq(offerPlacements.offerId, offers.id))
    .innerJoin(
      communityMembers,
      and(eq(communityMembers.communityId, offerPlacements.communityId), eq(communityMembers.accountId, accountId), isNull(communityMembers.leftAt)),
    )
    .innerJoin(
      allianceMembers,
      and(eq(allianceMembers.allianceId, offerPlacements.allianceId), eq(allianceMembers.merchantId, offers.merchantId), eq(allianceMembers.status, 'APPROVED')),
    )
    .where(and(eq(offers.id, offerId), eq(offers.status, 'PUBLISHED'), gt(offers.endsAt, now)))
    // An offer placed in several of the customer's communities joins once per placement.
    .limit(1);
  return visible;
}

export async function expressInterest(db: Db, accountId: string, offerId: string, note: string | null) {
  return inTransaction(db, async (tx) => {
    const now = nowIso();
    const visible = await offerVisibleToCustomer(tx, offerId, accountId, now);
    if (!visible) throw notFound('offer');
    const [existing] = await tx.select().from(interests).where(and(eq(interests.offerId, offerId), eq(interests.accountId, accountId)));
    if (existing) return existing;
    // Interest in a campaign's offer is an exposure to the campaign: its A/B results count it.
    if (visible.offer.campaignId) await assignVariant(tx, visible.offer.campaignId, accountId);
    // Attribute the interest to the customer's record at a merchant of the offer's alliance,
    // preferring another merchant than the offering one (that is who introduces the customer).
    const records = await tx
      .select({ id: customers.id, merchantId: customers.merchantId })
      .from(customers)
      .innerJoin(allianceMembers, and(eq(allianceMembers.merchantId, customers.merchantId), eq(allianceMembers.allianceId, visible.allianceId), eq(allianceMembers.status, 'APPROVED')))
      .where(and(eq(customers.accountId, accountId), isNull(customers.erasedAt)))
      .orderBy(asc(customers.createdAt));
    const origin = records.find((r) => r.merchantId !== visible.offer.merchantId) ?? records[0];
    if (!origin) throw forbidden('Only customers of this alliance\'s merchants can respond to its offers.');
    const row = { id: newId(), offerId, offerMerchantId: visible.offer.merchantId, accountId, customerId: origin.id, originMerchantId: origin.merchantId, note, createdAt: now };
    await tx.insert(interests).values(row);
    return row;
  });
}

export interface ReferralAsk {
  purpose: string;
  fields: ContactField[];
  retentionDays: number;
  message: string | null;
}

async function currentNotice(tx: Tx, merchantId: string) {
  const [notice] = await tx
    .select({ id: privacyNotices.id, version: privacyNotices.version })
    .from(privacyNotices)
    .where(eq(privacyNotices.merchantId, merchantId))
    .orderBy(desc(privacyNotices.version))
    .limit(1);
  return notice;
}

/** A referral crosses only between merchants that are alliance partners now (not suspended, not gone). */
async function assertPartners(tx: Tx, requesterMerchantId: string, originMerchantId: string) {
  const [partner] = await tx.select({ id: merchants.id }).from(merchants).where(and(eq(merchants.id, requesterMerchantId), arePartners(merchants.id, originMerchantId)));
  if (!partner) throw forbidden('Referrals are made only between approved members of one alliance.');
}

type RecordRef = { id: string; accountId: string | null; claimedAt: string | null; erasedAt: string | null };

/** A record is the person's only once she confirmed it (with a code to her phone, or signed in with it). */
export const isConfirmed = (record: { accountId: string | null; claimedAt: string | null }) => record.accountId !== null && record.claimedAt !== null;

async function createRequest(
  tx: Tx,
  base: { requesterMerchantId: string; originMerchantId: string; customer: RecordRef; initiatedBy: 'REQUESTER' | 'ORIGIN'; interestId: string | null; offerId: string | null; category: string | null },
  ask: ReferralAsk,
) {
  if (base.requesterMerchantId === base.originMerchantId) throw conflict('This customer is already your own customer.');
  await assertPartners(tx, base.requesterMerchantId, base.originMerchantId);
  if (base.customer.erasedAt) throw consentRefused();
  // On a record the person has not confirmed the request is held, whatever her settings, caps or
  // other shops' requests: the answer must not depend on who the typed-in phone belongs to.
  const delivered = isConfirmed(base.customer);
  if (delivered && !(await mayBeAsked(tx, base.customer.accountId!, base.requesterMerchantId, base.category))) throw consentRefused();
  const now = new Date();
  const notice = await currentNotice(tx, base.requesterMerchantId);
  const row = {
    id: newId(),
    status: 'PENDING' as const,
    requesterMerchantId: base.requesterMerchantId,
    originMerchantId: base.originMerchantId,
    customerId: base.customer.id,
    initiatedBy: base.initiatedBy,
    interestId: base.interestId,
    offerId: base.offerId,
    purpose: ask.purpose,
    requestedFields: ask.fields,
    grantedFields: [] as ContactField[],
    retentionDays: ask.retentionDays,
    message: ask.message,
    requesterNoticeId: notice?.id ?? null,
    requesterNoticeVersion: notice?.version ?? null,
    createdAt: now.toISOString(),
    deliveredAt: delivered ? now.toISOString() : null,
    expiresAt: new Date(now.getTime() + REQUEST_TTL_DAYS * DAY_MS).toISOString(),
  };
  await tx.insert(referralRequests).values(row);
  // A held request is announced when it is delivered (deliverHeldRequests).
  if (delivered) await enqueueReferralEvent(tx, row.id, 'CREATED');
  return row;
}

/**
 * The person confirmed a record: the requests held on it that are still pending are delivered
 * one by one, oldest first, each under her rules as they stand (consent, blocks, caps counting
 * what was delivered before it); one her rules refuse is declined, as if she had.
 */
export async function deliverHeldRequests(tx: Tx, customerId: string, accountId: string, now = new Date()) {
  const held = await tx
    .select({ request: referralRequests, category: offers.category })
    .from(referralRequests)
    .leftJoin(offers, eq(offers.id, referralRequests.offerId))
    .where(and(eq(referralRequests.customerId, customerId), eq(referralRequests.status, 'PENDING'), isNull(referralRequests.deliveredAt), gt(referralRequests.expiresAt, now.toISOString())))
    .orderBy(asc(referralRequests.createdAt));
  const at = now.toISOString();
  for (const { request, category } of held) {
    if (await mayBeAsked(tx, accountId, request.requesterMerchantId, category, now)) {
      await tx.update(referralRequests).set({ deliveredAt: at }).where(eq(referralRequests.id, request.id));
      await enqueueReferralEvent(tx, request.id, 'CREATED');
    } else {
      await tx.update(referralRequests).set({ status: 'DECLINED', decidedAt: at }).where(eq(referralRequests.id, request.id));
      await enqueueReferralEvent(tx, request.id, 'DECLINED');
    }
  }
}

/** Creating referral requests reads the caps' newest rows, which every other creation writes: one at a time (db/tx.ts). */
const CREATING_REQUESTS = { oneAtATime: 'referral-requests' } as const;

/** The offering merchant asks for the contact of a customer who showed interest in its offer. */
export async function requestReferral(db: Db, requesterMerchantId: string, interestId: string, ask: ReferralAsk) {
  return inTransaction(db, async (tx) => {
    const [found] = await tx
      .select({ interest: interests, offer: offers, customer: customers })
      .from(interests)
      .innerJoin(offers, eq(offers.id, interests.offerId))
      .innerJoin(customers, eq(customers.id, interests.customerId))
      .where(eq(interests.id, interestId));
    if (!found || found.offer.merchantId !== requesterMerchantId) throw notFound('interest');
    const [requested] = await tx.select({ id: referralRequests.id }).from(referralRequests).where(eq(referralRequests.interestId, interestId));
    if (requested) {
      throw conflict('A referral was already requested for this interest.');
    }
    return createRequest(
      tx,
      {
        requesterMerchantId,
        originMerchantId: found.interest.originMerchantId,
        customer: found.customer,
        initiatedBy: 'REQUESTER',
        interestId,
        offerId: found.offer.id,
        category: found.offer.category,
      },
      ask,
    );
  }, CREATING_REQUESTS);
}

/** The originating merchant proposes introducing its own customer to an alliance partner. */
export async function proposeReferral(
  db: Db,
  originMerchantId: string,
  input: { customerId: string; toMerchantId: string; offerId: string | null } & ReferralAsk,
) {
  return inTransaction(db, async (tx) => {
    const [customer] = await tx.select().from(customers).where(eq(customers.id, input.customerId));
    if (!customer || customer.merchantId !== originMerchantId) throw notFound('customer');
    let category: string | null = null;
    if (input.offerId) {
      const [offer] = await tx.select().from(offers).where(eq(offers.id, input.offerId));
      if (!offer || offer.merchantId !== input.toMerchantId) throw new AppError('BAD_USER_INPUT', 'The offer must be one of the partner\'s offers.', { field: 'offerId' });
      category = offer.category;
    }
    return createRequest(
      tx,
      { requesterMerchantId: input.toMerchantId, originMerchantId, customer, initiatedBy: 'ORIGIN', interestId: null, offerId: input.offerId, category },
      input,
    );
  }, CREATING_REQUESTS);
}

/** Loads a request for its customer; someone else's request, or one held on a record she has not confirmed, is NOT_FOUND. */
async function requestOfCustomer(q: Db | Tx, referralId: string, accountId: string) {
  const [found] = await q
    .select({ request: referralRequests, customer: customers })
    .from(referralRequests)
    .innerJoin(customers, eq(customers.id, referralRequests.customerId))
    .where(eq(referralRequests.id, referralId));
  if (!found || found.customer.accountId !== accountId || !found.request.deliveredAt) throw notFound('referral request');
  return found;
}

/** A pending request whose time ran out is EXPIRED; the write makes the read-time rule durable. */
async function assertPending(tx: Tx, request: typeof referralRequests.$inferSelect, now: string) {
  if (request.status === 'PENDING' && request.expiresAt <= now) {
    await tx.update(referralRequests).set({ status: 'EXPIRED' }).where(eq(referralRequests.id, request.id));
    await enqueueReferralEvent(tx, request.id, 'EXPIRED');
    return 'EXPIRED';
  }
  return request.status;
}

export interface Response {
  accept: boolean;
  fields?: ContactField[] | null;
  blockRequester?: boolean | null;
}

/** The fields an acceptance grants: the chosen ones (default all requested), in requested order. */
export function grantedFieldsFor(requested: ContactField[], chosen: ContactField[] | null | undefined): ContactField[] {
  if (chosen && chosen.length === 0) throw new AppError('BAD_USER_INPUT', 'Choose at least one detail to share.', { field: 'fields' });
  const fields = chosen ?? requested;
  if (!fields.every((f) => requested.includes(f))) {
    throw new AppError('BAD_USER_INPUT', 'You can only share details that were asked for.', { field: 'fields' });
  }
  return requested.filter((f) => fields.includes(f));
}

/** Read-only facts about one of the customer's own requests, for the consent receipt signed before answering. */
export async function referralFacts(db: Db, accountId: string, referralId: string) {
  const found = await requestOfCustomer(db, referralId, accountId);
  const names = await db
    .select({ id: merchants.id, name: merchants.name })
    .from(merchants)
    .where(inArray(merchants.id, [found.request.requesterMerchantId, found.request.originMerchantId]));
  const nameOf = (id: string) => names.find((n) => n.id === id)?.name ?? '';
  return {
    ...found.request,
    requesterName: nameOf(found.request.requesterMerchantId),
    originName: nameOf(found.request.originMerchantId),
  };
}

export const grantValidUntil = (decidedAt: Date, retentionDays: number) => new Date(decidedAt.getTime() + retentionDays * DAY_MS).toISOString();

/**
 * The customer's answer. An acceptance creates the grant (and stores the consent receipt signed
 * for it); a decline may also block the requester. A request no longer pending is a CONFLICT.
 */
export async function respondToReferral(db: Db, accountId: string, referralId: string, response: Response, decided: { at: Date; receipt: string | null }) {
  const outcome = await inTransaction(db, async (tx) => {
    const { request, customer } = await requestOfCustomer(tx, referralId, accountId);
    const at = decided.at.toISOString();
    const status = await assertPending(tx, request, at);
    if (status !== 'PENDING') return { conflict: status };
    if (response.accept) {
      const granted = grantedFieldsFor(request.requestedFields, response.fields);
      await tx
        .update(referralRequests)
        .set({ status: 'ACCEPTED', grantedFields: granted, decidedAt: at, consentReceipt: decided.receipt })
        .where(eq(referralRequests.id, request.id));
      await tx.insert(contactGrants).values({
        id: newId(),
        referralId: request.id,
        merchantId: request.requesterMerchantId,
        customerId: customer.id,
        fields: granted,
        grantedAt: at,
        validUntil: grantValidUntil(decided.at, request.retentionDays),
      });
    } else {
      await tx.update(referralRequests).set({ status: 'DECLINED', decidedAt: at }).where(eq(referralRequests.id, request.id));
      if (response.blockRequester) {
        const subject = consentSubject(customer);
        const current = (await latestConsent(tx, subject))?.settings ?? DEFAULT_CONSENT;
        if (!current.blockedMerchantIds.includes(request.requesterMerchantId)) {
          await appendConsent(tx, subject, { ...current, blockedMerchantIds: [...current.blockedMerchantIds, request.requesterMerchantId] }, 'CUSTOMER', 'blocked when declining a referral request');
        }
      }
    }
    await enqueueReferralEvent(tx, request.id, response.accept ? 'ACCEPTED' : 'DECLINED');
    return { ok: request.id };
  });
  if ('conflict' in outcome) throw conflict(`This request can no longer be answered (it is ${outcome.conflict}).`);
  return outcome.ok;
}

/** The merchant that made the request (or the proposing origin) takes it back while pending. */
export async function withdrawReferral(db: Db, merchantId: string, referralId: string) {
  const outcome = await inTransaction(db, async (tx) => {
    const [request] = await tx.select().from(referralRequests).where(eq(referralRequests.id, referralId));
    const initiator = request?.initiatedBy === 'ORIGIN' ? request.originMerchantId : request?.requesterMerchantId;
    if (!request || (merchantId !== request.requesterMerchantId && merchantId !== request.originMerchantId)) throw notFound('referral request');
    if (merchantId !== initiator) throw forbidden('Only the merchant that made this request can withdraw it.');
    const status = await assertPending(tx, request, nowIso());
    if (status !== 'PENDING') return { conflict: status };
    await tx.update(referralRequests).set({ status: 'WITHDRAWN', decidedAt: nowIso() }).where(eq(referralRequests.id, referralId));
    await enqueueReferralEvent(tx, referralId, 'WITHDRAWN');
    return { ok: referralId };
  });
  if ('conflict' in outcome) throw conflict(`This request can no longer be withdrawn (it is ${outcome.conflict}).`);
  return outcome.ok;
}

/** The customer ends a grant at once: the contact is null from then on. */
export async function revokeGrant(db: Db, accountId: string, referralId: string) {
  return inTransaction(db, async (tx) => {
    const { request } = await requestOfCustomer(tx, referralId, accountId);
    if (request.status !== 'ACCEPTED') throw conflict('Only an accepted referral can be revoked.');
    const now = nowIso();
    await tx.update(referralRequests).set({ status: 'REVOKED' }).where(eq(referralRequests.id, referralId));
    await tx.update(contactGrants).set({ revokedAt: now }).where(and(eq(contactGrants.referralId, referralId), isNull(contactGrants.revokedAt)));
    await enqueueReferralEvent(tx, referralId, 'REVOKED');
    return referralId;
  });
}

export async function recordConversion(db: Db, merchantId: string, referralId: string, amount: number) {
  return inTransaction(db, async (tx) => {
    const [request] = await tx.select().from(referralRequests).where(eq(referralRequests.id, referralId));
    if (!request || (request.requesterMerchantId !== merchantId && request.originMerchantId !== merchantId)) throw notFound('referral request');
    if (request.requesterMerchantId !== merchantId) throw forbidden('Only the merchant that received the referral records its sales.');
    if (request.status !== 'ACCEPTED' && request.status !== 'REVOKED') throw conflict('Sales can only be recorded on an accepted referral.');
    await tx.insert(conversions).values({ id: newId(), referralId, amount, at: nowIso() });
    return referralId;
  });
}

/**
 * The sweep job: pending requests past their expiry become EXPIRED, at most `limit` per call (one
 * short transaction each; the job calls again while a batch comes back full). Idempotent.
 */
export async function expirePendingReferrals(db: Db, now = nowIso(), limit = SWEEP_BATCH): Promise<number> {
  return inTransaction(db, async (tx) => {
    const due = tx
      .select({ id: referralRequests.id })
      .from(referralRequests)
      .where(and(eq(referralRequests.status, 'PENDING'), lte(referralRequests.expiresAt, now)))
      .limit(limit);
    const expired = await tx
      .update(referralRequests)
      .set({ status: 'EXPIRED' })
      .where(inArray(referralRequests.id, due))
      .returning({ id: referralRequests.id });
    await enqueueReferralEvent(tx, expired.map((r) => r.id), 'EXPIRED');
    return expired.length;
  });
}

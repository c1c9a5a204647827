// The referral handoff: interest → request (or proposal) → the customer's answer → grant → revoke.
// Each function is one immediate transaction that re-checks its rule inside it.
import { and, asc, desc, eq, exists, gt, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { QueryBuilder } from 'drizzle-orm/sqlite-core';
import type { Db } from '../client.js';
import { AppError, conflict, forbidden, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { arePartners } from '../queries/partners.js';
import {
  allianceMembers,
  communityMembers,
  consentVersions,
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
import { preparedPerConnection, statementName } from '../queries/prepared.js';
import { appendConsent, askedColumns, askedSince, capsAllow, consentAllows, consentRefused, consentSubject, mayBeAsked, type AskedCounts } from './consent.js';
import { enqueueReferralEvent, SWEEP_BATCH } from './outbox.js';
import { assignVariant } from './variants.js';

export const REQUEST_TTL_DAYS = 7;
export const MAX_RETENTION_DAYS = 365;
const DAY_MS = 86_400_000;

const qb = new QueryBuilder();
/** A merchant's name as a column (a subquery: aliases of this SQLite builder join only in its own subqueries). */
const nameOf = (merchantId: typeof referralRequests.requesterMerchantId) =>
  sql<string | null>`(${qb.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, merchantId))})`;

/** The request the customer answers, as requestOfCustomer and assertPending let it be answered now. */
const answerable = () =>
  and(
    eq(referralRequests.id, sql.placeholder('id')),
    eq(referralRequests.status, 'PENDING'),
    gt(referralRequests.expiresAt, sql.placeholder('at')),
    isNotNull(referralRequests.deliveredAt),
    exists(qb.select({ one: sql`1` }).from(customers).where(and(eq(customers.id, referralRequests.customerId), eq(customers.accountId, sql.placeholder('accountId'))))),
  );

/**
 * The hot statements of asking and answering, prepared once per connection (inside a transaction
 * they run on its `tx`: db/queries/prepared.ts).
 */
const statements = preparedPerConnection((q) => {
  const requester = sql.placeholder('requesterMerchantId');
  return {
    /**
     * Everything requestReferral decides on, in one read: the interest with its offer and customer
     * record, whether a request was made on it (requests of an interest are at its customer record,
     * so the customer index finds them), whether requester and origin are partners, the requester's
     * current privacy notice, and the customer's consent settings and caps' counts (used only for
     * a confirmed record, as mayBeAsked reads them).
     */
    interestToAsk: q
      .select({
        originMerchantId: interests.originMerchantId,
        offerId: offers.id,
        offerMerchantId: offers.merchantId,
        category: offers.category,
        customer: { id: customers.id, accountId: customers.accountId, claimedAt: customers.claimedAt, erasedAt: customers.erasedAt },
        requestedId: referralRequests.id,
        partners: sql<number>`case when ${arePartners(requester, interests.originMerchantId)} then 1 else 0 end`.mapWith(Number),
        noticeId: sql<string | null>`(${qb.select({ id: privacyNotices.id }).from(privacyNotices).where(eq(privacyNotices.merchantId, requester)).orderBy(desc(privacyNotices.version)).limit(1)})`,
        noticeVersion: sql<number | null>`(${qb.select({ version: privacyNotices.version }).from(privacyNotices).where(eq(privacyNotices.merchantId, requester)).orderBy(desc(privacyNotices.version)).limit(1)})`.mapWith(Number),
        settings: sql<typeof consentVersions.$inferSelect.settings | null>`(${qb
          .select({ settings: consentVersions.settings })
          .from(consentVersions)
          .where(eq(consentVersions.subjectId, customers.accountId))
          .orderBy(desc(consentVersions.version))
          .limit(1)})`.mapWith(consentVersions.settings),
        ...askedColumns(customers.accountId, requester),
      })
      .from(interests)
      .innerJoin(offers, eq(offers.id, interests.offerId))
      .innerJoin(customers, eq(customers.id, interests.customerId))
      .leftJoin(referralRequests, and(eq(referralRequests.customerId, interests.customerId), eq(referralRequests.interestId, interests.id)))
      .where(eq(interests.id, sql.placeholder('interestId')))
      .limit(1)
      .prepare(...statementName('referral_interest_to_ask')),
    insertRequest: q
      .insert(referralRequests)
      .values({
        id: sql.placeholder('id'),
        status: sql.placeholder('status'),
        requesterMerchantId: sql.placeholder('requesterMerchantId'),
        originMerchantId: sql.placeholder('originMerchantId'),
        customerId: sql.placeholder('customerId'),
        initiatedBy: sql.placeholder('initiatedBy'),
        interestId: sql.placeholder('interestId'),
        offerId: sql.placeholder('offerId'),
        purpose: sql.placeholder('purpose'),
        requestedFields: sql.placeholder('requestedFields'),
        grantedFields: sql.placeholder('grantedFields'),
        retentionDays: sql.placeholder('retentionDays'),
        message: sql.placeholder('message'),
        requesterNoticeId: sql.placeholder('requesterNoticeId'),
        requesterNoticeVersion: sql.placeholder('requesterNoticeVersion'),
        createdAt: sql.placeholder('createdAt'),
        deliveredAt: sql.placeholder('deliveredAt'),
        expiresAt: sql.placeholder('expiresAt'),
      })
      .prepare(...statementName('referral_insert_request')),
    /** A request with its customer record's owner (requestOfCustomer). */
    requestOfCustomer: q
      .select({ request: referralRequests, customer: { id: customers.id, accountId: customers.accountId } })
      .from(referralRequests)
      .innerJoin(customers, eq(customers.id, referralRequests.customerId))
      .where(eq(referralRequests.id, sql.placeholder('referralId')))
      .prepare(...statementName('referral_request_of_customer')),
    /** The same with both merchants' names, for the consent receipt (referralFacts). */
    facts: q
      .select({ request: referralRequests, accountId: customers.accountId, requesterName: nameOf(referralRequests.requesterMerchantId), originName: nameOf(referralRequests.originMerchantId) })
      .from(referralRequests)
      .innerJoin(customers, eq(customers.id, referralRequests.customerId))
      .where(eq(referralRequests.id, sql.placeholder('referralId')))
      .prepare(...statementName('referral_facts')),
    /**
     * The answer in one statement when it may be given at once: her request (at a record of her
     * account), delivered, pending and not expired. No row: respondToReferral's read decides.
     */
    acceptIfPending: q
      .update(referralRequests)
      .set({ status: 'ACCEPTED', grantedFields: sql.placeholder('grantedFields'), decidedAt: sql.placeholder('at'), consentReceipt: sql.placeholder('receipt') })
      .where(answerable())
      .returning({ id: referralRequests.id, requesterMerchantId: referralRequests.requesterMerchantId, customerId: referralRequests.customerId, retentionDays: referralRequests.retentionDays })
      .prepare(...statementName('referral_accept_if_pending')),
    declineIfPending: q
      .update(referralRequests)
      .set({ status: 'DECLINED', decidedAt: sql.placeholder('at') })
      .where(answerable())
      .returning({ id: referralRequests.id, requesterMerchantId: referralRequests.requesterMerchantId, customerId: referralRequests.customerId })
      .prepare(...statementName('referral_decline_if_pending')),
    accept: q
      .update(referralRequests)
      .set({ status: 'ACCEPTED', grantedFields: sql.placeholder('grantedFields'), decidedAt: sql.placeholder('at'), consentReceipt: sql.placeholder('receipt') })
      .where(eq(referralRequests.id, sql.placeholder('id')))
      .prepare(...statementName('referral_accept')),
    decline: q
      .update(referralRequests)
      .set({ status: 'DECLINED', decidedAt: sql.placeholder('at') })
      .where(eq(referralRequests.id, sql.placeholder('id')))
      .prepare(...statementName('referral_decline')),
    insertGrant: q
      .insert(contactGrants)
      .values({
        id: sql.placeholder('id'),
        referralId: sql.placeholder('referralId'),
        merchantId: sql.placeholder('merchantId'),
        customerId: sql.placeholder('customerId'),
        fields: sql.placeholder('fields'),
        grantedAt: sql.placeholder('grantedAt'),
        validUntil: sql.placeholder('validUntil'),
      })
      .prepare(...statementName('referral_insert_grant')),
  };
});

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
  if (!partner) throw partnersOnly();
}

const partnersOnly = () => forbidden('Referrals are made only between approved members of one alliance.');

type RecordRef = { id: string; accountId: string | null; claimedAt: string | null; erasedAt: string | null };

/** A record is the person's only once she confirmed it (with a code to her phone, or signed in with it). */
export const isConfirmed = (record: { accountId: string | null; claimedAt: string | null }) => record.accountId !== null && record.claimedAt !== null;

/** What createRequest would read, read already with the interest (requestReferral's one statement). */
interface ReadAlready {
  partners: boolean;
  notice: { id: string; version: number } | undefined;
  settings: typeof consentVersions.$inferSelect.settings | null;
  asked: AskedCounts;
}

async function createRequest(
  tx: Tx,
  base: { requesterMerchantId: string; originMerchantId: string; customer: RecordRef; initiatedBy: 'REQUESTER' | 'ORIGIN'; interestId: string | null; offerId: string | null; category: string | null },
  ask: ReferralAsk,
  read?: ReadAlready,
) {
  if (base.requesterMerchantId === base.originMerchantId) throw conflict('This customer is already your own customer.');
  if (!read) await assertPartners(tx, base.requesterMerchantId, base.originMerchantId);
  else if (!read.partners) throw partnersOnly();
  if (base.customer.erasedAt) throw consentRefused();
  // On a record the person has not confirmed the request is held, whatever her settings, caps or
  // other shops' requests: the answer must not depend on who the typed-in phone belongs to.
  const delivered = isConfirmed(base.customer);
  if (delivered) {
    const settings = read ? (read.settings ?? DEFAULT_CONSENT) : undefined;
    const allowed = settings
      ? consentAllows(settings, base.requesterMerchantId, base.category) && capsAllow(settings, read!.asked)
      : await mayBeAsked(tx, base.customer.accountId!, base.requesterMerchantId, base.category);
    if (!allowed) throw consentRefused();
  }
  const now = new Date();
  const notice = read ? read.notice : await currentNotice(tx, base.requesterMerchantId);
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
  await statements(tx).insertRequest.execute(row);
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
    const [found] = await statements(tx).interestToAsk.execute({ interestId, requesterMerchantId, ...askedSince(new Date()) });
    if (!found || found.offerMerchantId !== requesterMerchantId) throw notFound('interest');
    if (found.requestedId !== null) {
      throw conflict('A referral was already requested for this interest.');
    }
    return createRequest(
      tx,
      {
        requesterMerchantId,
        originMerchantId: found.originMerchantId,
        customer: found.customer,
        initiatedBy: 'REQUESTER',
        interestId,
        offerId: found.offerId,
        category: found.category,
      },
      ask,
      {
        partners: found.partners === 1,
        notice: found.noticeId === null ? undefined : { id: found.noticeId, version: found.noticeVersion! },
        settings: found.settings,
        asked: { week: found.askedWeek, month: found.askedMonth, byRequester: found.askedByRequester },
      },
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
  const [found] = await statements(q).requestOfCustomer.execute({ referralId });
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
  // requestOfCustomer's read and rule, with both merchants' names in the same statement.
  const [found] = await statements(db).facts.execute({ referralId });
  if (!found || found.accountId !== accountId || !found.request.deliveredAt) throw notFound('referral request');
  return {
    ...found.request,
    requesterName: found.requesterName ?? '',
    originName: found.originName ?? '',
  };
}

export const grantValidUntil = (decidedAt: Date, retentionDays: number) => new Date(decidedAt.getTime() + retentionDays * DAY_MS).toISOString();

/**
 * The customer's answer. An acceptance creates the grant (and stores the consent receipt signed
 * for it); a decline may also block the requester. A request no longer pending is a CONFLICT.
 */
export async function respondToReferral(
  db: Db,
  accountId: string,
  referralId: string,
  response: Response,
  decided: { at: Date; receipt: string | null; /** The fields an acceptance grants, when the caller computed them from the request (they never change). */ granted?: ContactField[] },
) {
  const outcome = await inTransaction(db, async (tx) => {
    const at = decided.at.toISOString();
    // The usual case: answered by one conditional update; otherwise the read below says why not.
    if (!response.accept || decided.granted) {
      const answered = await answerAtOnce(tx, accountId, referralId, response, { at: decided.at, receipt: decided.receipt, granted: decided.granted });
      if (answered) return { ok: answered };
    }
    const { request, customer } = await requestOfCustomer(tx, referralId, accountId);
    const status = await assertPending(tx, request, at);
    if (status !== 'PENDING') return { conflict: status };
    if (response.accept) {
      const granted = grantedFieldsFor(request.requestedFields, response.fields);
      const prepared = statements(tx);
      await prepared.accept.execute({ id: request.id, grantedFields: granted, at, receipt: decided.receipt });
      await prepared.insertGrant.execute({
        id: newId(),
        referralId: request.id,
        merchantId: request.requesterMerchantId,
        customerId: customer.id,
        fields: granted,
        grantedAt: at,
        validUntil: grantValidUntil(decided.at, request.retentionDays),
      });
    } else {
      await statements(tx).decline.execute({ id: request.id, at });
      if (response.blockRequester) await blockRequester(tx, customer, request.requesterMerchantId);
    }
    await enqueueReferralEvent(tx, request.id, response.accept ? 'ACCEPTED' : 'DECLINED');
    return { ok: request.id };
  });
  if ('conflict' in outcome) throw conflict(`This request can no longer be answered (it is ${outcome.conflict}).`);
  return outcome.ok;
}

/** respondToReferral's writes for a request that may be answered now, in one update; undefined when it may not. */
async function answerAtOnce(tx: Tx, accountId: string, referralId: string, response: Response, decided: { at: Date; receipt: string | null; granted?: ContactField[] }) {
  const prepared = statements(tx);
  const at = decided.at.toISOString();
  if (response.accept) {
    const [accepted] = await prepared.acceptIfPending.execute({ id: referralId, accountId, at, grantedFields: decided.granted!, receipt: decided.receipt });
    if (!accepted) return undefined;
    await prepared.insertGrant.execute({
      id: newId(),
      referralId: accepted.id,
      merchantId: accepted.requesterMerchantId,
      customerId: accepted.customerId,
      fields: decided.granted!,
      grantedAt: at,
      validUntil: grantValidUntil(decided.at, accepted.retentionDays),
    });
    await enqueueReferralEvent(tx, accepted.id, 'ACCEPTED');
    return accepted.id;
  }
  const [declined] = await prepared.declineIfPending.execute({ id: referralId, accountId, at });
  if (!declined) return undefined;
  if (response.blockRequester) await blockRequester(tx, { id: declined.customerId, accountId }, declined.requesterMerchantId);
  await enqueueReferralEvent(tx, declined.id, 'DECLINED');
  return declined.id;
}

/** A decline that also blocks the requester: a new consent version, unless it is blocked already. */
async function blockRequester(tx: Tx, customer: { id: string; accountId: string | null }, requesterMerchantId: string) {
  const subject = consentSubject(customer);
  const current = (await latestConsent(tx, subject))?.settings ?? DEFAULT_CONSENT;
  if (!current.blockedMerchantIds.includes(requesterMerchantId)) {
    await appendConsent(tx, subject, { ...current, blockedMerchantIds: [...current.blockedMerchantIds, requesterMerchantId] }, 'CUSTOMER', 'blocked when declining a referral request');
  }
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

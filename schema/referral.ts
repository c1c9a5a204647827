// The referral handoff in the API: interests, requests, the customer's answer, grants, the access log.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import * as referrals from '../db/commands/referrals.js';
import { nowIso } from '../db/ids.js';
import { grantsOfAccounts } from '../db/queries/referrals.js';
import type { Ordering, Row, Where } from '../db/queries/rows.js';
import type { ReferralStatus } from '../db/tables/index.js';
import type { Context } from '../services/context.js';
import { answerReferral } from '../services/referrals.js';
import { consume } from '../services/rate-limits.js';
import { builder } from './builder.js';
import { ContactFieldEnum, CustomerRefRef, CustomerSelfRef } from './customer.js';
import { connectionOf, loaderFor, nodesOf, rowById, rowOf, rowsWhere, visibleOrNull } from './loaders.js';
import { MerchantRef, PrivacyNoticeRef } from './merchant.js';
import { OfferRef } from './offer.js';
import { NOTHING } from './policies/access.js';
import { localId } from './policies/global-id.js';
import { canSeeCustomerOwnedRow } from './policies/grants-and-access-log.js';
import { canSeeInterest, interestWhere, ownInterestWhere } from './policies/interests.js';
import { isOwnMerchant } from './policies/merchants.js';
import { canSeeReceipt, canSeeReferralRow, referralWhere } from './policies/referrals.js';
import { text } from './validators.js';

export const ReferralStatusEnum = builder.enumType('ReferralStatus', {
  values: ['PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'WITHDRAWN', 'REVOKED'] as const,
});
const AccessKindEnum = builder.enumType('AccessKind', {
  values: {
    OWN_RECORD: { description: "An originating merchant's account read its own customer's record." },
    GRANT: { description: "A merchant read a contact through a customer's grant." },
    SELF: { description: 'The customer read or exported their own data.' },
  } as const,
});

/** A pending request past its expiry reads EXPIRED even before the sweep job has run. */
const effectiveStatus = (r: { status: ReferralStatus; expiresAt: string }): ReferralStatus =>
  r.status === 'PENDING' && r.expiresAt <= nowIso() ? 'EXPIRED' : r.status;

const ContactCardRef = builder.objectRef<{ contact: Partial<Record<string, string | null>>; validUntil: string }>('ContactCard').implement({
  fields: (t) => ({
    name: t.string({ nullable: true, resolve: (c) => c.contact.NAME ?? null }),
    phone: t.string({ nullable: true, resolve: (c) => c.contact.PHONE ?? null }),
    address: t.string({ nullable: true, resolve: (c) => c.contact.ADDRESS ?? null }),
    wechat: t.string({ nullable: true, resolve: (c) => c.contact.WECHAT ?? null }),
    validUntil: t.expose('validUntil', { type: 'DateTime' }),
  }),
});

export const ReferralRequestRef = builder.node(builder.objectRef<Row<'referralRequests'>>('ReferralRequest'), {
  id: { resolve: (r) => r.id },
  loadMany: nodesOf('referralRequests'),
  rule: (r, ctx) => canSeeReferralRow(ctx, r),
  fields: (t) => ({
    status: t.field({ type: ReferralStatusEnum, resolve: effectiveStatus }),
    requester: t.field({
      type: MerchantRef,
      description: 'The merchant asking for the contact.',
      resolve: (r, _a, ctx) => rowOf(ctx, 'merchants', r.requesterMerchantId),
    }),
    origin: t.field({
      type: MerchantRef,
      description: "The merchant that holds the customer's identity.",
      resolve: (r, _a, ctx) => rowOf(ctx, 'merchants', r.originMerchantId),
    }),
    customer: t.field({ type: CustomerRefRef, resolve: (r) => ({ customerId: r.customerId }) }),
    offer: t.field({ type: OfferRef, nullable: true, resolve: (r, _a, ctx) => rowById(ctx, 'offers', r.offerId) }),
    purpose: t.exposeString('purpose'),
    requestedFields: t.field({ type: [ContactFieldEnum], resolve: (r) => r.requestedFields }),
    grantedFields: t.field({
      type: [ContactFieldEnum],
      description: 'Fields the customer agreed to share (subset of requestedFields), empty unless ACCEPTED.',
      resolve: (r) => r.grantedFields,
    }),
    retentionDays: t.exposeInt('retentionDays'),
    message: t.exposeString('message', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    contact: t.field({
      type: ContactCardRef,
      nullable: true,
      description: 'The requester only, and only while the grant is ACCEPTED and in force: the granted fields; others null.',
      // The vault decides: it returns nothing unless the viewer's merchant holds a grant in force.
      resolve: (r, _a, ctx) => ctx.contacts.granted.load(r.id),
    }),
    requesterNoticeVersion: t.exposeInt('requesterNoticeVersion', { nullable: true }),
    requesterNotice: t.field({
      type: PrivacyNoticeRef,
      nullable: true,
      description: "The requester's privacy notice as shown to the customer with this request (that version's text).",
      resolve: (r, _a, ctx) => rowById(ctx, 'privacyNotices', r.requesterNoticeId),
    }),
    consentReceipt: t.string({
      nullable: true,
      description:
        'After acceptance, for the customer and the requester: a compact JWS signed by the platform (verifiable with the keys at /.well-known/jwks.json) recording who granted what to whom, for which purpose and until when. It holds pseudonyms, never contact details.',
      resolve: (r, _a, ctx) => (canSeeReceipt(ctx.viewer, r) ? r.consentReceipt : null),
    }),
  }),
});

export const InterestRef = builder.node(builder.objectRef<Row<'interests'>>('Interest'), {
  id: { resolve: (i) => i.id },
  loadMany: nodesOf('interests'),
  rule: (i, ctx) => canSeeInterest(ctx.viewer, i),
  fields: (t) => ({
    offer: t.field({ type: OfferRef, resolve: (i, _a, ctx) => rowOf(ctx, 'offers', i.offerId) }),
    customer: t.field({ type: CustomerRefRef, resolve: (i) => ({ customerId: i.customerId }) }),
    originMerchant: t.field({
      type: MerchantRef,
      description: "The merchant that holds this customer's identity.",
      resolve: (i, _a, ctx) => rowOf(ctx, 'merchants', i.originMerchantId),
    }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    referral: t.field({
      type: ReferralRequestRef,
      nullable: true,
      description: 'The referral request made from this interest, if any.',
      // interestId is unique: at most one request per interest.
      // A request held on a record she has not confirmed is not hers to see yet: null, as if there were none.
      resolve: async (i, _a, ctx) => visibleOrNull(ctx, 'ReferralRequest', (await rowsWhere(ctx, 'Interest.referral', 'referralRequests', 'interestId', i.id))[0]),
    }),
  }),
});

const ContactGrantRef = builder.objectRef<Row<'contactGrants'>>('ContactGrant').implement({
  rule: (g, ctx) => canSeeCustomerOwnedRow(ctx, g),
  fields: (t) => ({
    referral: t.field({ type: ReferralRequestRef, resolve: (g, _a, ctx) => rowOf(ctx, 'referralRequests', g.referralId) }),
    merchant: t.field({ type: MerchantRef, resolve: (g, _a, ctx) => rowOf(ctx, 'merchants', g.merchantId) }),
    fields: t.field({ type: [ContactFieldEnum], resolve: (g) => g.fields }),
    grantedAt: t.expose('grantedAt', { type: 'DateTime' }),
    validUntil: t.expose('validUntil', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const AccessLogEntryRef = builder.objectRef<Row<'accessLog'>>('AccessLogEntry').implement({
  rule: (e, ctx) => canSeeCustomerOwnedRow(ctx, e),
  fields: (t) => ({
    id: t.id({ resolve: (e) => encodeGlobalID('AccessLogEntry', e.id) }),
    at: t.expose('at', { type: 'DateTime' }),
    merchant: t.field({ type: MerchantRef, nullable: true, resolve: (e, _a, ctx) => rowById(ctx, 'merchants', e.merchantId) }),
    actor: t.exposeString('actorName', { description: 'Display name of the account that read the data.' }),
    kind: t.expose('kind', { type: AccessKindEnum }),
    fields: t.field({ type: [ContactFieldEnum], resolve: (e) => e.fields }),
    customer: t.field({
      type: CustomerRefRef,
      description: 'The customer whose data was read, as the reader is allowed to see them.',
      resolve: (e) => ({ customerId: e.customerId }),
    }),
  }),
});

const ReferralRequestConnection = builder.connectionObject({ type: ReferralRequestRef, name: 'ReferralRequestConnection' }, { name: 'ReferralRequestEdge' });
const AccessLogEntryConnection = builder.connectionObject({ type: AccessLogEntryRef, name: 'AccessLogEntryConnection' }, { name: 'AccessLogEntryEdge' });
const InterestConnection = builder.connectionObject({ type: InterestRef, name: 'InterestConnection' }, { name: 'InterestEdge' });

/** Newest first; ids are time-ordered and unique. */
const NEWEST: Ordering = [['id', 'desc']];

/**
 * A list of referral requests: the list's own condition, the status asked for, and the requests
 * the viewer may see (the type's own rule as a filter: requests held on records she has not
 * confirmed are not hers to see).
 */
const referralList = (ctx: Context, of: Where<'referralRequests'>, status: ReferralStatus | null | undefined): { where: Where<'referralRequests'>; ordering: Ordering } => ({
  where: { AND: [of, referralWhere(ctx.viewer), ...(status ? [{ status }] : [])] },
  ordering: NEWEST,
});

builder.objectFields(MerchantRef, (t) => ({
  referralsSent: t.connection(
    {
      type: ReferralRequestRef,
      description: 'Owner/staff of this merchant only.',
      authScopes: isOwnMerchant,
      args: { status: t.arg({ type: ReferralStatusEnum }) },
      resolve: (m, args, ctx) => connectionOf(ctx, 'referralRequests', args, referralList(ctx, { requesterMerchantId: m.id }, args.status)),
    },
    ReferralRequestConnection,
  ),
  referralsOfMyCustomers: t.connection(
    {
      type: ReferralRequestRef,
      description: "Owner/staff of this merchant only: referrals of this merchant's own customers to others.",
      authScopes: isOwnMerchant,
      args: { status: t.arg({ type: ReferralStatusEnum }) },
      resolve: (m, args, ctx) => connectionOf(ctx, 'referralRequests', args, referralList(ctx, { originMerchantId: m.id }, args.status)),
    },
    ReferralRequestConnection,
  ),
  accessLog: t.connection(
    {
      type: AccessLogEntryRef,
      description: "Owner/staff only: every read of customer personal information by this merchant's accounts.",
      authScopes: isOwnMerchant,
      resolve: (m, args, ctx) => connectionOf(ctx, 'accessLog', args, { where: { merchantId: m.id }, ordering: NEWEST }),
    },
    AccessLogEntryConnection,
  ),
}));

builder.objectFields(OfferRef, (t) => ({
  viewerInterested: t.boolean({
    description: 'Customers: whether the viewer has expressed interest.',
    // One statement for every offer of a page: the viewer's own interests among them.
    resolve: async (o, _a, ctx) =>
      !!ctx.viewer && (await rowsWhere(ctx, 'Offer.viewerInterested', 'interests', 'offerId', o.id, { where: ownInterestWhere(ctx.viewer) })).length > 0,
  }),
  interests: t.connection(
    {
      type: InterestRef,
      description: 'The offering merchant only: pseudonymous interest signals, no personal information.',
      authScopes: { merchantStaff: true },
      // Another merchant's offer lists nothing: the list form of Interest's own rule.
      resolve: (o, args, ctx) => connectionOf(ctx, 'interests', args, { where: { AND: [{ offerId: o.id }, interestWhere(ctx.viewer)] }, ordering: NEWEST }),
    },
    InterestConnection,
  ),
}));

/**
 * The rows about an account's customer records (one per shop): an IN over the records' ids, read
 * first through their account index, so the list is a prepared statement starting from her few records.
 */
async function ofAccountRecords<T extends 'referralRequests' | 'accessLog'>(ctx: Context, accountId: string): Promise<Where<T>> {
  const records = await rowsWhere(ctx, 'CustomerSelf.records', 'customers', 'accountId', accountId);
  return (records.length ? { customerId: { in: records.map((c) => c.id) } } : NOTHING) as Where<T>;
}

builder.objectFields(CustomerSelfRef, (t) => ({
  referralRequests: t.connection(
    {
      type: ReferralRequestRef,
      args: { status: t.arg({ type: ReferralStatusEnum }) },
      resolve: async (a, args, ctx) => connectionOf(ctx, 'referralRequests', args, referralList(ctx, await ofAccountRecords<'referralRequests'>(ctx, a.id), args.status)),
    },
    ReferralRequestConnection,
  ),
  accessLog: t.connection(
    {
      type: AccessLogEntryRef,
      description: "Every read of this customer's personal information, by any merchant account.",
      resolve: async (a, args, ctx) => connectionOf(ctx, 'accessLog', args, { where: await ofAccountRecords<'accessLog'>(ctx, a.id), ordering: NEWEST }),
    },
    AccessLogEntryConnection,
  ),
  grants: t.field({
    type: [ContactGrantRef],
    description: 'Contact grants this customer has given (active and ended).',
    resolve: (a, _args, ctx) =>
      loaderFor<string, Row<'contactGrants'>[]>(ctx, 'CustomerSelf.grants', async (accountIds) => {
        const byAccount = new Map<string, Row<'contactGrants'>[]>(accountIds.map((id) => [id, []]));
        for (const { grant, accountId } of await grantsOfAccounts(ctx.deps.db, accountIds)) byAccount.get(accountId!)?.push(grant);
        return accountIds.map((id) => byAccount.get(id)!);
      }).load(a.id),
  }),
}));

builder.queryFields((t) => ({
  referralRequest: t.field({
    type: ReferralRequestRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    // A request the viewer may not see answers null, as one that does not exist.
    resolve: async (_root, args, ctx) => visibleOrNull(ctx, 'ReferralRequest', await rowById(ctx, 'referralRequests', localId('ReferralRequest', args.id))),
  }),
}));

const fieldsList = z.array(z.enum(['NAME', 'PHONE', 'ADDRESS', 'WECHAT'])).min(1, 'choose at least one field').refine((f) => new Set(f).size === f.length, 'fields must not repeat');
const askFields = (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => ({
  purpose: t.string({ required: true, validate: text(500) }),
  fields: t.field({ type: [ContactFieldEnum], required: true, validate: fieldsList }),
  retentionDays: t.int({ required: true, validate: z.number().int().min(1).max(referrals.MAX_RETENTION_DAYS) }),
  message: t.string({ validate: text(1000).optional() }),
});

const RequestReferralInput = builder.inputType('RequestReferralInput', {
  fields: (t) => ({
    interestId: t.id({ required: true, description: 'An interest a customer expressed in one of the requester\'s offers.' }),
    ...askFields(t),
  }),
});

const ProposeReferralInput = builder.inputType('ProposeReferralInput', {
  fields: (t) => ({
    customerId: t.id({ required: true, description: "One of the proposing (originating) merchant's own customers." }),
    toMerchantId: t.id({ required: true, description: 'The alliance member the customer would be introduced to.' }),
    offerId: t.id(),
    ...askFields(t),
  }),
});

const RespondToReferralInput = builder.inputType('RespondToReferralInput', {
  fields: (t) => ({
    referralId: t.id({ required: true }),
    accept: t.boolean({ required: true }),
    fields: t.field({
      type: [ContactFieldEnum],
      description: 'With accept: the fields to share, a non-empty subset of requestedFields. Defaults to all requested.',
    }),
    blockRequester: t.boolean({ description: 'With decline: also block this requester from asking again.' }),
  }),
});

/** A request as createRequest inserted it: every column but the two set later (when it is answered). */
const newRequest = (row: Omit<Row<'referralRequests'>, 'decidedAt' | 'consentReceipt'>): Row<'referralRequests'> => ({ ...row, decidedAt: null, consentReceipt: null });

builder.mutationFields((t) => ({
  expressInterest: t.field({
    type: InterestRef,
    authScopes: { customer: true },
    args: { offerId: t.arg.id({ required: true }), note: t.arg.string({ validate: text(500).optional() }) },
    resolve: (_root, args, ctx) => referrals.expressInterest(ctx.deps.db, ctx.viewer!.accountId, localId('Offer', args.offerId), args.note ?? null),
  }),
  requestReferral: t.field({
    type: ReferralRequestRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: RequestReferralInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await consume(ctx.deps.limits.referralRequestsPerMerchant, ctx.viewer!.merchantId!);
      const row = await referrals.requestReferral(ctx.deps.db, ctx.viewer!.merchantId!, localId('Interest', input.interestId), {
        purpose: input.purpose,
        fields: input.fields,
        retentionDays: input.retentionDays,
        message: input.message ?? null,
      });
      return newRequest(row);
    },
  }),
  proposeReferral: t.field({
    type: ReferralRequestRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: ProposeReferralInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await consume(ctx.deps.limits.referralRequestsPerMerchant, ctx.viewer!.merchantId!);
      const row = await referrals.proposeReferral(ctx.deps.db, ctx.viewer!.merchantId!, {
        customerId: localId('Customer', input.customerId),
        toMerchantId: localId('Merchant', input.toMerchantId),
        offerId: input.offerId ? localId('Offer', input.offerId) : null,
        purpose: input.purpose,
        fields: input.fields,
        retentionDays: input.retentionDays,
        message: input.message ?? null,
      });
      return newRequest(row);
    },
  }),
  respondToReferral: t.field({
    type: ReferralRequestRef,
    authScopes: { customer: true },
    args: { input: t.arg({ type: RespondToReferralInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const id = await answerReferral(ctx.deps, ctx.viewer!.accountId, localId('ReferralRequest', input.referralId), input);
      return rowOf(ctx, 'referralRequests', id);
    },
  }),
  withdrawReferral: t.field({
    type: ReferralRequestRef,
    authScopes: { merchantStaff: true },
    args: { referralId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = await referrals.withdrawReferral(ctx.deps.db, ctx.viewer!.merchantId!, localId('ReferralRequest', args.referralId));
      return rowOf(ctx, 'referralRequests', id);
    },
  }),
  revokeGrant: t.field({
    type: ReferralRequestRef,
    authScopes: { customer: true },
    args: { referralId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = await referrals.revokeGrant(ctx.deps.db, ctx.viewer!.accountId, localId('ReferralRequest', args.referralId));
      return rowOf(ctx, 'referralRequests', id);
    },
  }),
  recordConversion: t.field({
    type: ReferralRequestRef,
    authScopes: { merchantStaff: true },
    args: {
      referralId: t.arg.id({ required: true }),
      amount: t.arg.int({ required: true, validate: z.number().int().min(1).max(100_000_000) }),
    },
    resolve: async (_root, args, ctx) => {
      // A sale changes no column of the request: its row as the request may already have read it.
      const id = await referrals.recordConversion(ctx.deps.db, ctx.viewer!.merchantId!, localId('ReferralRequest', args.referralId), args.amount);
      return rowOf(ctx, 'referralRequests', id);
    },
  }),
}));

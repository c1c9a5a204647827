// The referral handoff in the API: interests, requests, the customer's answer, grants, the access log.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { z } from 'zod';
import * as referrals from '../db/commands/referrals.js';
import { nowIso } from '../db/ids.js';
import type { ReferralStatus } from '../db/tables/index.js';
import { answerReferral } from '../services/referrals.js';
import { consume } from '../services/rate-limits.js';
import { builder } from './builder.js';
import { ContactFieldEnum, CustomerRefRef, CustomerSelfRef } from './customer.js';
import { localId } from './policies/global-id.js';
import { canSeeCustomerOwned, customerOwnedSelection } from './policies/grants-and-access-log.js';
import { canSeeInterest, interestWhere, ownInterestWhere } from './policies/interests.js';
import { isOwnMerchant } from './policies/merchants.js';
import { canSeeReceipt, canSeeReferral, referralAccessSelection, referralWhere } from './policies/referrals.js';
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

export const ReferralRequestRef = builder.drizzleNode('referralRequests', {
  name: 'ReferralRequest',
  id: { column: (r) => r.id },
  select: referralAccessSelection,
  authScopes: (r, ctx) => canSeeReferral(ctx.viewer, r),
  fields: (t) => ({
    status: t.field({ type: ReferralStatusEnum, select: { columns: { status: true, expiresAt: true } }, resolve: effectiveStatus }),
    requester: t.relation('requester', { description: 'The merchant asking for the contact.' }),
    origin: t.relation('origin', { description: "The merchant that holds the customer's identity." }),
    customer: t.field({ type: CustomerRefRef, select: { columns: { customerId: true } }, resolve: (r) => ({ customerId: r.customerId }) }),
    offer: t.relation('offer', { nullable: true }),
    purpose: t.exposeString('purpose'),
    requestedFields: t.field({ type: [ContactFieldEnum], select: { columns: { requestedFields: true } }, resolve: (r) => r.requestedFields }),
    grantedFields: t.field({
      type: [ContactFieldEnum],
      description: 'Fields the customer agreed to share (subset of requestedFields), empty unless ACCEPTED.',
      select: { columns: { grantedFields: true } },
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
      select: { columns: { id: true } },
      // The vault decides: it returns nothing unless the viewer's merchant holds a grant in force.
      resolve: (r, _a, ctx) => ctx.contacts.granted.load(r.id),
    }),
    requesterNoticeVersion: t.exposeInt('requesterNoticeVersion', { nullable: true }),
    requesterNotice: t.relation('requesterNotice', {
      nullable: true,
      description: "The requester's privacy notice as shown to the customer with this request (that version's text).",
    }),
    consentReceipt: t.string({
      nullable: true,
      description:
        'After acceptance, for the customer and the requester: a compact JWS signed by the platform (verifiable with the keys at /.well-known/jwks.json) recording who granted what to whom, for which purpose and until when. It holds pseudonyms, never contact details.',
      select: { columns: { consentReceipt: true, requesterMerchantId: true } },
      resolve: (r, _a, ctx) => (canSeeReceipt(ctx.viewer, r) ? r.consentReceipt : null),
    }),
  }),
});

export const InterestRef = builder.drizzleNode('interests', {
  name: 'Interest',
  id: { column: (i) => i.id },
  select: { columns: { offerMerchantId: true, accountId: true } },
  authScopes: (i, ctx) => canSeeInterest(ctx.viewer, i),
  fields: (t) => ({
    offer: t.relation('offer'),
    customer: t.field({ type: CustomerRefRef, select: { columns: { customerId: true } }, resolve: (i) => ({ customerId: i.customerId }) }),
    originMerchant: t.relation('originMerchant', { description: "The merchant that holds this customer's identity." }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    referral: t.relation('referral', { nullable: true, description: 'The referral request made from this interest, if any.' }),
  }),
});

builder.drizzleObject('contactGrants', {
  name: 'ContactGrant',
  select: customerOwnedSelection,
  authScopes: (g, ctx) => canSeeCustomerOwned(ctx.viewer, g),
  fields: (t) => ({
    referral: t.relation('referral'),
    merchant: t.relation('merchant'),
    fields: t.field({ type: [ContactFieldEnum], select: { columns: { fields: true } }, resolve: (g) => g.fields }),
    grantedAt: t.expose('grantedAt', { type: 'DateTime' }),
    validUntil: t.expose('validUntil', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const AccessLogEntryRef = builder.drizzleObject('accessLog', {
  name: 'AccessLogEntry',
  select: customerOwnedSelection,
  authScopes: (e, ctx) => canSeeCustomerOwned(ctx.viewer, e),
  fields: (t) => ({
    id: t.id({ select: { columns: { id: true } }, resolve: (e) => encodeGlobalID('AccessLogEntry', e.id) }),
    at: t.expose('at', { type: 'DateTime' }),
    merchant: t.relation('merchant', { nullable: true }),
    actor: t.exposeString('actorName', { description: 'Display name of the account that read the data.' }),
    kind: t.expose('kind', { type: AccessKindEnum }),
    fields: t.field({ type: [ContactFieldEnum], select: { columns: { fields: true } }, resolve: (e) => e.fields }),
    customer: t.field({
      type: CustomerRefRef,
      description: 'The customer whose data was read, as the reader is allowed to see them.',
      select: { columns: { customerId: true } },
      resolve: (e) => ({ customerId: e.customerId }),
    }),
  }),
});

const ReferralRequestConnection = builder.connectionObject({ type: ReferralRequestRef, name: 'ReferralRequestConnection' }, { name: 'ReferralRequestEdge' });
const AccessLogEntryConnection = builder.connectionObject({ type: AccessLogEntryRef, name: 'AccessLogEntryConnection' }, { name: 'AccessLogEntryEdge' });
const InterestConnection = builder.connectionObject({ type: InterestRef, name: 'InterestConnection' }, { name: 'InterestEdge' });



builder.drizzleObjectFields('merchants', (t) => ({
  referralsSent: t.relatedConnection('referralsSent', {
    description: 'Owner/staff of this merchant only.',
    authScopes: isOwnMerchant,
    args: { status: t.arg({ type: ReferralStatusEnum }) },
    // Requests held on records she has not confirmed are not hers to see: the type's own rule.
    query: (args, ctx) => ({ where: { AND: [referralWhere(ctx.viewer), args.status ? { status: args.status } : {}] }, orderBy: { id: 'desc' } }),
  }, ReferralRequestConnection),
  referralsOfMyCustomers: t.relatedConnection('referralsOfMyCustomers', {
    description: "Owner/staff of this merchant only: referrals of this merchant's own customers to others.",
    authScopes: isOwnMerchant,
    args: { status: t.arg({ type: ReferralStatusEnum }) },
    // Requests held on records she has not confirmed are not hers to see: the type's own rule.
    query: (args, ctx) => ({ where: { AND: [referralWhere(ctx.viewer), args.status ? { status: args.status } : {}] }, orderBy: { id: 'desc' } }),
  }, ReferralRequestConnection),
  accessLog: t.relatedConnection('accessLog', {
    description: "Owner/staff only: every read of customer personal information by this merchant's accounts.",
    authScopes: isOwnMerchant,
    query: { orderBy: { id: 'desc' } },
  }, AccessLogEntryConnection),
}));

builder.drizzleObjectFields('offers', (t) => ({
  viewerInterested: t.boolean({
    description: 'Customers: whether the viewer has expressed interest.',
    select: (_args, ctx) => ({ with: { interests: { columns: { id: true }, where: ownInterestWhere(ctx.viewer), limit: 1 } } }),
    resolve: (o) => o.interests.length > 0,
  }),
  interests: t.relatedConnection('interests', {
    description: 'The offering merchant only: pseudonymous interest signals, no personal information.',
    authScopes: { merchantStaff: true },
    // Another merchant's offer lists nothing: the list form of Interest's own scope.
    query: (_args, ctx) => ({ where: interestWhere(ctx.viewer), orderBy: { id: 'desc' } }),
  }, InterestConnection),
}));

builder.drizzleObjectFields(CustomerSelfRef, (t) => ({
  referralRequests: t.relatedConnection('referralRequests', {
    args: { status: t.arg({ type: ReferralStatusEnum }) },
    // Requests held on records she has not confirmed are not hers to see: the type's own rule.
    query: (args, ctx) => ({ where: { AND: [referralWhere(ctx.viewer), args.status ? { status: args.status } : {}] }, orderBy: { id: 'desc' } }),
  }, ReferralRequestConnection),
  accessLog: t.relatedConnection('accessLog', {
    description: "Every read of this customer's personal information, by any merchant account.",
    query: { orderBy: { id: 'desc' } },
  }, AccessLogEntryConnection),
  grants: t.relation('grants', {
    description: 'Contact grants this customer has given (active and ended).',
    query: { orderBy: { grantedAt: 'desc' } },
  }),
}));

builder.queryFields((t) => ({
  referralRequest: t.drizzleField({
    type: ReferralRequestRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) =>
      ctx.deps.db.query.referralRequests.findFirst(
        query({ where: { AND: [{ id: localId('ReferralRequest', args.id) }, referralWhere(ctx.viewer)] } }),
      ),
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

builder.mutationFields((t) => ({
  expressInterest: t.drizzleField({
    type: InterestRef,
    authScopes: { customer: true },
    args: { offerId: t.arg.id({ required: true }), note: t.arg.string({ validate: text(500).optional() }) },
    resolve: async (query, _root, args, ctx) => {
      const row = await referrals.expressInterest(ctx.deps.db, ctx.viewer!.accountId, localId('Offer', args.offerId), args.note ?? null);
      return ctx.deps.db.query.interests.findFirst(query({ where: { id: row.id } })).then((r) => r!);
    },
  }),
  requestReferral: t.drizzleField({
    type: ReferralRequestRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: RequestReferralInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      await consume(ctx.deps.limits.referralRequestsPerMerchant, ctx.viewer!.merchantId!);
      const row = await referrals.requestReferral(ctx.deps.db, ctx.viewer!.merchantId!, localId('Interest', input.interestId), {
        purpose: input.purpose,
        fields: input.fields,
        retentionDays: input.retentionDays,
        message: input.message ?? null,
      });
      return ctx.deps.db.query.referralRequests.findFirst(query({ where: { id: row.id } })).then((r) => r!);
    },
  }),
  proposeReferral: t.drizzleField({
    type: ReferralRequestRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: ProposeReferralInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
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
      return ctx.deps.db.query.referralRequests.findFirst(query({ where: { id: row.id } })).then((r) => r!);
    },
  }),
  respondToReferral: t.drizzleField({
    type: ReferralRequestRef,
    authScopes: { customer: true },
    args: { input: t.arg({ type: RespondToReferralInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const id = await answerReferral(ctx.deps, ctx.viewer!.accountId, localId('ReferralRequest', input.referralId), input);
      return ctx.deps.db.query.referralRequests.findFirst(query({ where: { id } })).then((r) => r!);
    },
  }),
  withdrawReferral: t.drizzleField({
    type: ReferralRequestRef,
    authScopes: { merchantStaff: true },
    args: { referralId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = await referrals.withdrawReferral(ctx.deps.db, ctx.viewer!.merchantId!, localId('ReferralRequest', args.referralId));
      return ctx.deps.db.query.referralRequests.findFirst(query({ where: { id } })).then((r) => r!);
    },
  }),
  revokeGrant: t.drizzleField({
    type: ReferralRequestRef,
    authScopes: { customer: true },
    args: { referralId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = await referrals.revokeGrant(ctx.deps.db, ctx.viewer!.accountId, localId('ReferralRequest', args.referralId));
      return ctx.deps.db.query.referralRequests.findFirst(query({ where: { id } })).then((r) => r!);
    },
  }),
  recordConversion: t.drizzleField({
    type: ReferralRequestRef,
    authScopes: { merchantStaff: true },
    args: {
      referralId: t.arg.id({ required: true }),
      amount: t.arg.int({ required: true, validate: z.number().int().min(1).max(100_000_000) }),
    },
    resolve: async (query, _root, args, ctx) => {
      const id = await referrals.recordConversion(ctx.deps.db, ctx.viewer!.merchantId!, localId('ReferralRequest', args.referralId), args.amount);
      return ctx.deps.db.query.referralRequests.findFirst(query({ where: { id } })).then((r) => r!);
    },
  }),
}));

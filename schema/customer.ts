// Customers as their originating merchant sees them, customers as everyone else sees them
// (a pseudonym), and a customer looking at themselves.
import { and, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { jsonArrayContains } from '../db/dialect/kit.js';
import { badInput, unauthenticated } from '../db/errors.js';
import { customers } from '../db/tables/index.js';
import * as customerCommands from '../db/commands/customers.js';
import { isConfirmed } from '../db/commands/referrals.js';
import { communitiesOfAccounts, merchantsHoldingAccounts } from '../db/queries/customer-reads.js';
import type { Row } from '../db/queries/rows.js';
import type { ContactField } from '../db/vault.js';
import { sendChangePhoneCode, sendClaimCode } from '../services/auth/codes.js';
import { claimCustomerInvite } from '../services/auth/sessions.js';
import type { Context, Viewer } from '../services/context.js';
import { builder } from './builder.js';
import { CommunityRef } from './community.js';
import { connectionOf, countOf, loaderFor, nodesOf, rowById, rowOf, rowsWhere, visibleOrNull } from './loaders.js';
import { MerchantRef } from './merchant.js';
import { canHandOverInvite, canSeeCustomer, customerVisibleSql, customerWhere } from './policies/customers.js';
import { localId } from './policies/global-id.js';
import { isOwnMerchant } from './policies/merchants.js';
import { name, oneTimeCode, password, phone, text } from './validators.js';
import { PhoneCodeSentRef, SessionRef, toSession, ViewerRef } from './viewer.js';

export const ContactFieldEnum = builder.enumType('ContactField', { values: ['NAME', 'PHONE', 'ADDRESS', 'WECHAT'] as const });
export const ConsentSourceEnum = builder.enumType('ConsentSource', { values: ['IN_STORE', 'ONLINE', 'PHONE', 'IMPORT'] as const });

/** The key a pseudonym is computed for: the viewing merchant, else the viewing account. */
const viewerKey = (v: Viewer | null) => v?.merchantId ?? v?.accountId ?? 'anonymous';
export const pseudonymOf = (ctx: Context, customerId: string) => ctx.deps.vault.pseudonymFor(customerId, viewerKey(ctx.viewer));

/** One contact field of the viewer's own customer, through the vault (null without the right). */
const contactField = (field: ContactField) => (c: { id: string }, _args: object, ctx: Context) => ctx.contacts.own.load(`${c.id}:${field}`);

/** The newest unused invite of a customer, loaded for a whole page of customers in one statement. */
const unusedInviteOf = async (ctx: Context, customerId: string) =>
  (
    await rowsWhere(ctx, 'Customer.unusedInvite', 'customerInvites', 'customerId', customerId, {
      where: { usedAt: { isNull: true } },
      orderBy: [['createdAt', 'desc'], ['id', 'desc']],
    })
  )[0];

/** The invite is read only for a viewer who may hand it over. */
const inviteCodeFor = async (ctx: Context, c: Row<'customers'>) =>
  canHandOverInvite(ctx.viewer, c) ? customerCommands.inviteCodeOf(ctx.deps.vault, await unusedInviteOf(ctx, c.id)) : null;

export const CustomerRef = builder.node(builder.objectRef<Row<'customers'>>('Customer'), {
  description:
    'A customer as the originating merchant sees them. Only that merchant\'s accounts can reach this type; the contact fields are null for staff without contact permission and after erasure.',
  id: { resolve: (c) => c.id },
  loadMany: nodesOf('customers'),
  rule: (c, ctx) => canSeeCustomer(ctx.viewer, c),
  fields: (t) => ({
    pseudonym: t.string({ resolve: (c, _a, ctx) => pseudonymOf(ctx, c.id) }),
    name: t.string({ nullable: true, resolve: contactField('NAME') }),
    phone: t.string({ nullable: true, resolve: contactField('PHONE') }),
    address: t.string({ nullable: true, resolve: contactField('ADDRESS') }),
    wechat: t.string({ nullable: true, resolve: contactField('WECHAT') }),
    erased: t.boolean({
      description: 'True once the customer erased their personal information at this merchant.',
      resolve: (c) => c.erasedAt !== null,
    }),
    tags: t.exposeStringList('tags'),
    consentSource: t.expose('consentSource', { type: ConsentSourceEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    claimedAt: t.expose('claimedAt', { type: 'DateTime', nullable: true, description: 'Set once the customer has claimed an account.' }),
    confirmed: t.boolean({
      description: "True once the person proved this phone is hers and that she is this shop's customer; until then the record is only the shop's word.",
      resolve: (c) => isConfirmed(c),
    }),
    inviteCode: t.string({
      nullable: true,
      description:
        'A one-time code (and URL for a QR code) the customer uses to claim their account, with a code sent to their phone. Null for staff without contact permission.',
      resolve: (c, _a, ctx) => inviteCodeFor(ctx, c),
    }),
    inviteUrl: t.string({
      nullable: true,
      resolve: async (c, _a, ctx) => {
        const code = await inviteCodeFor(ctx, c);
        return code ? `${ctx.deps.config.PUBLIC_URL}/claim?code=${code}` : null;
      },
    }),
  }),
});

/** How any other merchant, or an alliance admin, sees a customer. */
export const CustomerRefRef = builder.objectRef<{ customerId: string }>('CustomerRef').implement({
  description: 'How any other merchant, or an alliance admin, sees a customer: a stable pseudonym per viewing merchant, nothing else.',
  fields: (t) => ({
    pseudonym: t.string({ resolve: (r, _a, ctx) => pseudonymOf(ctx, r.customerId) }),
  }),
});

/** A page of customers carries its count, read only when `totalCount` is asked for. */
interface CountedPage {
  totalCount?: () => Promise<number>;
}

const CustomerConnection = builder.connectionObject(
  {
    type: CustomerRef,
    name: 'CustomerConnection',
    fields: (t) => ({ totalCount: t.int({ resolve: (c) => (c as CountedPage).totalCount?.() ?? 0 }) }),
  },
  { name: 'CustomerEdge' },
);

/** The search of a customer list, as a condition on the table (the list's page and its count share it). */
function customerSearch(ctx: Context, search: string | null | undefined): ((c: typeof customers) => SQL) | undefined {
  const term = search?.trim();
  if (!term) return undefined;
  const byPhone = z.string().pipe(phone).safeParse(term);
  if (byPhone.success) return ctx.deps.vault.holdsPhone(byPhone.data);
  // Names are encrypted, so search covers tags (exact) and phone numbers (blind index).
  return (c) => jsonArrayContains(ctx.deps.db, c.tags, term);
}

builder.objectFields(MerchantRef, (t) => ({
  customers: t.connection(
    {
      type: CustomerRef,
      description: 'Owner/staff of this merchant only; other viewers get FORBIDDEN.',
      authScopes: isOwnMerchant,
      args: { search: t.arg.string({ validate: text(100).optional() }) },
      resolve: async (m, args, ctx) => {
        const search = customerSearch(ctx, args.search);
        const page = await connectionOf(ctx, 'customers', args, {
          where: { AND: [{ merchantId: m.id }, customerWhere(ctx.viewer), ...(search ? [{ RAW: search }] : [])] },
          ordering: [['id', 'desc']],
        });
        // The count has the page's filter (the merchant, the policy, the search), batched across merchants.
        const totalCount = () =>
          countOf(ctx, `Merchant.customers:${args.search?.trim() ?? ''}`, customers, customers.merchantId, m.id, and(customerVisibleSql(ctx.viewer), search?.(customers)));
        return Object.assign(page, { totalCount } satisfies CountedPage);
      },
    },
    CustomerConnection,
  ),
}));

const AddCustomerInput = builder.inputType('AddCustomerInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: name }),
    phone: t.string({ required: true, validate: phone }),
    address: t.string({ validate: text(200).optional() }),
    wechat: t.string({ validate: text(60).optional() }),
    tags: t.stringList({ validate: z.array(text(30)).max(20) }),
    consentSource: t.field({ type: ConsentSourceEnum, required: true }),
    consentCollectedAt: t.field({
      type: 'DateTime',
      description: 'Required with IMPORT: when the customer gave this shop consent to keep their details.',
      validate: z.string().refine((at) => at <= new Date().toISOString(), 'cannot be in the future').optional(),
    }),
    consentCollectedWhere: t.string({
      description: 'Required with IMPORT: where (which store, event or form) the customer gave consent.',
      validate: text(200).optional(),
    }),
    consentGiven: t.boolean({
      required: true,
      description: 'Must be true: the customer agreed to this merchant keeping their details.',
      validate: z.literal(true, { message: 'the customer must agree to you keeping their details' }),
    }),
  }),
});

const ClaimCustomerInviteInput = builder.inputType('ClaimCustomerInviteInput', {
  fields: (t) => ({
    code: t.string({ required: true, validate: text(20) }),
    password: t.string({ required: true, validate: password }),
    phoneCode: t.string({
      required: true,
      description: 'The one-time code sent by SMS to the phone on the customer record (sendPhoneCode with CLAIM_INVITE).',
      validate: oneTimeCode,
    }),
  }),
});

const PhoneCodePurposeEnum = builder.enumType('PhoneCodePurpose', { values: ['CLAIM_INVITE', 'CHANGE_PHONE'] as const });

const SendPhoneCodeInput = builder.inputType('SendPhoneCodeInput', {
  fields: (t) => ({
    purpose: t.field({ type: PhoneCodePurposeEnum, required: true }),
    inviteCode: t.string({ description: 'With CLAIM_INVITE: the invite; the code goes to the phone on that customer record.', validate: text(20).optional() }),
    phone: t.string({ description: 'With CHANGE_PHONE (signed in as the customer): the new phone.', validate: phone.optional() }),
  }),
});

builder.queryFields((t) => ({
  customer: t.field({
    type: CustomerRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    // Another merchant's customer, or none: null alike.
    resolve: async (_root, args, ctx) => visibleOrNull(ctx, 'Customer', await rowById(ctx, 'customers', localId('Customer', args.id))),
  }),
}));

/** An import's declared consent: both when and where, or a clear error naming the missing one. */
function importedConsent(input: { consentSource: string; consentCollectedAt?: Date | string | null; consentCollectedWhere?: string | null }) {
  if (input.consentSource !== 'IMPORT') return null;
  if (!input.consentCollectedAt) throw badInput('consentCollectedAt', 'For an import, say when the customer gave consent.');
  if (!input.consentCollectedWhere?.trim()) throw badInput('consentCollectedWhere', 'For an import, say where the customer gave consent.');
  const at = input.consentCollectedAt instanceof Date ? input.consentCollectedAt.toISOString() : input.consentCollectedAt;
  return { at, where: input.consentCollectedWhere.trim() };
}

builder.mutationFields((t) => ({
  addCustomer: t.field({
    type: CustomerRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: AddCustomerInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { customerId } = await customerCommands.addCustomer(ctx.deps.db, ctx.deps.vault, ctx.viewer!.merchantId!, {
        name: input.name,
        phone: input.phone,
        address: input.address ?? null,
        wechat: input.wechat ?? null,
        tags: input.tags ?? [],
        consentSource: input.consentSource,
        consentCollected: importedConsent(input),
      }, { perDay: ctx.deps.config.CUSTOMERS_ADDED_PER_DAY });
      return rowOf(ctx, 'customers', customerId);
    },
  }),
  sendPhoneCode: t.field({
    type: PhoneCodeSentRef,
    args: { input: t.arg({ type: SendPhoneCodeInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      if (input.purpose === 'CLAIM_INVITE') {
        if (!input.inviteCode) throw badInput('inviteCode', 'Enter the invite code from the shop.');
        return sendClaimCode(ctx.deps, ctx.ip, input.inviteCode);
      }
      if (ctx.viewer?.kind !== 'CUSTOMER') throw unauthenticated('Sign in to change your phone number.');
      if (!input.phone) throw badInput('phone', 'Enter the new phone number.');
      return sendChangePhoneCode(ctx.deps, ctx.ip, ctx.viewer.accountId, input.phone);
    },
  }),
  claimCustomerInvite: t.field({
    type: SessionRef,
    args: { input: t.arg({ type: ClaimCustomerInviteInput, required: true }) },
    resolve: async (_root, { input }, ctx) => toSession(ctx, await claimCustomerInvite(ctx.deps, { ...input, ip: ctx.ip })),
  }),
}));

/** A customer account looking at itself (its row of the accounts table). */
export const CustomerSelfRef = builder.node(builder.objectRef<Row<'accounts'>>('CustomerSelf'), {
  description: 'A customer looking at themselves.',
  // A node so that what returns it is read again the way node(id) reads (an idempotent replay).
  id: { resolve: (a) => a.id },
  loadMany: nodesOf('accounts'),
  rule: (a, ctx) => ctx.viewer?.kind === 'CUSTOMER' && a.id === ctx.viewer.accountId,
  fields: (t) => ({
    displayName: t.string({
      resolve: async (_a, _args, ctx) => {
        const mine = await ctx.deps.vault.readSelf(ctx.viewer!, ['NAME']);
        return [...mine.values()].find((c) => c.NAME)?.NAME ?? ctx.viewer!.displayName;
      },
    }),
    merchants: t.field({
      type: [MerchantRef],
      description: 'The merchants holding a record of this customer (the originating merchants).',
      resolve: (a, _args, ctx) => loaderFor(ctx, 'CustomerSelf.merchants', (ids: readonly string[]) => merchantsHoldingAccounts(ctx.deps.db, ids)).load(a.id),
    }),
    communities: t.field({
      type: [CommunityRef],
      description: 'Communities this customer is in.',
      resolve: (a, _args, ctx) => loaderFor(ctx, 'CustomerSelf.communities', (ids: readonly string[]) => communitiesOfAccounts(ctx.deps.db, ids)).load(a.id),
    }),
  }),
});

builder.objectFields(ViewerRef, (t) => ({
  customer: t.field({
    type: CustomerSelfRef,
    nullable: true,
    description: 'Present when the account is a customer.',
    resolve: (v, _a, ctx) => (v.kind === 'CUSTOMER' ? rowById(ctx, 'accounts', v.accountId) : null),
  }),
}));

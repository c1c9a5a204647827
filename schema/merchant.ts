import { encodeGlobalID } from '@pothos/plugin-relay';
import { publishPrivacyNotice, removeStaff, setStaffContactAccess } from '../db/commands/accounts.js';
import { latestPrivacyNotices } from '../db/queries/alliance-reads.js';
import type { Row } from '../db/queries/rows.js';
import type { Context } from '../services/context.js';
import { localId } from './policies/global-id.js';
import { builder } from './builder.js';
import { loaderFor, nodesOf, rowOf, rowsWhere } from './loaders.js';
import { longText } from './validators.js';

export const PrivacyNoticeRef = builder.objectRef<Row<'privacyNotices'>>('PrivacyNotice').implement({
  // Published for customers to read before they consent.
  rule: () => true,
  fields: (t) => ({
    version: t.exposeInt('version'),
    text: t.exposeString('text'),
    publishedAt: t.expose('publishedAt', { type: 'DateTime' }),
  }),
});

/** A merchant's current privacy notice (the highest version), read in one statement for every merchant of the request. */
const privacyNoticeOf = (ctx: Context, merchantId: string) =>
  loaderFor<string, Row<'privacyNotices'> | null>(ctx, 'Merchant.privacyNotice', async (merchantIds) => {
    const latest = await latestPrivacyNotices(ctx.deps.db, merchantIds);
    return merchantIds.map((id) => latest.get(id) ?? null);
  }).load(merchantId);

// A merchant's business card (name, category, city, public contact) is published for customers and
// is not personal information; the fields that reveal relationships or customers guard themselves.
export const MerchantRef = builder.node(builder.objectRef<Row<'merchants'>>('Merchant'), {
  id: { resolve: (m) => m.id },
  loadMany: nodesOf('merchants'),
  rule: () => true,
  fields: (t) => ({
    name: t.exposeString('name'),
    category: t.exposeString('category'),
    city: t.exposeString('city'),
    publicContact: t.exposeString('publicContact', { nullable: true }),
    privacyNotice: t.field({
      type: PrivacyNoticeRef,
      nullable: true,
      resolve: (m, _args, ctx) => privacyNoticeOf(ctx, m.id),
    }),
  }),
});

const isMerchantOwner = (ctx: Context, merchantId: string) => ctx.viewer?.staffRole === 'OWNER' && ctx.viewer.merchantId === merchantId;

/** A merchant's staff as its owner manages them. */
const StaffMemberRef = builder.objectRef<Row<'merchantStaff'>>('StaffMember').implement({
  rule: (s, ctx) => isMerchantOwner(ctx, s.merchantId),
  fields: (t) => ({
    accountId: t.id({ resolve: (s) => encodeGlobalID('Account', s.accountId) }),
    role: t.exposeString('role'),
    canViewContacts: t.exposeBoolean('canViewContacts'),
    displayName: t.string({ resolve: async (s, _args, ctx) => (await rowOf(ctx, 'accounts', s.accountId)).displayName }),
    email: t.string({ nullable: true, resolve: async (s, _args, ctx) => (await rowOf(ctx, 'accounts', s.accountId)).email }),
    removed: t.boolean({ resolve: async (s, _args, ctx) => (await rowOf(ctx, 'accounts', s.accountId)).disabledAt !== null }),
  }),
});

builder.objectField(MerchantRef, 'staff', (t) =>
  t.field({
    type: [StaffMemberRef],
    description: 'Owner only: the accounts working for this merchant.',
    authScopes: (m, _args, ctx) => isMerchantOwner(ctx, m.id),
    resolve: (m, _args, ctx) =>
      rowsWhere(ctx, 'Merchant.staff', 'merchantStaff', 'merchantId', m.id, { orderBy: [['createdAt', 'asc'], ['accountId', 'asc']] }),
  }),
);

builder.mutationFields((t) => ({
  removeStaff: t.boolean({
    description: "Ends a staff member's access at once (the owner's own account cannot be removed).",
    authScopes: { merchantOwner: true },
    args: { accountId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await removeStaff(ctx.deps.db, ctx.viewer!.accountId, localId('Account', args.accountId));
      return true;
    },
  }),
  setStaffContactAccess: t.boolean({
    description: "Grants or withdraws a staff member's permission to read customers' contact details; effective immediately.",
    authScopes: { merchantOwner: true },
    args: { accountId: t.arg.id({ required: true }), canViewContacts: t.arg.boolean({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await setStaffContactAccess(ctx.deps.db, ctx.viewer!.accountId, localId('Account', args.accountId), args.canViewContacts);
      return true;
    },
  }),
  publishPrivacyNotice: t.field({
    type: PrivacyNoticeRef,
    description: 'Publishes a new version of the merchant\'s privacy notice; earlier versions are kept unchanged.',
    authScopes: { merchantOwner: true },
    args: { text: t.arg.string({ required: true, validate: longText(20_000) }) },
    resolve: (_root, args, ctx) => publishPrivacyNotice(ctx.deps.db, ctx.viewer!.merchantId!, args.text),
  }),
}));

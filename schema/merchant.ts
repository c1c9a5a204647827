import { encodeGlobalID } from '@pothos/plugin-relay';
import { publishPrivacyNotice, removeStaff, setStaffContactAccess } from '../db/commands/accounts.js';
import { localId } from './policies/global-id.js';
import { builder } from './builder.js';
import { longText } from './validators.js';

export const PrivacyNoticeRef = builder.drizzleObject('privacyNotices', {
  name: 'PrivacyNotice',
  // Published for customers to read before they consent.
  authScopes: { public: true },
  fields: (t) => ({
    version: t.exposeInt('version'),
    text: t.exposeString('text'),
    publishedAt: t.expose('publishedAt', { type: 'DateTime' }),
  }),
});

// A merchant's business card (name, category, city, public contact) is published for customers and
// is not personal information; the fields that reveal relationships or customers guard themselves.
export const MerchantRef = builder.drizzleNode('merchants', {
  name: 'Merchant',
  id: { column: (m) => m.id },
  // Columns load only when a query selects their fields (a feed asks for the name alone).
  select: { columns: { id: true } },
  authScopes: { public: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    category: t.exposeString('category'),
    city: t.exposeString('city'),
    publicContact: t.exposeString('publicContact', { nullable: true }),
    privacyNotice: t.field({
      type: PrivacyNoticeRef,
      nullable: true,
      select: { with: { privacyNotices: { orderBy: { version: 'desc' }, limit: 1 } } },
      resolve: (m) => m.privacyNotices[0] ?? null,
    }),
  }),
});

/** A merchant's staff as its owner manages them. */
const StaffMemberRef = builder.drizzleObject('merchantStaff', {
  name: 'StaffMember',
  authScopes: (s, ctx) => ctx.viewer?.staffRole === 'OWNER' && ctx.viewer.merchantId === s.merchantId,
  fields: (t) => ({
    accountId: t.id({ resolve: (s) => encodeGlobalID('Account', s.accountId) }),
    role: t.exposeString('role'),
    canViewContacts: t.exposeBoolean('canViewContacts'),
    displayName: t.string({ select: { with: { account: { columns: { displayName: true } } } }, resolve: (s) => s.account.displayName }),
    email: t.string({ nullable: true, select: { with: { account: { columns: { email: true } } } }, resolve: (s) => s.account.email }),
    removed: t.boolean({ select: { with: { account: { columns: { disabledAt: true } } } }, resolve: (s) => s.account.disabledAt !== null }),
  }),
});

builder.drizzleObjectField(MerchantRef, 'staff', (t) =>
  t.relation('staff', {
    description: 'Owner only: the accounts working for this merchant.',
    authScopes: (m, _args, ctx) => ctx.viewer?.staffRole === 'OWNER' && ctx.viewer.merchantId === m.id,
    query: { orderBy: { createdAt: 'asc' } },
    type: StaffMemberRef,
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

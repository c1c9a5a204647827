import { publishPrivacyNotice } from '../db/commands/accounts.js';
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

builder.mutationFields((t) => ({
  publishPrivacyNotice: t.field({
    type: PrivacyNoticeRef,
    description: 'Publishes a new version of the merchant\'s privacy notice; earlier versions are kept unchanged.',
    authScopes: { merchantOwner: true },
    args: { text: t.arg.string({ required: true, validate: longText(20_000) }) },
    resolve: (_root, args, ctx) => publishPrivacyNotice(ctx.deps.db, ctx.viewer!.merchantId!, args.text),
  }),
}));

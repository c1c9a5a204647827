// A customer's consent settings: current, history (append-only), and changes.
import { z } from 'zod';
import { updateConsent } from '../db/commands/consent.js';
import { DEFAULT_CONSENT, latestConsent } from '../db/queries/consent.js';
import type { Row } from '../db/queries/rows.js';
import type { ConsentSettingsData } from '../db/tables/index.js';
import { builder } from './builder.js';
import { CustomerSelfRef } from './customer.js';
import { connectionOf, rowsById } from './loaders.js';
import { MerchantRef } from './merchant.js';
import { localId } from './policies/global-id.js';
import { text } from './validators.js';

export const ChannelEnum = builder.enumType('Channel', { values: ['SMS', 'PHONE_CALL', 'WECHAT', 'EMAIL', 'IN_APP'] as const });
type Channel = 'SMS' | 'PHONE_CALL' | 'WECHAT' | 'EMAIL' | 'IN_APP';

interface SettingsShape {
  version: number;
  settings: ConsentSettingsData;
  changedAt: string;
}

const ConsentSettingsRef = builder.objectRef<SettingsShape>('ConsentSettings').implement({
  fields: (t) => ({
    version: t.exposeInt('version'),
    allowReferrals: t.boolean({
      description: 'Whether alliance merchants other than the originating ones may ask for this customer\'s contact at all.',
      resolve: (s) => s.settings.allowReferrals,
    }),
    channels: t.field({ type: [ChannelEnum], resolve: (s) => s.settings.channels as Channel[] }),
    categories: t.stringList({ description: 'Categories the customer accepts offers in; empty means all.', resolve: (s) => s.settings.categories }),
    maxRequestsPerWeek: t.int({ resolve: (s) => s.settings.maxRequestsPerWeek }),
    maxRequestsPerMonth: t.int({ resolve: (s) => s.settings.maxRequestsPerMonth }),
    blockedMerchants: t.field({
      type: [MerchantRef],
      // By id, as the database answered the list before; a merchant that no longer exists is left out.
      resolve: async (s, _a, ctx) =>
        (await rowsById(ctx, 'merchants', s.settings.blockedMerchantIds)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    }),
    updatedAt: t.field({ type: 'DateTime', resolve: (s) => s.changedAt }),
  }),
});

export const ConsentVersionRef = builder.objectRef<Row<'consentVersions'>>('ConsentVersion').implement({
  rule: (row, ctx) => ctx.viewer?.kind === 'CUSTOMER' && row.subjectId === ctx.viewer.accountId,
  fields: (t) => ({
    version: t.exposeInt('version'),
    settings: t.field({ type: ConsentSettingsRef, resolve: (row) => row }),
    changedAt: t.expose('changedAt', { type: 'DateTime' }),
    changedBy: t.string({
      description: 'Who made the change: CUSTOMER, or the originating merchant recording a consent given in store.',
      resolve: (row) => (row.changedBy.startsWith('MERCHANT:') ? row.changedBy.slice('MERCHANT:'.length) : row.changedBy),
    }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

builder.objectFields(CustomerSelfRef, (t) => ({
  consent: t.field({
    type: ConsentSettingsRef,
    resolve: async (a, _args, ctx) => (await latestConsent(ctx.deps.db, a.id)) ?? { version: 0, settings: DEFAULT_CONSENT, changedAt: new Date(0).toISOString() },
  }),
  consentHistory: t.connection(
    {
      type: ConsentVersionRef,
      // Newest first; a subject's versions are unique (consent_versions_subject_version_uq).
      resolve: (a, args, ctx) => connectionOf(ctx, 'consentVersions', args, { where: { subjectId: a.id }, ordering: [['version', 'desc']] }),
    },
    builder.connectionObject({ type: ConsentVersionRef, name: 'ConsentVersionConnection' }, { name: 'ConsentVersionEdge' }),
  ),
}));

const UpdateConsentInput = builder.inputType('UpdateConsentInput', {
  fields: (t) => ({
    allowReferrals: t.boolean(),
    channels: t.field({ type: [ChannelEnum] }),
    categories: t.stringList({ validate: z.array(text(40)).max(30) }),
    maxRequestsPerWeek: t.int({ validate: z.number().int().min(0).max(7) }),
    maxRequestsPerMonth: t.int({ validate: z.number().int().min(0).max(30) }),
    blockMerchantIds: t.idList({ validate: z.array(z.string()).max(100) }),
    unblockMerchantIds: t.idList({ validate: z.array(z.string()).max(100) }),
    reason: t.string({ validate: text(500).optional() }),
  }),
});

builder.mutationFields((t) => ({
  updateConsent: t.field({
    type: ConsentSettingsRef,
    authScopes: { customer: true },
    args: { input: t.arg({ type: UpdateConsentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateConsent(ctx.deps.db, ctx.viewer!.accountId, {
        ...input,
        blockMerchantIds: input.blockMerchantIds?.map((id) => localId('Merchant', String(id))),
        unblockMerchantIds: input.unblockMerchantIds?.map((id) => localId('Merchant', String(id))),
      }),
  }),
}));

// Shops that hold my number: the records with the signed-in customer's verified phone, and her
// answer to each (confirm, disown). Erasure at one shop is eraseMyData(merchantId).
import { encodeGlobalID } from '@pothos/plugin-relay';
import { confirmHeldRecord, disownHeldRecord, heldRecordsOf, type HeldRecord } from '../db/commands/held-records.js';
import { isConfirmed } from '../db/commands/referrals.js';
import { builder } from './builder.js';
import { ConsentSourceEnum, ContactFieldEnum, CustomerSelfRef } from './customer.js';
import { MerchantRef } from './merchant.js';
import { localId } from './policies/global-id.js';

/** A held record as one account sees it: the rows come from that account's verified phone. */
type HeldRecordRow = HeldRecord & { holderAccountId: string };

const HeldRecordRef = builder.objectRef<HeldRecordRow>('HeldRecord').implement({
  description: "A record a shop holds with the signed-in customer's verified phone, whether or not she confirmed it. Never the values.",
  rule: (h, ctx) => ctx.viewer?.kind === 'CUSTOMER' && ctx.viewer.accountId === h.holderAccountId,
  fields: (t) => ({
    id: t.id({ resolve: (h) => encodeGlobalID('HeldRecord', h.record.id) }),
    merchant: t.field({ type: MerchantRef, resolve: (h) => h.merchant }),
    fields: t.field({ type: [ContactFieldEnum], description: 'Which personal fields the shop holds.', resolve: (h) => h.fields }),
    source: t.field({ type: ConsentSourceEnum, description: 'Where the shop says it collected them.', resolve: (h) => h.record.consentSource }),
    consentCollectedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'For an import: when the shop says the customer gave consent.',
      resolve: (h) => h.record.consentCollectedAt,
    }),
    consentCollectedWhere: t.string({ nullable: true, description: 'For an import: where the shop says the customer gave consent.', resolve: (h) => h.record.consentCollectedWhere }),
    createdAt: t.field({ type: 'DateTime', resolve: (h) => h.record.createdAt }),
    confirmed: t.boolean({ resolve: (h) => isConfirmed(h.record) }),
  }),
});

const mine = (accountId: string) => (h: HeldRecord): HeldRecordRow => ({ ...h, holderAccountId: accountId });

builder.objectFields(CustomerSelfRef, (t) => ({
  heldRecords: t.field({
    type: [HeldRecordRef],
    description: "Every record on the platform that carries this customer's verified phone, confirmed or not.",
    resolve: async (a, _args, ctx) => (await heldRecordsOf(ctx.deps.db, ctx.deps.vault, a.id)).map(mine(a.id)),
  }),
}));

builder.mutationFields((t) => ({
  confirmHeldRecord: t.field({
    type: HeldRecordRef,
    description: "Yes, I am this shop's customer: the record is confirmed and requests held on it are delivered.",
    authScopes: { customer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const accountId = ctx.viewer!.accountId;
      return mine(accountId)(await confirmHeldRecord(ctx.deps.db, ctx.deps.vault, accountId, localId('HeldRecord', args.id)));
    },
  }),
  disownHeldRecord: t.boolean({
    description: 'I never gave this shop my number: the record is erased and the shop is flagged to the alliance admins.',
    authScopes: { customer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) =>
      disownHeldRecord(ctx.deps.db, ctx.deps.vault, ctx.viewer!.accountId, localId('HeldRecord', args.id), ctx.deps.config.DISOWNED_RECORDS_ALERT_THRESHOLD),
  }),
}));

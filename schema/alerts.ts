// Signs of list harvesting: alerts about a shop (people disowning its records, a staff member
// revealing many customers' contacts), the owner's view of each account's contact reads, and
// clearing an alert.
import { forbidden } from '../db/errors.js';
import * as commands from '../db/commands/alerts.js';
import { staffContactReads, type StaffContactReads } from '../db/queries/alerts.js';
import { MERCHANT_ALERT_KINDS } from '../db/tables/index.js';
import { actorOf, AllianceRef, reason } from './alliance.js';
import { builder } from './builder.js';
import { MerchantRef } from './merchant.js';
import { viewerAccess, type Where } from './policies/access.js';
import { alertAccessSelection, alertVisibleWhere, canSeeAlert, canSeeRecordsPaused, isShopOwner, recordsPausedSelection } from './policies/alerts.js';
import { localId } from './policies/global-id.js';

const MerchantAlertKindEnum = builder.enumType('MerchantAlertKind', { values: MERCHANT_ALERT_KINDS });
const StaffRoleEnum = builder.enumType('StaffRole', { values: ['OWNER', 'STAFF'] as const });

const includeCleared = { defaultValue: false, description: 'Also the alerts already cleared.' } as const;
const clearedFilter = (include: boolean | null | undefined): Where<'merchantAlerts'> => (include ? {} : { clearedAt: { isNull: true as const } });

export const MerchantAlertRef = builder.drizzleNode('merchantAlerts', {
  name: 'MerchantAlert',
  id: { column: (a) => a.id },
  select: alertAccessSelection,
  authScopes: (a, ctx) => canSeeAlert(ctx.viewer, viewerAccess(ctx), a),
  fields: (t) => ({
    kind: t.expose('kind', { type: MerchantAlertKindEnum }),
    merchant: t.relation('merchant'),
    staffName: t.string({
      nullable: true,
      description: 'STAFF_CONTACT_READS: the display name of the account whose reads raised it.',
      select: { with: { staffAccount: { columns: { displayName: true } } } },
      resolve: (a) => a.staffAccount?.displayName ?? null,
    }),
    count: t.exposeInt('count', {
      description: 'DISOWNED_RECORDS: records disowned since the last cleared alert. STAFF_CONTACT_READS: the most distinct customers read within one window.',
    }),
    windowStart: t.expose('windowStart', { type: 'DateTime', description: 'When the first disowned record or read counted was.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    cleared: t.boolean({ select: { columns: { clearedAt: true } }, resolve: (a) => a.clearedAt !== null }),
    clearedAt: t.expose('clearedAt', { type: 'DateTime', nullable: true }),
    clearedReason: t.exposeString('clearedReason', { nullable: true }),
  }),
});

const StaffContactReadsRef = builder.objectRef<StaffContactReads>('StaffContactReads').implement({
  description: "One account's reads of the shop's own customers' contacts (contacts granted by referrals are not counted).",
  fields: (t) => ({
    staffName: t.exposeString('staffName'),
    role: t.expose('role', { type: StaffRoleEnum }),
    customersLastHour: t.exposeInt('customersLastHour', { description: 'Distinct customers whose contacts it revealed in the last hour.' }),
    customersLast24Hours: t.exposeInt('customersLast24Hours'),
    readsLast7Days: t.exposeInt('readsLast7Days', { description: 'Reads logged in the last 7 days (one read may reveal several fields).' }),
    lastReadAt: t.expose('lastReadAt', { type: 'DateTime', nullable: true }),
  }),
});

/** Merchant fields' authScopes get the merchant row. */
const ownerOf = (m: unknown, _args: unknown, ctx: Parameters<typeof viewerAccess>[0]) => isShopOwner(ctx.viewer, (m as { id: string }).id);

builder.drizzleObjectFields(MerchantRef, (t) => ({
  alerts: t.relation('alerts', {
    description: "The shop's owner only: harvesting alerts about this shop, newest first.",
    authScopes: ownerOf,
    args: { includeCleared: t.arg.boolean(includeCleared) },
    query: (args, ctx) => ({ where: { AND: [clearedFilter(args.includeCleared), alertVisibleWhere(ctx.viewer, viewerAccess(ctx))] }, orderBy: { id: 'desc' } }),
  }),
  recordsPaused: t.boolean({
    description: "True while a disowned-records alert is open: the shop adds no customers until an alliance admin clears it. The shop's own accounts and its alliances' admins.",
    // The open alert loads with the merchant (no query per shop in a member list); the same rule as recordsPaused in db/commands/alerts.ts.
    select: { columns: { id: true }, with: { pausingAlerts: { columns: { id: true }, limit: 1 }, ...recordsPausedSelection.with } },
    resolve: (m, _args, ctx) => {
      if (!canSeeRecordsPaused(ctx.viewer, viewerAccess(ctx), m)) throw forbidden('You may not see or do this.');
      return m.pausingAlerts.length > 0;
    },
  }),
  staffContactReads: t.field({
    type: [StaffContactReadsRef],
    description: "The shop's owner only: each account's reads of customers' contacts, busiest first.",
    authScopes: ownerOf,
    select: { columns: { id: true } },
    resolve: (m, _args, ctx) => staffContactReads(ctx.deps.db, m.id),
  }),
}));

builder.drizzleObjectFields(AllianceRef, (t) => ({
  harvestingAlerts: t.drizzleField({
    type: [MerchantAlertRef],
    description: 'Admins only: disowned-records alerts about approved members of this alliance, newest first.',
    authScopes: (a) => ({ allianceAdmin: a.id }),
    args: { includeCleared: t.arg.boolean(includeCleared) },
    resolve: (query, a, args, ctx) =>
      ctx.deps.db.query.merchantAlerts.findMany(
        query({
          where: {
            AND: [{ kind: 'DISOWNED_RECORDS', shopMemberships: { allianceId: a.id } }, clearedFilter(args.includeCleared), alertVisibleWhere(ctx.viewer, viewerAccess(ctx))],
          },
          orderBy: { id: 'desc' },
        }),
      ),
  }),
}));

builder.mutationFields((t) => ({
  clearMerchantAlert: t.drizzleField({
    type: MerchantAlertRef,
    description:
      "Clears an alert with the reason. A disowned-records alert: an admin of an alliance the shop is a member of, not the shop itself; the shop's records resume. A staff reads alert: the shop's owner.",
    authScopes: { merchantStaff: true },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: true, validate: reason }) },
    resolve: async (query, _root, args, ctx) => {
      const alert = await commands.clearMerchantAlert(ctx.deps.db, actorOf(ctx), localId('MerchantAlert', args.id), args.reason);
      return (await ctx.deps.db.query.merchantAlerts.findFirst(query({ where: { id: alert.id } })))!;
    },
  }),
}));

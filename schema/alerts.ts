// Signs of list harvesting: alerts about a shop (people disowning its records, a staff member
// revealing many customers' contacts), the owner's view of each account's contact reads, and
// clearing an alert.
import { and, eq, isNull } from 'drizzle-orm';
import { forbidden } from '../db/errors.js';
import * as commands from '../db/commands/alerts.js';
import { staffContactReads, type StaffContactReads } from '../db/queries/alerts.js';
import { disownedRecordsAlertsIn } from '../db/queries/alliance-reads.js';
import type { Row } from '../db/queries/rows.js';
import { MERCHANT_ALERT_KINDS, merchantAlerts } from '../db/tables/index.js';
import type { Context } from '../services/context.js';
import { actorOf, AllianceRef, reason } from './alliance.js';
import { builder } from './builder.js';
import { countOf, loaderFor, nodesOf, rowById, rowOf, rowsWhere } from './loaders.js';
import { MerchantRef } from './merchant.js';
import { viewerAccess, type Where } from './policies/access.js';
import { alertVisibleWhere, approvedMembershipsOf, canSeeAlertRow, canSeeRecordsPausedOf, isShopOwner } from './policies/alerts.js';
import { localId } from './policies/global-id.js';

const MerchantAlertKindEnum = builder.enumType('MerchantAlertKind', { values: MERCHANT_ALERT_KINDS });
const StaffRoleEnum = builder.enumType('StaffRole', { values: ['OWNER', 'STAFF'] as const });

const includeCleared = { defaultValue: false, description: 'Also the alerts already cleared.' } as const;
const clearedFilter = (include: boolean | null | undefined): Where<'merchantAlerts'> => (include ? {} : { clearedAt: { isNull: true as const } });

export const MerchantAlertRef = builder.node(builder.objectRef<Row<'merchantAlerts'>>('MerchantAlert'), {
  id: { resolve: (a) => a.id },
  loadMany: nodesOf('merchantAlerts'),
  rule: (a, ctx) => canSeeAlertRow(ctx, a),
  fields: (t) => ({
    kind: t.expose('kind', { type: MerchantAlertKindEnum }),
    merchant: t.field({ type: MerchantRef, resolve: (a, _args, ctx) => rowOf(ctx, 'merchants', a.merchantId) }),
    staffName: t.string({
      nullable: true,
      description: 'STAFF_CONTACT_READS: the display name of the account whose reads raised it.',
      resolve: async (a, _args, ctx) => (await rowById(ctx, 'accounts', a.staffAccountId))?.displayName ?? null,
    }),
    count: t.exposeInt('count', {
      description: 'DISOWNED_RECORDS: records disowned since the last cleared alert. STAFF_CONTACT_READS: the most distinct customers read within one window.',
    }),
    windowStart: t.expose('windowStart', { type: 'DateTime', description: 'When the first disowned record or read counted was.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    cleared: t.boolean({ resolve: (a) => a.clearedAt !== null }),
    clearedAt: t.expose('clearedAt', { type: 'DateTime', nullable: true }),
    clearedReason: t.exposeString('clearedReason', { nullable: true }),
  }),
});

/** One account's reads, with the shop they are of (which decides who may see them). */
type ShopContactReads = StaffContactReads & { merchantId: string };

const StaffContactReadsRef = builder.objectRef<ShopContactReads>('StaffContactReads').implement({
  description: "One account's reads of the shop's own customers' contacts (contacts granted by referrals are not counted).",
  // The shop's owner alone, as Merchant.staffContactReads.
  rule: (r, ctx) => isShopOwner(ctx.viewer, r.merchantId),
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
const ownerOf = (m: Row<'merchants'>, _args: unknown, ctx: Context) => isShopOwner(ctx.viewer, m.id);

/** The same rule as recordsPaused in db/commands/alerts.ts: an open disowned-records alert. */
const pausing = and(eq(merchantAlerts.kind, 'DISOWNED_RECORDS'), isNull(merchantAlerts.clearedAt));

builder.objectFields(MerchantRef, (t) => ({
  alerts: t.field({
    type: [MerchantAlertRef],
    description: "The shop's owner only: harvesting alerts about this shop, newest first.",
    authScopes: ownerOf,
    args: { includeCleared: t.arg.boolean(includeCleared) },
    resolve: (m, args, ctx) =>
      rowsWhere(ctx, `Merchant.alerts:${!!args.includeCleared}`, 'merchantAlerts', 'merchantId', m.id, {
        where: { AND: [clearedFilter(args.includeCleared), alertVisibleWhere(ctx.viewer, viewerAccess(ctx))] },
        orderBy: [['id', 'desc']],
      }),
  }),
  recordsPaused: t.boolean({
    description: "True while a disowned-records alert is open: the shop adds no customers until an alliance admin clears it. The shop's own accounts and its alliances' admins.",
    // Counted for every shop of the request in one statement (no query per shop in a member list).
    resolve: async (m, _args, ctx) => {
      if (!(await canSeeRecordsPausedOf(ctx, m))) throw forbidden('You may not see or do this.');
      return (await countOf(ctx, 'Merchant.recordsPaused', merchantAlerts, merchantAlerts.merchantId, m.id, pausing)) > 0;
    },
  }),
  staffContactReads: t.field({
    type: [StaffContactReadsRef],
    description: "The shop's owner only: each account's reads of customers' contacts, busiest first.",
    authScopes: ownerOf,
    // Only the viewer's own shop passes ownerOf: read once however often the shop appears.
    resolve: (m, _args, ctx) =>
      loaderFor<string, ShopContactReads[]>(ctx, 'Merchant.staffContactReads', (ids) =>
        Promise.all(ids.map(async (merchantId) => (await staffContactReads(ctx.deps.db, merchantId)).map((r) => ({ ...r, merchantId })))),
      ).load(m.id),
  }),
}));

/**
 * The disowned-records alerts of each alliance asked for in the request: one statement for the
 * alerts of all of them, then each alert goes to the alliances its shop is an approved member of
 * (the memberships the alerts' rule loads anyway).
 */
const harvestingAlertsOf = (ctx: Context, allianceId: string, includeCleared: boolean) =>
  loaderFor<string, Row<'merchantAlerts'>[]>(ctx, `Alliance.harvestingAlerts:${includeCleared}`, async (allianceIds) => {
    const alerts = await disownedRecordsAlertsIn(ctx.deps.db, allianceIds, {
      AND: [clearedFilter(includeCleared), alertVisibleWhere(ctx.viewer, viewerAccess(ctx))],
    });
    const memberships = await Promise.all(alerts.map((a) => approvedMembershipsOf(ctx, a.merchantId)));
    return allianceIds.map((id) => alerts.filter((_a, i) => memberships[i]!.some((m) => m.allianceId === id)));
  }).load(allianceId);

builder.objectFields(AllianceRef, (t) => ({
  harvestingAlerts: t.field({
    type: [MerchantAlertRef],
    description: 'Admins only: disowned-records alerts about approved members of this alliance, newest first.',
    authScopes: (a) => ({ allianceAdmin: a.id }),
    args: { includeCleared: t.arg.boolean(includeCleared) },
    resolve: (a, args, ctx) => harvestingAlertsOf(ctx, a.id, !!args.includeCleared),
  }),
}));

builder.mutationFields((t) => ({
  clearMerchantAlert: t.field({
    type: MerchantAlertRef,
    description:
      "Clears an alert with the reason. A disowned-records alert: an admin of an alliance the shop is a member of, not the shop itself; the shop's records resume. A staff reads alert: the shop's owner.",
    authScopes: { merchantStaff: true },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string({ required: true, validate: reason }) },
    // The command answers the whole row as cleared.
    resolve: (_root, args, ctx) => commands.clearMerchantAlert(ctx.deps.db, actorOf(ctx), localId('MerchantAlert', args.id), args.reason),
  }),
}));

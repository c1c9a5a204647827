import type { DefaultConnectionArguments } from '@pothos/plugin-relay';
import * as commands from '../db/commands/alliances.js';
import type { Actor } from '../db/commands/alliance-guards.js';
import { allianceSearchWhere, membersFilterSql } from '../db/queries/alliance-reads.js';
import type { Row, Where } from '../db/queries/rows.js';
import { ALLIANCE_ROLES, allianceMembers, MEMBERSHIP_STATUSES } from '../db/tables/index.js';
import type { Context } from '../services/context.js';
import { builder } from './builder.js';
import { connectionOf, countOf, nodesOf, rowById, rowOf } from './loaders.js';
import { MerchantRef } from './merchant.js';
import { refreshViewerAccess, viewerAccess } from './policies/access.js';
import { canSeeMember, memberVisibleWhere } from './policies/alliances.js';
import { localId, localIdOrNull } from './policies/global-id.js';
import { name, text } from './validators.js';

/** The signed-in merchant account acting; every field using it requires a merchant scope first. */
export const actorOf = (ctx: Context): Actor => ({ accountId: ctx.viewer!.accountId, merchantId: ctx.viewer!.merchantId! });

export const AllianceRoleEnum = builder.enumType('AllianceRole', { values: ALLIANCE_ROLES });
export const MembershipStatusEnum = builder.enumType('MembershipStatus', { values: MEMBERSHIP_STATUSES });

export const reason = text(500);
const description = text(2000, 0);

// The directory of alliances is public so that merchants can find one and apply; what happens
// inside an alliance is guarded field by field.
export const AllianceRef = builder.node(builder.objectRef<Row<'alliances'>>('Alliance'), {
  id: { resolve: (a) => a.id },
  loadMany: nodesOf('alliances'),
  rule: () => true,
  fields: (t) => ({
    name: t.exposeString('name'),
    city: t.exposeString('city'),
    description: t.exposeString('description'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    viewerRole: t.field({
      type: AllianceRoleEnum,
      nullable: true,
      description: "The viewer's merchant's role here, or null when not a member.",
      resolve: (a, _args, ctx) => viewerAccess(ctx).roles.get(a.id)?.role ?? null,
    }),
  }),
});

export const AllianceMemberRef = builder.objectRef<Row<'allianceMembers'>>('AllianceMember').implement({
  rule: (m, ctx) => canSeeMember(viewerAccess(ctx), m),
  fields: (t) => ({
    merchant: t.field({ type: MerchantRef, resolve: (m, _args, ctx) => rowOf(ctx, 'merchants', m.merchantId) }),
    alliance: t.field({ type: AllianceRef, resolve: (m, _args, ctx) => rowOf(ctx, 'alliances', m.allianceId) }),
    role: t.expose('role', { type: AllianceRoleEnum }),
    status: t.expose('status', { type: MembershipStatusEnum }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime', nullable: true }),
    appliedAt: t.expose('appliedAt', { type: 'DateTime' }),
    message: t.exposeString('message', { nullable: true, description: 'What the merchant wrote when applying.' }),
  }),
});

/** A page of members with its total, counted (one statement for every alliance of the request) only when asked for. */
interface MemberPage {
  totalCount: () => Promise<number>;
}

const AllianceMemberConnection = builder.connectionObject(
  {
    type: AllianceMemberRef,
    name: 'AllianceMemberConnection',
    fields: (t) => ({ totalCount: t.int({ resolve: (c) => (c as unknown as MemberPage).totalCount() }) }),
  },
  { name: 'AllianceMemberEdge' },
);

/** An alliance's id from a field's parent (kept for the fields of other files that take the parent untyped). */
export const allianceIdOf = (alliance: unknown) => (alliance as { id: string }).id;

/**
 * One page of an alliance's memberships of some statuses that the viewer may see, by id, with
 * their total: the count has the list's filter, so it counts exactly the rows the list pages through.
 */
async function membersOf(ctx: Context, list: string, alliance: Row<'alliances'>, status: Where<'allianceMembers'>, args: DefaultConnectionArguments) {
  const visible: Where<'allianceMembers'> = { AND: [status, memberVisibleWhere(viewerAccess(ctx))] };
  const page = await connectionOf(ctx, 'allianceMembers', args, { where: { AND: [{ allianceId: alliance.id }, visible] }, ordering: [['id', 'asc']] });
  const totalCount = () => countOf(ctx, list, allianceMembers, allianceMembers.allianceId, alliance.id, membersFilterSql(visible));
  return { ...page, totalCount };
}

builder.objectFields(AllianceRef, (t) => ({
  members: t.connection(
    {
      type: AllianceMemberRef,
      authScopes: (a) => ({ allianceMember: a.id }),
      resolve: (a, args, ctx) => membersOf(ctx, 'Alliance.members', a, { status: { in: ['APPROVED', 'SUSPENDED'] } }, args),
    },
    AllianceMemberConnection,
  ),
  pendingApplications: t.connection(
    {
      type: AllianceMemberRef,
      description: 'Admins only.',
      authScopes: (a) => ({ allianceAdmin: a.id }),
      resolve: (a, args, ctx) => membersOf(ctx, 'Alliance.pendingApplications', a, { status: 'PENDING' }, args),
    },
    AllianceMemberConnection,
  ),
}));

builder.queryFields((t) => ({
  alliance: t.field({
    type: AllianceRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => {
      const id = localIdOrNull('Alliance', args.id);
      return id ? rowById(ctx, 'alliances', id) : null;
    },
  }),
  alliances: t.connection(
    {
      type: AllianceRef,
      description: 'Alliances open for applications, searchable by city or name.',
      args: { search: t.arg.string({ validate: text(60) }) },
      resolve: (_root, args, ctx) =>
        connectionOf(ctx, 'alliances', args, { where: args.search ? allianceSearchWhere(args.search) : undefined, ordering: [['id', 'desc']] }),
    },
    { name: 'AllianceConnection' },
    { name: 'AllianceEdge' },
  ),
}));

const CreateAllianceInput = builder.inputType('CreateAllianceInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: name }),
    city: t.string({ required: true, validate: text(60) }),
    description: t.string({ required: true, validate: description }),
  }),
});

builder.mutationFields((t) => ({
  createAlliance: t.field({
    type: AllianceRef,
    authScopes: { merchantOwner: true },
    args: { input: t.arg({ type: CreateAllianceInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const alliance = await commands.createAlliance(ctx.deps.db, actorOf(ctx), input);
      await refreshViewerAccess(ctx);
      return alliance;
    },
  }),
  applyToAlliance: t.field({
    type: AllianceMemberRef,
    authScopes: { merchantOwner: true },
    args: { allianceId: t.arg.id({ required: true }), message: t.arg.string({ validate: text(500) }) },
    resolve: (_root, args, ctx) =>
      commands.applyToAlliance(ctx.deps.db, ctx.viewer!.merchantId!, localId('Alliance', args.allianceId), args.message ?? null),
  }),
  decideMembership: t.field({
    type: AllianceMemberRef,
    authScopes: (_root, args) => ({ allianceAdmin: localId('Alliance', args.allianceId) }),
    args: { allianceId: t.arg.id({ required: true }), merchantId: t.arg.id({ required: true }), approve: t.arg.boolean({ required: true }), reason: t.arg.string({ validate: reason }) },
    resolve: (_root, args, ctx) =>
      commands.decideMembership(
        ctx.deps.db,
        actorOf(ctx),
        localId('Alliance', args.allianceId),
        localId('Merchant', args.merchantId),
        args.approve,
        args.reason ?? null,
      ),
  }),
  setAllianceRole: t.field({
    type: AllianceMemberRef,
    description: 'Owner only. Making another member OWNER hands ownership over; the old owner becomes ADMIN.',
    authScopes: (_root, args) => ({ allianceAdmin: localId('Alliance', args.allianceId) }),
    args: { allianceId: t.arg.id({ required: true }), merchantId: t.arg.id({ required: true }), role: t.arg({ type: AllianceRoleEnum, required: true }) },
    resolve: (_root, args, ctx) =>
      commands.setAllianceRole(ctx.deps.db, actorOf(ctx), localId('Alliance', args.allianceId), localId('Merchant', args.merchantId), args.role),
  }),
  suspendMerchant: t.field({
    type: AllianceMemberRef,
    authScopes: (_root, args) => ({ allianceAdmin: localId('Alliance', args.allianceId) }),
    args: {
      allianceId: t.arg.id({ required: true }),
      merchantId: t.arg.id({ required: true }),
      suspend: t.arg.boolean({ required: true }),
      reason: t.arg.string({ required: true, validate: reason }),
    },
    resolve: (_root, args, ctx) =>
      commands.suspendMerchant(
        ctx.deps.db,
        actorOf(ctx),
        localId('Alliance', args.allianceId),
        localId('Merchant', args.merchantId),
        args.suspend,
        args.reason,
      ),
  }),
}));

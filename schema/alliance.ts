import { sql } from 'drizzle-orm';
import * as commands from '../db/commands/alliances.js';
import type { Actor } from '../db/commands/alliance-guards.js';
import { ALLIANCE_ROLES, MEMBERSHIP_STATUSES } from '../db/tables/index.js';
import type { Context } from '../services/context.js';
import { builder } from './builder.js';
import './merchant.js';
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
export const AllianceRef = builder.drizzleNode('alliances', {
  name: 'Alliance',
  id: { column: (a) => a.id },
  authScopes: { public: true },
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

export const AllianceMemberRef = builder.drizzleObject('allianceMembers', {
  name: 'AllianceMember',
  authScopes: (m, ctx) => canSeeMember(viewerAccess(ctx), m),
  fields: (t) => ({
    merchant: t.relation('merchant'),
    alliance: t.relation('alliance'),
    role: t.expose('role', { type: AllianceRoleEnum }),
    status: t.expose('status', { type: MembershipStatusEnum }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime', nullable: true }),
    appliedAt: t.expose('appliedAt', { type: 'DateTime' }),
    message: t.exposeString('message', { nullable: true, description: 'What the merchant wrote when applying.' }),
  }),
});

const AllianceMemberConnection = builder.connectionObject(
  {
    type: AllianceMemberRef,
    name: 'AllianceMemberConnection',
    fields: (t) => ({ totalCount: t.int({ resolve: (c) => (c as { totalCount?: number }).totalCount ?? 0 }) }),
  },
  { name: 'AllianceMemberEdge' },
);

/** relatedConnection types the parent of its authScopes as the node; at run time it is the alliance row. */
export const allianceIdOf = (alliance: unknown) => (alliance as { id: string }).id;

builder.drizzleObjectFields(AllianceRef, (t) => ({
  members: t.relatedConnection(
    'members',
    {
      totalCount: true,
      authScopes: (a) => ({ allianceMember: allianceIdOf(a) }),
      query: (_args, ctx) => ({
        where: { AND: [{ status: { in: ['APPROVED', 'SUSPENDED'] } }, memberVisibleWhere(viewerAccess(ctx))] },
        orderBy: { id: 'asc' },
      }),
    },
    AllianceMemberConnection,
  ),
  pendingApplications: t.relatedConnection(
    'members',
    {
      totalCount: true,
      description: 'Admins only.',
      authScopes: (a) => ({ allianceAdmin: allianceIdOf(a) }),
      query: (_args, ctx) => ({ where: { AND: [{ status: 'PENDING' }, memberVisibleWhere(viewerAccess(ctx))] }, orderBy: { id: 'asc' } }),
    },
    AllianceMemberConnection,
  ),
}));

builder.queryFields((t) => ({
  alliance: t.drizzleField({
    type: AllianceRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => {
      const id = localIdOrNull('Alliance', args.id);
      return id ? ctx.deps.db.query.alliances.findFirst(query({ where: { id } })) : null;
    },
  }),
  alliances: t.drizzleConnection(
    {
      type: 'alliances',
      description: 'Alliances open for applications, searchable by city or name.',
      args: { search: t.arg.string({ validate: text(60) }) },
      resolve: (query, _root, args, ctx) => {
        const search = args.search;
        return ctx.deps.db.query.alliances.findMany(
          query({
            // LIKE, which both engines have (instr() is SQLite's), with the user's wildcards escaped:
            // none can widen the match. lower() on both sides, as the engines' LIKE differ on case.
            where: search
              ? {
                  RAW: (a) => {
                    const pattern = `%${search.replace(/[\\%_]/g, '\\$&')}%`;
                    return sql`(lower(${a.name}) like lower(${pattern}) escape '\\' or lower(${a.city}) like lower(${pattern}) escape '\\')`;
                  },
                }
              : {},
            orderBy: { id: 'desc' },
          }),
        );
      },
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

import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import * as commands from '../db/commands/communities.js';
import { communityMembers } from '../db/tables/index.js';
import { actorOf, AllianceRef, allianceIdOf, reason } from './alliance.js';
import { builder } from './builder.js';
import { connectionOf, countOf, nodesOf, rowById, rowOf, visibleOrNull } from './loaders.js';
import type { Row } from '../db/queries/rows.js';
import { refreshViewerAccess, viewerAccess } from './policies/access.js';
import { canSeeCommunity, communityVisibleWhere } from './policies/communities.js';
import { localId, localIdOrNull } from './policies/global-id.js';
import type { Context } from '../services/context.js';
import { name, text } from './validators.js';

export const CommunityStatusEnum = builder.enumType('CommunityStatus', { values: ['OPEN', 'ARCHIVED'] as const });

const currentMembers = (kind: 'MERCHANT' | 'CUSTOMER') => and(eq(communityMembers.kind, kind), isNull(communityMembers.leftAt));

export const CommunityRef = builder.node(builder.objectRef<Row<'communities'>>('Community'), {
  id: { resolve: (c) => c.id },
  loadMany: nodesOf('communities'),
  rule: (c, ctx) => canSeeCommunity(viewerAccess(ctx), c),
  fields: (t) => ({
    alliance: t.field({ type: AllianceRef, resolve: (c, _a, ctx) => rowOf(ctx, 'alliances', c.allianceId) }),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    rules: t.exposeString('rules'),
    status: t.expose('status', { type: CommunityStatusEnum }),
    postLimitPerDay: t.exposeInt('postLimitPerDay', { description: 'Offers one merchant may post here per rolling 24 hours.' }),
    merchantCount: t.int({ resolve: (c, _a, ctx) => countOf(ctx, 'Community.merchantCount', communityMembers, communityMembers.communityId, c.id, currentMembers('MERCHANT')) }),
    customerCount: t.int({ resolve: (c, _a, ctx) => countOf(ctx, 'Community.customerCount', communityMembers, communityMembers.communityId, c.id, currentMembers('CUSTOMER')) }),
    viewerIsMember: t.boolean({ resolve: (c, _args, ctx) => viewerAccess(ctx).communityIds.has(c.id) }),
  }),
});

builder.objectField(AllianceRef, 'communities', (t) =>
  t.connection(
    {
      type: CommunityRef,
      authScopes: (a) => ({ allianceMember: allianceIdOf(a) }),
      resolve: (a, args, ctx) =>
        connectionOf(ctx, 'communities', args, {
          where: { AND: [{ allianceId: allianceIdOf(a) }, communityVisibleWhere(viewerAccess(ctx))] },
          ordering: [['id', 'asc']],
        }),
    },
    { name: 'CommunityConnection' },
    { name: 'CommunityEdge' },
  ),
);

builder.queryField('community', (t) =>
  t.field({
    type: CommunityRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = localIdOrNull('Community', args.id);
      return id ? visibleOrNull(ctx, 'Community', await rowById(ctx, 'communities', id)) : null;
    },
  }),
);

const CreateCommunityInput = builder.inputType('CreateCommunityInput', {
  fields: (t) => ({
    allianceId: t.id({ required: true }),
    name: t.string({ required: true, validate: name }),
    description: t.string({ required: true, validate: text(2000, 0) }),
    rules: t.string({ required: true, validate: text(4000, 0) }),
    postLimitPerDay: t.int({ description: 'Offers one merchant may post per day; 5 when not given.', validate: z.number().int().min(1).max(100) }),
  }),
});

/** Merchant staff join for their merchant; a customer account joins for itself. */
const memberOf = (ctx: Context): commands.CommunityMember =>
  ctx.viewer!.merchantId ? { merchantId: ctx.viewer!.merchantId } : { accountId: ctx.viewer!.accountId };

builder.mutationFields((t) => ({
  createCommunity: t.field({
    type: CommunityRef,
    authScopes: (_root, args) => ({ allianceAdmin: localId('Alliance', args.input.allianceId) }),
    args: { input: t.arg({ type: CreateCommunityInput, required: true }) },
    resolve: (_root, { input }, ctx) => commands.createCommunity(ctx.deps.db, actorOf(ctx), { ...input, allianceId: localId('Alliance', input.allianceId) }),
  }),
  joinCommunity: t.field({
    type: CommunityRef,
    description: 'A merchant joins for itself; a customer may join a community of an alliance that one of their merchants belongs to.',
    authScopes: { $any: { merchantStaff: true, customer: true } },
    args: { communityId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const community = await commands.joinCommunity(ctx.deps.db, memberOf(ctx), localId('Community', args.communityId));
      await refreshViewerAccess(ctx);
      return community;
    },
  }),
  leaveCommunity: t.field({
    type: CommunityRef,
    authScopes: { $any: { merchantStaff: true, customer: true } },
    args: { communityId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const community = await commands.leaveCommunity(ctx.deps.db, memberOf(ctx), localId('Community', args.communityId));
      await refreshViewerAccess(ctx);
      return community;
    },
  }),
  archiveCommunity: t.field({
    type: CommunityRef,
    authScopes: { merchantStaff: true },
    args: { communityId: t.arg.id({ required: true }), reason: t.arg.string({ required: true, validate: reason }) },
    resolve: (_root, args, ctx) => commands.archiveCommunity(ctx.deps.db, actorOf(ctx), localId('Community', args.communityId), args.reason),
  }),
}));

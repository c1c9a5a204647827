import { z } from 'zod';
import * as commands from '../db/commands/offers.js';
import { nowIso } from '../db/ids.js';
import type { Row } from '../db/queries/rows.js';
import type { Context } from '../services/context.js';
import { actorOf } from './alliance.js';
import { builder } from './builder.js';
import { CommunityRef } from './community.js';
import { connectionOf, nodesOf, rowById, rowOf, rowsById, visibleOnly, visibleOrNull } from './loaders.js';
import { MerchantRef } from './merchant.js';
import { viewerAccess } from './policies/access.js';
import { canReadFeed } from './policies/communities.js';
import { localId, localIdOrNull } from './policies/global-id.js';
import { canSeeOffer, listedPlacementWhere, offerAccessOf, offerPlacementsOf, offerVisibleWhere } from './policies/offers.js';
import { text } from './validators.js';

export const OfferStatusEnum = builder.enumType('OfferStatus', { values: ['DRAFT', 'PUBLISHED', 'HIDDEN', 'WITHDRAWN', 'EXPIRED'] as const });

const title = text(120);
const body = text(4000, 0);
const category = text(40);

/**
 * The Campaign type by name: campaign.ts defines it and imports this file (Campaign.offers), so an
 * import back would be a cycle. Pothos resolves the name to the type (and its rule) when it builds
 * the schema.
 */
const CampaignRefLazy = 'Campaign' as unknown as ReturnType<typeof builder.objectRef<Row<'campaigns'>>>;

/** An offer that must exist (a placement's, or one a command just wrote). */
const offerRowOf = (ctx: Context, id: string): Promise<Row<'offers'>> => rowOf(ctx, 'offers', id);

export const OfferRef = builder.node(builder.objectRef<Row<'offers'>>('Offer'), {
  id: { resolve: (o) => o.id },
  loadMany: nodesOf('offers'),
  rule: async (o, ctx) => canSeeOffer(viewerAccess(ctx), await offerAccessOf(ctx, o)),
  fields: (t) => ({
    merchant: t.field({ type: MerchantRef, resolve: (o, _a, ctx) => rowOf(ctx, 'merchants', o.merchantId) }),
    title: t.exposeString('title'),
    body: t.exposeString('body'),
    category: t.exposeString('category'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    status: t.field({
      type: OfferStatusEnum,
      description: 'A published offer past endsAt reads EXPIRED.',
      resolve: (o) => (o.status === 'PUBLISHED' && o.endsAt <= nowIso() ? 'EXPIRED' : o.status),
    }),
    communities: t.field({
      type: [CommunityRef],
      description: 'The communities carrying this offer that the viewer may see.',
      resolve: async (o, _a, ctx) => {
        const carrying = await rowsById(ctx, 'communities', (await offerPlacementsOf(ctx, o.id)).map((p) => p.communityId));
        const visible = await visibleOnly(ctx, 'Community', carrying);
        return visible.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      },
    }),
    campaign: t.field({
      type: CampaignRefLazy,
      nullable: true,
      resolve: async (o, _a, ctx) => {
        return o.campaignId ? visibleOrNull(ctx, 'Campaign', await rowById(ctx, 'campaigns', o.campaignId)) : null;
      },
    }),
  }),
});

export const OfferConnection = builder.connectionObject({ type: OfferRef, name: 'OfferConnection' }, { name: 'OfferEdge' });

// A feed pages over placements (newest first by when the offer reached this community) and shows their offers.
builder.objectField(CommunityRef, 'offers', (t) =>
  t.connection(
    {
      type: OfferRef,
      description: 'Published offers, newest first. Visible to members of the community (merchants and customers) and its alliance\'s admins.',
      args: { category: t.arg.string({ validate: category }) },
      authScopes: (c, _args, ctx) => canReadFeed(viewerAccess(ctx), c),
      resolve: async (c, args, ctx) => {
        const page = await connectionOf(ctx, 'offerPlacements', args, {
          where: { AND: [{ communityId: c.id }, listedPlacementWhere(nowIso(), args.category)] },
          ordering: [
            ['postedAt', 'desc'],
            ['id', 'desc'],
          ],
        });
        // Each placement's offer, all of the page's in one statement (with what their rule reads).
        const edges = await Promise.all(page.edges.map(async (e) => ({ ...e, node: await offerRowOf(ctx, e.node.offerId) })));
        return { ...page, edges };
      },
    },
    OfferConnection,
  ),
);

builder.objectField(MerchantRef, 'offers', (t) =>
  t.connection(
    {
      type: OfferRef,
      resolve: (m, args, ctx) =>
        connectionOf(ctx, 'offers', args, {
          where: { AND: [{ merchantId: m.id }, offerVisibleWhere(viewerAccess(ctx))] },
          ordering: [['id', 'desc']],
        }),
    },
    OfferConnection,
  ),
);

builder.queryField('offer', (t) =>
  t.field({
    type: OfferRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = localIdOrNull('Offer', args.id);
      return id ? visibleOrNull(ctx, 'Offer', await rowById(ctx, 'offers', id)) : null;
    },
  }),
);

const endsAfterStart = <T extends { startsAt?: string | null; endsAt?: string | null }>(input: T) =>
  !input.startsAt || !input.endsAt || Date.parse(input.endsAt) > Date.parse(input.startsAt);
const timeOrder = { message: 'endsAt must be after startsAt.', path: ['endsAt'] };

const PostOfferInput = builder.inputType('PostOfferInput', {
  fields: (t) => ({
    title: t.string({ required: true, validate: title }),
    body: t.string({ required: true, validate: body }),
    category: t.string({ required: true, validate: category }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    endsAt: t.field({ type: 'DateTime', required: true }),
    communityIds: t.idList({
      required: true,
      validate: z.array(z.string()).min(1, 'choose at least one community').max(20, 'at most 20 communities at once'),
    }),
  }),
  validate: z.looseObject({ startsAt: z.string(), endsAt: z.string() }).refine(endsAfterStart, timeOrder),
});

const UpdateOfferInput = builder.inputType('UpdateOfferInput', {
  fields: (t) => ({
    offerId: t.id({ required: true }),
    title: t.string({ validate: title }),
    body: t.string({ validate: body }),
    category: t.string({ validate: category }),
    startsAt: t.field({ type: 'DateTime' }),
    endsAt: t.field({ type: 'DateTime' }),
  }),
  validate: z.looseObject({ startsAt: z.string().nullish(), endsAt: z.string().nullish() }).refine(endsAfterStart, timeOrder),
});

// Mutations answer with the offer as the command left it (its rule then loads its placements).
builder.mutationFields((t) => ({
  postOffer: t.field({
    type: OfferRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: PostOfferInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { communityIds, ...data } = input;
      const offer = await commands.postOffer(ctx.deps.db, actorOf(ctx), data, communityIds.map((id) => localId('Community', id)));
      // The command's offer lacks the columns it leaves to their defaults: read the whole row (with its context).
      return offerRowOf(ctx, offer.id);
    },
  }),
  updateOffer: t.field({
    type: OfferRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: UpdateOfferInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const { offerId, ...patch } = input;
      return commands.updateOffer(ctx.deps.db, actorOf(ctx), localId('Offer', offerId), patch);
    },
  }),
  withdrawOffer: t.field({
    type: OfferRef,
    authScopes: { merchantStaff: true },
    args: { offerId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => commands.withdrawOffer(ctx.deps.db, actorOf(ctx), localId('Offer', args.offerId)),
  }),
}));

import { drizzleConnectionHelpers } from '@pothos/plugin-drizzle';
import { z } from 'zod';
import * as commands from '../db/commands/offers.js';
import { nowIso } from '../db/ids.js';
import { actorOf } from './alliance.js';
import { builder } from './builder.js';
import { CommunityRef } from './community.js';
import { MerchantRef } from './merchant.js';
import { viewerAccess } from './policies/access.js';
import { campaignVisibleWhere } from './policies/campaigns.js';
import { canReadFeed, communityVisibleWhere } from './policies/communities.js';
import { localId, localIdOrNull } from './policies/global-id.js';
import { canSeeOffer, listedPlacementWhere, offerAccessSelection, offerVisibleWhere } from './policies/offers.js';
import { text } from './validators.js';

export const OfferStatusEnum = builder.enumType('OfferStatus', { values: ['DRAFT', 'PUBLISHED', 'HIDDEN', 'WITHDRAWN', 'EXPIRED'] as const });

const title = text(120);
const body = text(4000, 0);
const category = text(40);

export const OfferRef = builder.drizzleNode('offers', {
  name: 'Offer',
  id: { column: (o) => o.id },
  // Every load carries what canSeeOffer reads, so node(id) and nested offers are checked like lookups.
  select: offerAccessSelection,
  authScopes: (o, ctx) => canSeeOffer(viewerAccess(ctx), o),
  fields: (t) => ({
    merchant: t.relation('merchant'),
    title: t.exposeString('title'),
    body: t.exposeString('body'),
    category: t.exposeString('category'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    status: t.field({
      type: OfferStatusEnum,
      description: 'A published offer past endsAt reads EXPIRED.',
      select: { columns: { status: true, endsAt: true } },
      resolve: (o) => (o.status === 'PUBLISHED' && o.endsAt <= nowIso() ? 'EXPIRED' : o.status),
    }),
    communities: t.relation('communities', {
      description: 'The communities carrying this offer that the viewer may see.',
      query: (_args, ctx) => ({ where: communityVisibleWhere(viewerAccess(ctx)), orderBy: { id: 'asc' } }),
    }),
    campaign: t.relation('campaign', {
      nullable: true,
      query: (_args, ctx) => ({ where: campaignVisibleWhere(viewerAccess(ctx)) }),
    }),
  }),
});

export const OfferConnection = builder.connectionObject({ type: OfferRef, name: 'OfferConnection' }, { name: 'OfferEdge' });

// A feed pages over placements (newest first by when the offer reached this community) and shows their offers.
const feedArgs = builder.args((t) => ({ category: t.string({ validate: category }) }));
const feed = drizzleConnectionHelpers(builder, 'offerPlacements', {
  args: () => feedArgs,
  query: (args) => ({ where: listedPlacementWhere(nowIso(), args.category), orderBy: { postedAt: 'desc' } }),
  select: (nestedSelection) => ({ with: { offer: nestedSelection() } }),
  // nestedSelection() plans the Offer type's own selection, so the row carries its access fields.
  resolveNode: (placement) => placement.offer as unknown as typeof OfferRef.$inferType,
});

builder.drizzleObjectField('communities', 'offers', (t) =>
  t.connection(
    {
      type: OfferRef,
      description: 'Published offers, newest first. Visible to members of the community (merchants and customers) and its alliance\'s admins.',
      args: feed.getArgs(),
      authScopes: (c, _args, ctx) => canReadFeed(viewerAccess(ctx), c),
      select: (args, ctx, nestedSelection) => ({ with: { placements: feed.getQuery(args, ctx, nestedSelection) } }),
      // The select above loaded the page of placements onto the community row.
      resolve: (c, args, ctx) => feed.resolve((c as typeof c & { placements: Parameters<typeof feed.resolve>[0] }).placements, args, ctx),
    },
    OfferConnection,
  ),
);

builder.drizzleObjectField(MerchantRef, 'offers', (t) =>
  t.relatedConnection(
    'offers',
    { query: (_args, ctx) => ({ where: offerVisibleWhere(viewerAccess(ctx)), orderBy: { id: 'desc' } }) },
    OfferConnection,
  ),
);

builder.queryField('offer', (t) =>
  t.drizzleField({
    type: OfferRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => {
      const id = localIdOrNull('Offer', args.id);
      if (!id) return null;
      return ctx.deps.db.query.offers.findFirst(query({ where: { AND: [{ id }, offerVisibleWhere(viewerAccess(ctx))] } }));
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

// Mutations answer with the offer re-read through the planned query, so its access selection is loaded.
builder.mutationFields((t) => ({
  postOffer: t.drizzleField({
    type: OfferRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: PostOfferInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { communityIds, ...data } = input;
      const offer = await commands.postOffer(ctx.deps.db, actorOf(ctx), data, communityIds.map((id) => localId('Community', id)));
      return (await ctx.deps.db.query.offers.findFirst(query({ where: { id: offer.id } })))!;
    },
  }),
  updateOffer: t.drizzleField({
    type: OfferRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: UpdateOfferInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { offerId, ...patch } = input;
      const offer = await commands.updateOffer(ctx.deps.db, actorOf(ctx), localId('Offer', offerId), patch);
      return (await ctx.deps.db.query.offers.findFirst(query({ where: { id: offer.id } })))!;
    },
  }),
  withdrawOffer: t.drizzleField({
    type: OfferRef,
    authScopes: { merchantStaff: true },
    args: { offerId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const offer = await commands.withdrawOffer(ctx.deps.db, actorOf(ctx), localId('Offer', args.offerId));
      return (await ctx.deps.db.query.offers.findFirst(query({ where: { id: offer.id } })))!;
    },
  }),
}));

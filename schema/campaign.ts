import { z } from 'zod';
import * as commands from '../db/commands/campaigns.js';
import { nowIso } from '../db/ids.js';
import { CAMPAIGN_FIGURES, campaignStats, type CampaignStats } from '../db/stats/campaigns.js';
import type { Row } from '../db/queries/rows.js';
import { actorOf, AllianceRef } from './alliance.js';
import { builder } from './builder.js';
import { CommunityRef } from './community.js';
import { nodesOf, rowById, rowOf, rowsById, rowsWhere, visibleOnly, visibleOrNull } from './loaders.js';
import { MerchantRef } from './merchant.js';
import { OfferRef } from './offer.js';
import { refreshViewerAccess, viewerAccess } from './policies/access.js';
import { campaignCommunityIdsOf, campaignOf, canSeeCampaign } from './policies/campaigns.js';
import { localId, localIdOrNull } from './policies/global-id.js';
import { offerVisibleWhere } from './policies/offers.js';
import { text } from './validators.js';

export const CampaignStatusEnum = builder.enumType('CampaignStatus', { values: ['DRAFT', 'PUBLISHED', 'ENDED', 'CANCELLED'] as const });
const ParticipantStatusEnum = builder.enumType('ParticipantStatus', { values: ['INVITED', 'ACCEPTED', 'DECLINED'] as const });

const CampaignParticipantRef = builder.objectRef<Row<'campaignParticipants'>>('CampaignParticipant').implement({
  // Participants are shown to whoever may see their campaign.
  rule: async (p, ctx) => canSeeCampaign(viewerAccess(ctx), await campaignOf(ctx, p.campaignId)),
  fields: (t) => ({
    merchant: t.field({ type: MerchantRef, resolve: (p, _a, ctx) => rowOf(ctx, 'merchants', p.merchantId) }),
    status: t.expose('status', { type: ParticipantStatusEnum }),
    isOrganizer: t.exposeBoolean('isOrganizer'),
  }),
});

const CampaignStatsFigureEnum = builder.enumType('CampaignStatsFigure', { values: CAMPAIGN_FIGURES });

const CampaignStatsRef = builder.objectRef<CampaignStats>('CampaignStats').implement({
  description: 'Counts and amounts only. A figure about too few verified customers is withheld: it reads 0 and is listed in `withheld`.',
  fields: (t) => ({
    scans: t.exposeInt('scans', { description: "Scans of the share posters' QR codes made for the campaign and its offers: the top of the funnel." }),
    visits: t.exposeInt('visits', { description: 'Visits of their share pages.' }),
    reached: t.exposeInt('reached', { description: "Community members the campaign's offers were published to." }),
    interested: t.exposeInt('interested'),
    referralsRequested: t.exposeInt('referralsRequested'),
    referralsAccepted: t.exposeInt('referralsAccepted'),
    conversions: t.exposeInt('conversions'),
    revenue: t.exposeInt('revenue', { description: 'Sum of recorded conversion amounts, smallest currency unit.' }),
    spent: t.exposeInt('spent', { description: 'Spend recorded against the campaign, smallest currency unit.' }),
    responseRate: t.exposeFloat('responseRate', { description: 'interested / reached, 0 when nothing was reached.' }),
    withheld: t.expose('withheld', {
      type: [CampaignStatsFigureEnum],
      description:
        'Figures withheld from this merchant (they read 0): fewer than minGroupSize verified customers are behind them, or behind the part this merchant does not already hold.',
    }),
    minGroupSize: t.exposeInt('minGroupSize', { description: 'The fewest verified customers a published figure is about.' }),
  }),
});

export const CampaignRef = builder.node(builder.objectRef<Row<'campaigns'>>('Campaign'), {
  id: { resolve: (c) => c.id },
  loadMany: nodesOf('campaigns'),
  rule: (c, ctx) => canSeeCampaign(viewerAccess(ctx), c),
  fields: (t) => ({
    alliance: t.field({ type: AllianceRef, resolve: (c, _a, ctx) => rowOf(ctx, 'alliances', c.allianceId) }),
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true }),
    status: t.field({
      type: CampaignStatusEnum,
      description: 'A published campaign past endsAt reads ENDED.',
      resolve: (c) => (c.status === 'PUBLISHED' && c.endsAt <= nowIso() ? 'ENDED' : c.status),
    }),
    // What the shops put in is their business: other members see the campaign, not its money.
    budget: t.exposeInt('budget', {
      description: 'Budget in the smallest currency unit (fen). Participants only.',
      authScopes: (c) => ({ campaignParticipant: c.id }),
    }),
    expectedResponses: t.exposeInt('expectedResponses'),
    participants: t.field({
      type: [CampaignParticipantRef],
      resolve: (c, _a, ctx) =>
        rowsWhere(ctx, 'Campaign.participants', 'campaignParticipants', 'campaignId', c.id, {
          orderBy: [
            ['invitedAt', 'asc'],
            ['id', 'asc'],
          ],
        }),
    }),
    // Only the offers the viewer may see (the SQL filter of canSeeOffer), not an error for the others.
    offers: t.field({
      type: [OfferRef],
      resolve: (c, _a, ctx) => rowsWhere(ctx, 'Campaign.offers', 'offers', 'campaignId', c.id, { where: offerVisibleWhere(viewerAccess(ctx)), orderBy: [['id', 'asc']] }),
    }),
    // Only the communities the viewer may see, in id order.
    communities: t.field({
      type: [CommunityRef],
      resolve: async (c, _a, ctx) => visibleOnly(ctx, 'Community', await rowsById(ctx, 'communities', await campaignCommunityIdsOf(ctx, c.id))),
    }),
    stats: t.field({
      type: CampaignStatsRef,
      description: 'Participants only.',
      authScopes: (c) => ({ campaignParticipant: c.id }),
      resolve: (c, _args, ctx) => campaignStats(ctx.deps.db, c, ctx.viewer!.merchantId!, ctx.deps.config.INSIGHTS_MIN_GROUP_SIZE),
    }),
  }),
});

builder.queryField('campaign', (t) =>
  t.field({
    type: CampaignRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = localIdOrNull('Campaign', args.id);
      if (!id) return null;
      return visibleOrNull(ctx, 'Campaign', await rowById(ctx, 'campaigns', id));
    },
  }),
);

const CreateCampaignInput = builder.inputType('CreateCampaignInput', {
  fields: (t) => ({
    allianceId: t.id({ required: true }),
    title: t.string({ required: true, validate: text(120) }),
    description: t.string({ required: true, validate: text(4000, 0) }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    endsAt: t.field({ type: 'DateTime', required: true }),
    budget: t.int({ required: true, description: 'Fen.', validate: z.number().int().min(0, 'must not be negative') }),
    expectedResponses: t.int({ required: true, validate: z.number().int().min(0, 'must not be negative') }),
    communityIds: t.idList({
      required: true,
      validate: z.array(z.string()).min(1, 'choose at least one community').max(20, 'at most 20 communities'),
    }),
  }),
  validate: z
    .looseObject({ startsAt: z.string(), endsAt: z.string() })
    .refine((c) => Date.parse(c.endsAt) > Date.parse(c.startsAt), { message: 'endsAt must be after startsAt.', path: ['endsAt'] }),
});

const campaignArg = (id: string) => localId('Campaign', id);

builder.mutationFields((t) => ({
  createCampaign: t.field({
    type: CampaignRef,
    authScopes: (_root, args) => ({ allianceMember: localId('Alliance', args.input.allianceId) }),
    args: { input: t.arg({ type: CreateCampaignInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const campaign = await commands.createCampaign(ctx.deps.db, actorOf(ctx), {
        ...input,
        allianceId: localId('Alliance', input.allianceId),
        communityIds: input.communityIds.map((id) => localId('Community', id)),
      });
      await refreshViewerAccess(ctx);
      // The command's row lacks the columns it leaves to their defaults (poster, variant unit).
      return rowOf(ctx, 'campaigns', campaign.id);
    },
  }),
  inviteToCampaign: t.field({
    type: CampaignRef,
    authScopes: { merchantStaff: true },
    args: {
      campaignId: t.arg.id({ required: true }),
      merchantIds: t.arg.idList({ required: true, validate: z.array(z.string()).min(1, 'invite at least one merchant').max(50, 'at most 50 at once') }),
    },
    resolve: (_root, args, ctx) =>
      commands.inviteToCampaign(ctx.deps.db, actorOf(ctx), campaignArg(args.campaignId), args.merchantIds.map((id) => localId('Merchant', id))),
  }),
  respondToCampaignInvite: t.field({
    type: CampaignRef,
    authScopes: { merchantStaff: true },
    args: { campaignId: t.arg.id({ required: true }), accept: t.arg.boolean({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const campaign = await commands.respondToCampaignInvite(ctx.deps.db, ctx.viewer!.merchantId!, campaignArg(args.campaignId), args.accept);
      await refreshViewerAccess(ctx);
      return campaign;
    },
  }),
  addOfferToCampaign: t.field({
    type: CampaignRef,
    authScopes: { merchantStaff: true },
    args: { campaignId: t.arg.id({ required: true }), offerId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => commands.addOfferToCampaign(ctx.deps.db, actorOf(ctx), campaignArg(args.campaignId), localId('Offer', args.offerId)),
  }),
  publishCampaign: t.field({
    type: CampaignRef,
    description: 'Publishes every offer of the campaign into every community of the campaign at once.',
    authScopes: { merchantStaff: true },
    args: { campaignId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => commands.publishCampaign(ctx.deps.db, actorOf(ctx), campaignArg(args.campaignId)),
  }),
  recordCampaignSpend: t.field({
    type: CampaignRef,
    authScopes: { merchantStaff: true },
    args: {
      campaignId: t.arg.id({ required: true }),
      amount: t.arg.int({ required: true, description: 'Fen.', validate: z.number().int().positive('must be a positive number of fen') }),
      note: t.arg.string({ validate: text(200) }),
    },
    resolve: (_root, args, ctx) => commands.recordCampaignSpend(ctx.deps.db, actorOf(ctx), campaignArg(args.campaignId), args.amount, args.note ?? null),
  }),
}));

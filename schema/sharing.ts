// Share channels: the code on a poster a merchant posts in a group, and the scans and visits it
// brought (counts only), listed for the merchants who may create them; the campaign's rollup per
// community is the top of its funnel. sharedContent is the channel's public page: what the
// merchant chose to share, for anyone who has the code.
import { z } from 'zod';
import * as commands from '../db/commands/sharing.js';
import { channelTotals, type ChannelTotals } from '../db/queries/campaign-reads.js';
import { rowsByColumn, type Row } from '../db/queries/rows.js';
import { channelByCode, communitiesShowing, sharedContent, shareStats, type SharedContent, type ShareStat } from '../db/queries/sharing.js';
import type { Context } from '../services/context.js';
import { mediaView } from '../services/media/images.js';
import { consume } from '../services/rate-limits.js';
import { posterPath, shareLink } from '../services/share/links.js';
import { actorOf } from './alliance.js';
import { builder } from './builder.js';
import { CampaignRef } from './campaign.js';
import { CampaignLinkRef, sharedCampaignLinks } from './campaign-links.js';
import { CommunityRef } from './community.js';
import { connectionOf, loaderFor, nodesOf, rowById, visibleOrNull } from './loaders.js';
import { MediaRef } from './media.js';
import { OfferRef } from './offer.js';
import { viewerAccess } from './policies/access.js';
import { localId } from './policies/global-id.js';
import { canSeeShareChannel } from './policies/sharing.js';
import { text } from './validators.js';

/** A channel's total scans and visits, batched across the channels of the request. */
const totalsOf = (ctx: Context, channelId: string) =>
  loaderFor<string, ChannelTotals>(ctx, 'ShareChannel.totals', async (ids) => {
    const totals = await channelTotals(ctx.deps.db, ids);
    return ids.map((id) => totals.get(id) ?? { scans: 0, visits: 0 });
  }).load(channelId);

/** A community the viewer may see, or null (as the old relation's filter answered). */
const visibleCommunity = async (ctx: Context, communityId: string | null) => visibleOrNull(ctx, 'Community', await rowById(ctx, 'communities', communityId));

const ShareChannelRef = builder.node(builder.objectRef<Row<'shareChannels'>>('ShareChannel'), {
  id: { resolve: (c) => c.id },
  loadMany: nodesOf('shareChannels'),
  rule: (c, ctx) => canSeeShareChannel(viewerAccess(ctx), c),
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    link: t.string({ description: 'The address the QR code carries: each visit through it counts as a scan.', resolve: (c, _args, ctx) => shareLink(ctx.deps.config, c.code) }),
    posterUrl: t.string({ description: 'A PNG poster with the QR code, to save and post: a path on this server (/share/<code>/poster.png).', resolve: (c) => posterPath(c.code) }),
    scans: t.int({ resolve: async (c, _args, ctx) => (await totalsOf(ctx, c.id)).scans }),
    visits: t.int({ resolve: async (c, _args, ctx) => (await totalsOf(ctx, c.id)).visits }),
    community: t.field({ type: CommunityRef, nullable: true, resolve: (c, _args, ctx) => visibleCommunity(ctx, c.communityId) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ShareChannelConnection = builder.connectionObject({ type: ShareChannelRef, name: 'ShareChannelConnection' }, { name: 'ShareChannelEdge' });
const newestFirst = [['id', 'desc']] as const;

builder.objectField(OfferRef, 'shareChannels', (t) =>
  t.connection(
    {
      type: ShareChannelRef,
      description: 'The offering merchant only.',
      authScopes: (o, _args, ctx) => !!ctx.viewer?.merchantId && o.merchantId === ctx.viewer.merchantId,
      resolve: (o, args, ctx) => connectionOf(ctx, 'shareChannels', args, { where: { offerId: o.id }, ordering: newestFirst }),
    },
    ShareChannelConnection,
  ),
);

const ShareStatRef = builder.objectRef<ShareStat>('ShareStat').implement({
  description: 'Scans and visits of a campaign\'s share channels in one community: counts only.',
  fields: (t) => ({
    community: t.field({
      type: CommunityRef,
      nullable: true,
      description: 'Null for channels that name no community.',
      resolve: (s, _args, ctx) => visibleCommunity(ctx, s.communityId),
    }),
    scans: t.exposeInt('scans'),
    visits: t.exposeInt('visits'),
  }),
});

builder.objectFields(CampaignRef, (t) => ({
  shareChannels: t.connection(
    {
      type: ShareChannelRef,
      description: 'Participants only.',
      authScopes: (c) => ({ campaignParticipant: c.id }),
      resolve: (c, args, ctx) => connectionOf(ctx, 'shareChannels', args, { where: { campaignId: c.id }, ordering: newestFirst }),
    },
    ShareChannelConnection,
  ),
  shareStats: t.field({
    type: [ShareStatRef],
    description: 'Scans and visits of the campaign\'s share channels per community, most scanned first: the top of the funnel. Participants only.',
    authScopes: (c) => ({ campaignParticipant: c.id }),
    resolve: (c, _args, ctx) => shareStats(ctx.deps.db, c.id),
  }),
}));

const SharedKindEnum = builder.enumType('SharedKind', { values: ['OFFER', 'CAMPAIGN'] as const });

// Built field by field from public marketing information: no ids, counts, budget or participants.
const SharedContentRef = builder.objectRef<SharedContent>('SharedContent').implement({
  description: 'An offer or campaign as its share channel shows it to anyone with the code.',
  rule: () => true,
  fields: (t) => ({
    kind: t.field({ type: SharedKindEnum, resolve: (c) => c.kind }),
    title: t.exposeString('title'),
    body: t.exposeString('body', { description: "The offer's text or the campaign's description." }),
    merchantName: t.exposeString('merchantName', { description: 'The offering merchant, or the campaign\'s organizer.' }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    poster: t.field({ type: MediaRef, nullable: true, resolve: (c, _args, ctx) => (c.poster ? mediaView(c.poster) : null) }),
    links: t.field({
      type: [CampaignLinkRef],
      description: "A campaign's activity and livestream links by start time; none for an offer.",
      // The page shows its campaign's links to anyone with the code: sharedCampaignLinks lets
      // exactly the rows it answers here pass the CampaignLink rule (schema/campaign-links.ts).
      resolve: (c, _args, ctx) => (c.campaignId ? sharedCampaignLinks(ctx, c.campaignId) : []),
    }),
    viewerCommunities: t.field({
      type: [CommunityRef],
      description: 'The viewer\'s communities that show the published offer or campaign, where a customer can express interest; none for a visitor who is not signed in.',
      resolve: async (c, _args, ctx) => {
        const ids = await communitiesShowing(ctx.deps.db, c, [...viewerAccess(ctx).communityIds]);
        return ids.length
          ? rowsByColumn(ctx.deps.db, 'communities', 'id', ids, {
              orderBy: [
                ['name', 'asc'],
                ['id', 'asc'],
              ],
            })
          : [];
      },
    }),
  }),
});

builder.queryField('sharedContent', (t) =>
  t.field({
    type: SharedContentRef,
    nullable: true,
    description: 'What a share channel shows, for anyone who has its code; null for an unknown code, a withdrawn, hidden or ended offer, or a cancelled campaign alike.',
    authScopes: { public: true },
    args: { code: t.arg.string({ required: true, validate: z.string().max(32, 'must be a share code') }) },
    resolve: async (_root, { code }, ctx) => (await sharedContent(ctx.deps.db, code)) ?? null,
  }),
);

const CreateShareChannelInput = builder.inputType('CreateShareChannelInput', {
  fields: (t) => ({
    offerId: t.id(),
    campaignId: t.id(),
    communityId: t.id({ description: 'A community the offer or campaign is published in, where the poster will be posted.' }),
    label: t.string({ required: true, description: 'E.g. the group chat the poster goes to.', validate: text(40) }),
  }),
  validate: z
    .looseObject({ offerId: z.string().nullish(), campaignId: z.string().nullish() })
    .refine((i) => !i.offerId !== !i.campaignId, { message: 'Give either offerId or campaignId.', path: ['offerId'] }),
});

builder.mutationFields((t) => ({
  createShareChannel: t.field({
    type: ShareChannelRef,
    description: 'The offering merchant for an offer; the organizer or an accepted partner for a campaign.',
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: CreateShareChannelInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const target = input.offerId ? { offerId: localId('Offer', input.offerId), campaignId: null } : { offerId: null, campaignId: localId('Campaign', input.campaignId!) };
      const communityId = input.communityId ? localId('Community', input.communityId) : null;
      // The command answers with the whole row it inserted.
      return commands.createShareChannel(ctx.deps.db, actorOf(ctx), { target, communityId, label: input.label });
    },
  }),
  recordShareVisit: t.boolean({
    description: 'Counts a visit that came through a share channel (the `ch` of the page address). Anyone may; nothing about the visitor is kept. False for an unknown code.',
    authScopes: { public: true },
    args: { code: t.arg.string({ required: true, validate: z.string().max(32, 'must be a share code') }) },
    resolve: async (_root, { code }, ctx) => {
      await consume(ctx.deps.limits.shareCountsPerIp, ctx.ip);
      const channel = await channelByCode(ctx.deps.db, code);
      if (!channel) return false;
      await commands.countShare(ctx.deps.db, channel.id, 'visits');
      return true;
    },
  }),
}));

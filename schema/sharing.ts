// Share channels: the code on a poster a merchant posts in a group, and the scans and visits it
// brought (counts only), listed for the merchants who may create them; the campaign's rollup per
// community is the top of its funnel.
import { z } from 'zod';
import * as commands from '../db/commands/sharing.js';
import { channelByCode, channelTotal, shareStats, type ShareStat } from '../db/queries/sharing.js';
import { consume } from '../server/rate-limits.js';
import { posterUrl, shareLink } from '../server/share/links.js';
import { actorOf } from './alliance.js';
import { builder } from './builder.js';
import { CampaignRef } from './campaign.js';
import { CommunityRef } from './community.js';
import { OfferRef } from './offer.js';
import { viewerAccess } from './policies/access.js';
import { communityVisibleWhere } from './policies/communities.js';
import { localId } from './policies/globalId.js';
import { canSeeShareChannel } from './policies/sharing.js';
import { text } from './validators.js';

const ShareChannelRef = builder.drizzleNode('shareChannels', {
  name: 'ShareChannel',
  id: { column: (c) => c.id },
  select: { columns: { merchantId: true, offerId: true, campaignId: true, code: true } },
  authScopes: (c, ctx) => canSeeShareChannel(viewerAccess(ctx), c),
  fields: (t) => ({
    code: t.exposeString('code'),
    label: t.exposeString('label'),
    link: t.string({ description: 'The address the QR code carries: each visit through it counts as a scan.', resolve: (c, _args, ctx) => shareLink(ctx.deps.config, c.code) }),
    posterUrl: t.string({ description: 'A PNG poster with the QR code, to save and post.', resolve: (c, _args, ctx) => posterUrl(ctx.deps.config, c.code) }),
    scans: t.int({ select: { extras: { scans: channelTotal('scans') } }, resolve: (c) => c.scans }),
    visits: t.int({ select: { extras: { visits: channelTotal('visits') } }, resolve: (c) => c.visits }),
    community: t.relation('community', { nullable: true, query: (_args, ctx) => ({ where: communityVisibleWhere(viewerAccess(ctx)) }) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ShareChannelConnection = builder.connectionObject({ type: ShareChannelRef, name: 'ShareChannelConnection' }, { name: 'ShareChannelEdge' });
const newestFirst = { orderBy: { id: 'desc' } } as const;
/** relatedConnection types the parent of its authScopes as the node; at run time it is the offer or campaign row. */
const parentOf = <T>(row: unknown) => row as T;

builder.drizzleObjectField(OfferRef, 'shareChannels', (t) =>
  t.relatedConnection(
    'shareChannels',
    {
      description: 'The offering merchant only.',
      authScopes: (o, _args, ctx) => !!ctx.viewer?.merchantId && parentOf<{ merchantId: string }>(o).merchantId === ctx.viewer.merchantId,
      query: newestFirst,
    },
    ShareChannelConnection,
  ),
);

const ShareStatRef = builder.objectRef<ShareStat>('ShareStat').implement({
  description: 'Scans and visits of a campaign\'s share channels in one community: counts only.',
  fields: (t) => ({
    community: t.drizzleField({
      type: CommunityRef,
      nullable: true,
      description: 'Null for channels that name no community.',
      resolve: (query, s, _args, ctx) => (s.communityId ? ctx.deps.db.query.communities.findFirst(query({ where: { AND: [{ id: s.communityId }, communityVisibleWhere(viewerAccess(ctx))] } })) : null),
    }),
    scans: t.exposeInt('scans'),
    visits: t.exposeInt('visits'),
  }),
});

builder.drizzleObjectFields(CampaignRef, (t) => ({
  shareChannels: t.relatedConnection(
    'shareChannels',
    { description: 'Participants only.', authScopes: (c) => ({ campaignParticipant: parentOf<{ id: string }>(c).id }), query: newestFirst },
    ShareChannelConnection,
  ),
  shareStats: t.field({
    type: [ShareStatRef],
    description: 'Scans and visits of the campaign\'s share channels per community, most scanned first: the top of the funnel. Participants only.',
    authScopes: (c) => ({ campaignParticipant: c.id }),
    resolve: (c, _args, ctx) => shareStats(ctx.deps.db, c.id),
  }),
}));

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
  createShareChannel: t.drizzleField({
    type: ShareChannelRef,
    description: 'The offering merchant for an offer; the organizer or an accepted partner for a campaign.',
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: CreateShareChannelInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const target = input.offerId ? { offerId: localId('Offer', input.offerId), campaignId: null } : { offerId: null, campaignId: localId('Campaign', input.campaignId!) };
      const communityId = input.communityId ? localId('Community', input.communityId) : null;
      const channel = await commands.createShareChannel(ctx.deps.db, actorOf(ctx), { target, communityId, label: input.label });
      return (await ctx.deps.db.query.shareChannels.findFirst(query({ where: { id: channel.id } })))!;
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

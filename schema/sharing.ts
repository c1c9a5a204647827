// Share channels: the code on a poster a merchant posts in a group, and the scans and visits it
// brought (counts only), listed for the merchants who may create them; the campaign's rollup per
// community is the top of its funnel. sharedContent is the channel's public page: what the
// merchant chose to share, for anyone who has the code.
import { z } from 'zod';
import * as commands from '../db/commands/sharing.js';
import { channelByCode, channelTotal, communitiesShowing, sharedContent, shareStats, type SharedContent, type ShareStat } from '../db/queries/sharing.js';
import { mediaView } from '../services/media/images.js';
import { consume } from '../services/rate-limits.js';
import { posterPath, shareLink } from '../services/share/links.js';
import { actorOf } from './alliance.js';
import { builder } from './builder.js';
import { CampaignRef } from './campaign.js';
import { CampaignLinkRef, SHARED_LINKS } from './campaign-links.js';
import { CommunityRef } from './community.js';
import { MediaRef } from './media.js';
import { OfferRef } from './offer.js';
import { viewerAccess } from './policies/access.js';
import { communityVisibleWhere } from './policies/communities.js';
import { localId } from './policies/global-id.js';
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
    posterUrl: t.string({ description: 'A PNG poster with the QR code, to save and post: a path on this server (/share/<code>/poster.png).', resolve: (c) => posterPath(c.code) }),
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

const SharedKindEnum = builder.enumType('SharedKind', { values: ['OFFER', 'CAMPAIGN'] as const });

// Built field by field from public marketing information: no ids, counts, budget or participants.
const SharedContentRef = builder.objectRef<SharedContent>('SharedContent').implement({
  description: 'An offer or campaign as its share channel shows it to anyone with the code.',
  authScopes: { public: true },
  fields: (t) => ({
    kind: t.field({ type: SharedKindEnum, resolve: (c) => c.kind }),
    title: t.exposeString('title'),
    body: t.exposeString('body', { description: "The offer's text or the campaign's description." }),
    merchantName: t.exposeString('merchantName', { description: 'The offering merchant, or the campaign\'s organizer.' }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    poster: t.field({ type: MediaRef, nullable: true, resolve: (c, _args, ctx) => (c.poster ? mediaView(c.poster) : null) }),
    links: t.drizzleField({
      type: [CampaignLinkRef],
      description: "A campaign's activity and livestream links by start time; none for an offer.",
      resolve: (query, c, _args, ctx) => (c.campaignId ? ctx.deps.db.query.campaignLinks.findMany(query({ where: { campaignId: c.campaignId }, orderBy: { startsAt: 'asc', id: 'asc' } })) : []),
    }),
    viewerCommunities: t.drizzleField({
      type: [CommunityRef],
      description: 'The viewer\'s communities that show the published offer or campaign, where a customer can express interest; none for a visitor who is not signed in.',
      resolve: async (query, c, _args, ctx) => {
        const ids = await communitiesShowing(ctx.deps.db, c, [...viewerAccess(ctx).communityIds]);
        return ids.length ? ctx.deps.db.query.communities.findMany(query({ where: { id: { in: ids } }, orderBy: { name: 'asc', id: 'asc' } })) : [];
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
    // Lets the answer's campaign links be read (with runScopesOnType a type checks the grants of
    // the field above the one returning it, so they are granted here rather than on `links`).
    grantScopes: [SHARED_LINKS],
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

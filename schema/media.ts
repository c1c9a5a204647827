// Posters of offers and campaigns. Images are uploaded over HTTP (POST /media, server/routes/media.ts);
// here they are attached, and shown to whoever may see the offer or campaign.
import * as commands from '../db/commands/media.js';
import { mediaView, type MediaView } from '../services/media/images.js';
import { actorOf } from './alliance.js';
import { builder } from './builder.js';
import { CampaignRef } from './campaign.js';
import { OfferRef } from './offer.js';
import { localId } from './policies/global-id.js';
import { CampaignVariantRef } from './variants.js';

// Not a node: a poster is reached through the offer, campaign or variant showing it, whose scopes guard it.
export const MediaRef = builder.objectRef<MediaView>('Media').implement({
  description: 'An uploaded image, as WebP renditions without metadata. Its URLs never change what they show.',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url', { description: 'The display rendition, at most 1080x1920: a path on this server (/media/<key>).' }),
    thumbnailUrl: t.exposeString('thumbnailUrl', { description: 'At most 320x320.' }),
    width: t.exposeInt('width', { description: 'Of the display rendition.' }),
    height: t.exposeInt('height', { description: 'Of the display rendition.' }),
  }),
});

const posterSelection = { with: { poster: { columns: { id: true, displayKey: true, thumbKey: true, width: true, height: true } } } } as const;
type WithPoster = { poster: Parameters<typeof mediaView>[0] | null };
const posterOf = (row: WithPoster) => (row.poster ? mediaView(row.poster) : null);

builder.drizzleObjectFields(OfferRef, (t) => ({ poster: t.field({ type: MediaRef, nullable: true, select: posterSelection, resolve: posterOf }) }));
builder.drizzleObjectFields(CampaignRef, (t) => ({ poster: t.field({ type: MediaRef, nullable: true, select: posterSelection, resolve: posterOf }) }));
builder.drizzleObjectFields(CampaignVariantRef, (t) => ({ poster: t.field({ type: MediaRef, nullable: true, select: posterSelection, resolve: posterOf }) }));

const mediaArg = (id: string | null | undefined) => (id == null ? null : localId('Media', id));

const SetOfferPosterInput = builder.inputType('SetOfferPosterInput', {
  fields: (t) => ({
    offerId: t.id({ required: true }),
    mediaId: t.id({ description: 'An image uploaded by the offer\'s merchant; null removes the poster.' }),
  }),
});

const SetCampaignPosterInput = builder.inputType('SetCampaignPosterInput', {
  fields: (t) => ({
    campaignId: t.id({ required: true }),
    mediaId: t.id({ description: 'An image uploaded by the organizer; null removes the poster.' }),
  }),
});

builder.mutationFields((t) => ({
  setOfferPoster: t.drizzleField({
    type: OfferRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: SetOfferPosterInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const offer = await commands.setOfferPoster(ctx.deps.db, actorOf(ctx), localId('Offer', input.offerId), mediaArg(input.mediaId));
      return (await ctx.deps.db.query.offers.findFirst(query({ where: { id: offer.id } })))!;
    },
  }),
  setCampaignPoster: t.field({
    type: CampaignRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: SetCampaignPosterInput, required: true }) },
    resolve: (_root, { input }, ctx) => commands.setCampaignPoster(ctx.deps.db, actorOf(ctx), localId('Campaign', input.campaignId), mediaArg(input.mediaId)),
  }),
}));

// Posters of offers and campaigns. Images are uploaded over HTTP (POST /media, server/routes/media.ts);
// here they are attached, and shown to whoever may see the offer or campaign.
import * as commands from '../db/commands/media.js';
import type { Context } from '../services/context.js';
import { mediaView, type MediaView } from '../services/media/images.js';
import { actorOf } from './alliance.js';
import { builder } from './builder.js';
import { CampaignRef } from './campaign.js';
import { rowById, rowOf } from './loaders.js';
import { OfferRef } from './offer.js';
import { localId } from './policies/global-id.js';
import { CampaignVariantRef } from './variants.js';

// Not a node and no rule of its own: a poster is reached only through the offer, campaign or variant
// showing it, whose rule guards it (a part: test/guardrails.test.ts PARTS).
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

/** The poster of an offer, campaign or variant: its media row, batched with the request's other posters. */
const posterOf = async (row: { posterMediaId: string | null }, _args: object, ctx: Context): Promise<MediaView | null> => {
  const poster = await rowById(ctx, 'media', row.posterMediaId);
  return poster ? mediaView(poster) : null;
};

builder.objectFields(OfferRef, (t) => ({ poster: t.field({ type: MediaRef, nullable: true, resolve: posterOf }) }));
builder.objectFields(CampaignRef, (t) => ({ poster: t.field({ type: MediaRef, nullable: true, resolve: posterOf }) }));
builder.objectFields(CampaignVariantRef, (t) => ({ poster: t.field({ type: MediaRef, nullable: true, resolve: posterOf }) }));

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
  setOfferPoster: t.field({
    type: OfferRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: SetOfferPosterInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const offer = await commands.setOfferPoster(ctx.deps.db, actorOf(ctx), localId('Offer', input.offerId), mediaArg(input.mediaId));
      // The command answers with the offer as it was before the change: read it again.
      return rowOf(ctx, 'offers', offer.id);
    },
  }),
  setCampaignPoster: t.field({
    type: CampaignRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: SetCampaignPosterInput, required: true }) },
    resolve: (_root, { input }, ctx) => commands.setCampaignPoster(ctx.deps.db, actorOf(ctx), localId('Campaign', input.campaignId), mediaArg(input.mediaId)),
  }),
}));

// Posters: a merchant's uploaded images, and the offers and campaigns that show them.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conflict, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { campaigns, media, offers } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import type { Actor } from './alliance-guards.js';
import { requireOrganizer } from './campaigns.js';
import { requireOwnOffer } from './offers.js';

/** What the platform keeps about renditions already in storage (services/media/images.ts makes them). */
export type MediaData = Omit<typeof media.$inferInsert, 'id' | 'merchantId' | 'uploadedByAccountId' | 'createdAt'>;

/** The uploader's merchant owns the media. */
export function recordMedia(db: Db, actor: Actor, data: MediaData) {
  return inTransaction(db, async (tx) => {
    const row = { id: newId(), merchantId: actor.merchantId, uploadedByAccountId: actor.accountId, ...data, createdAt: nowIso() };
    await tx.insert(media).values(row);
    return row;
  });
}

/** Another merchant's media reads as unknown: its ids must not be confirmed to anyone else. */
export async function requireOwnMedia(tx: Tx, merchantId: string, mediaId: string) {
  const [row] = await tx
    .select({ id: media.id })
    .from(media)
    .where(and(eq(media.id, mediaId), eq(media.merchantId, merchantId)));
  if (!row) throw notFound('media');
  return row.id;
}

/** The offering merchant sets (or, with null, removes) its offer's poster. */
export function setOfferPoster(db: Db, actor: Actor, offerId: string, mediaId: string | null) {
  return inTransaction(db, async (tx) => {
    const offer = await requireOwnOffer(tx, actor.merchantId, offerId);
    if (offer.status === 'WITHDRAWN') throw conflict('A withdrawn offer cannot be edited.');
    const posterMediaId = mediaId === null ? null : await requireOwnMedia(tx, actor.merchantId, mediaId);
    await tx.update(offers).set({ posterMediaId, updatedAt: nowIso() }).where(eq(offers.id, offerId));
    return offer;
  });
}

/** The organizer sets (or, with null, removes) its campaign's poster. */
export function setCampaignPoster(db: Db, actor: Actor, campaignId: string, mediaId: string | null) {
  return inTransaction(db, async (tx) => {
    const campaign = await requireOrganizer(tx, campaignId, actor.merchantId);
    if (campaign.status === 'CANCELLED') throw conflict('This campaign was cancelled.');
    const posterMediaId = mediaId === null ? null : await requireOwnMedia(tx, actor.merchantId, mediaId);
    await tx.update(campaigns).set({ posterMediaId }).where(eq(campaigns.id, campaignId));
    return { ...campaign, posterMediaId };
  });
}

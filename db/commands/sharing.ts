// Share channels: a code for each place a merchant posts an offer's or a campaign's poster, and the
// daily counts of scans and visits it brings. Counts only: nothing about who scanned is kept.
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conflict, badInput } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { campaignCommunities, offerPlacements, shareChannels, shareCounts } from '../tables/index.js';
import { inTransaction } from '../tx.js';
import type { Actor } from './alliance-guards.js';
import { requireAcceptedParticipant } from './campaigns.js';
import { requireOwnOffer } from './offers.js';

// Lower-case letters and digits without the look-alikes 0/o and 1/l: a code copied by hand still works.
const CODE_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const CODE_LENGTH = 10;
export const SHARE_CODE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/** 50 random bits: 32 symbols divide 256, so each byte's low five bits are uniform. */
function newShareCode(): string {
  return [...randomBytes(CODE_LENGTH)].map((b) => CODE_ALPHABET[b & 31]).join('');
}

export type ShareTarget = { offerId: string; campaignId: null } | { offerId: null; campaignId: string };

export interface ShareChannelData {
  target: ShareTarget;
  communityId: string | null;
  label: string;
}

/**
 * The offering merchant shares its own offer; the organizer and accepted partners share their
 * campaign. A community, when named, must be one the offer is published in or the campaign targets.
 */
export function createShareChannel(db: Db, actor: Actor, data: ShareChannelData) {
  return inTransaction(db, async (tx) => {
    const { target, communityId } = data;
    if (target.offerId !== null) {
      const { offerId } = target;
      const offer = await requireOwnOffer(tx, actor.merchantId, offerId);
      if (offer.status === 'WITHDRAWN' || offer.status === 'HIDDEN') throw conflict('A withdrawn or hidden offer cannot be shared.');
      if (communityId) {
        const [placed] = await tx
          .select({ id: offerPlacements.id })
          .from(offerPlacements)
          .where(and(eq(offerPlacements.offerId, offerId), eq(offerPlacements.communityId, communityId)));
        if (!placed) throw badInput('communityId', 'The offer is not published in this community.');
      }
    } else {
      const { campaignId } = target;
      const campaign = await requireAcceptedParticipant(tx, campaignId, actor.merchantId);
      if (campaign.status === 'CANCELLED') throw conflict('This campaign was cancelled.');
      if (communityId) {
        const [targeted] = await tx
          .select({ communityId: campaignCommunities.communityId })
          .from(campaignCommunities)
          .where(and(eq(campaignCommunities.campaignId, campaignId), eq(campaignCommunities.communityId, communityId)));
        if (!targeted) throw badInput('communityId', 'The campaign is not published in this community.');
      }
    }
    const channel = {
      id: newId(),
      code: newShareCode(),
      merchantId: actor.merchantId,
      createdByAccountId: actor.accountId,
      ...target,
      communityId,
      variantId: null,
      label: data.label,
      createdAt: nowIso(),
    };
    await tx.insert(shareChannels).values(channel);
    return channel;
  });
}

/** Adds one scan or visit to the channel's row for the UTC day, in one statement. */
export function countShare(db: Db, channelId: string, what: 'scans' | 'visits') {
  const day = nowIso().slice(0, 10);
  return inTransaction(db, async (tx) => {
    await tx
      .insert(shareCounts)
      .values({ channelId, day, scans: what === 'scans' ? 1 : 0, visits: what === 'visits' ? 1 : 0 })
      .onConflictDoUpdate({ target: [shareCounts.channelId, shareCounts.day], set: { [what]: sql`${shareCounts[what]} + 1` } });
  });
}

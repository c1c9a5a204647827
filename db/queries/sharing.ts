// Reads of share channels: a code's channel, its totals, a campaign's rollup per community, and
// what a channel's public page and share poster show (public offer or campaign information only).
import { and, asc, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { nowIso } from '../ids.js';
import { allianceMembers, campaignCommunities, campaigns, offerPlacements, offers, shareChannels, shareCounts } from '../tables/index.js';
import { preparedPer, statementName } from './prepared.js';

// Every scan and visit looks its code up first.
const statements = preparedPer((db) => ({
  byCode: db
    .select({ id: shareChannels.id, offerId: shareChannels.offerId, campaignId: shareChannels.campaignId })
    .from(shareChannels)
    .where(eq(shareChannels.code, sql.placeholder('code')))
    .prepare(...statementName('share_channel_by_code')),
}));

export async function channelByCode(db: Db, code: string) {
  const [channel] = await statements(db).byCode.execute({ code });
  return channel;
}

export interface ShareStat {
  communityId: string | null;
  scans: number;
  visits: number;
}

/**
 * Scans and visits of a campaign's channels and of its offers' channels, summed per community
 * (null: channels for no community): the top of the campaign's funnel.
 */
export async function shareStats(db: Db, campaignId: string): Promise<ShareStat[]> {
  const scans = sql<number>`cast(coalesce(sum(${shareCounts.scans}), 0) as integer)`.mapWith(Number);
  const visits = sql<number>`cast(coalesce(sum(${shareCounts.visits}), 0) as integer)`.mapWith(Number);
  return db
    .select({ communityId: shareChannels.communityId, scans: scans.as('scans'), visits: visits.as('visits') })
    .from(shareChannels)
    .leftJoin(shareCounts, eq(shareCounts.channelId, shareChannels.id))
    .where(or(eq(shareChannels.campaignId, campaignId), inArray(shareChannels.offerId, db.select({ id: offers.id }).from(offers).where(eq(offers.campaignId, campaignId)))))
    .groupBy(shareChannels.communityId)
    .orderBy(desc(scans), desc(visits), asc(sql`coalesce(${shareChannels.communityId}, '')`));
}

/** A poster as stored: its renditions and the display rendition's size. */
export interface SharedPoster {
  id: string;
  displayKey: string;
  thumbKey: string;
  width: number;
  height: number;
}

/** What a channel's public page and its share poster show: public marketing information only. */
export interface SharedContent {
  kind: 'OFFER' | 'CAMPAIGN';
  /** Internal: which offer or campaign, for its links and the viewer's communities; never shown. */
  offerId: string | null;
  campaignId: string | null;
  title: string;
  body: string;
  /** The offering merchant, or the campaign's organizer. */
  merchantName: string;
  startsAt: string;
  endsAt: string;
  poster: SharedPoster | null;
}

const posterColumns = { columns: { id: true, displayKey: true, thumbKey: true, width: true, height: true } } as const;
const publicColumns = { title: true, startsAt: true, endsAt: true, status: true } as const;

/**
 * What a channel shares, or undefined when there is nothing to show: no such code, or an offer or
 * campaign that is not published (a draft, withdrawn, hidden by moderation, cancelled) or is past
 * its end. One answer for all of them, so a code tells nobody why; the public sees only what its
 * merchants have published.
 */
export async function sharedContent(db: Db, code: string, now = nowIso()): Promise<SharedContent | undefined> {
  const channel = await db.query.shareChannels.findFirst({
    where: { code },
    columns: { offerId: true, campaignId: true },
    with: {
      offer: { columns: { ...publicColumns, body: true }, with: { merchant: { columns: { name: true } }, poster: posterColumns } },
      campaign: { columns: { ...publicColumns, description: true }, with: { organizer: { columns: { name: true } }, poster: posterColumns } },
    },
  });
  const { offer, campaign } = channel ?? {};
  const common = { offerId: channel?.offerId ?? null, campaignId: channel?.campaignId ?? null };
  if (offer && offer.status === 'PUBLISHED' && offer.endsAt > now) {
    const { title, body, startsAt, endsAt, merchant, poster } = offer;
    return { kind: 'OFFER', ...common, title, body, merchantName: merchant.name, startsAt, endsAt, poster };
  }
  if (campaign && campaign.status === 'PUBLISHED' && campaign.endsAt > now) {
    const { title, description, startsAt, endsAt, organizer, poster } = campaign;
    return { kind: 'CAMPAIGN', ...common, title, body: description, merchantName: organizer.name, startsAt, endsAt, poster };
  }
  return undefined;
}

/**
 * Which of the given communities (the viewer's) show the shared offer or campaign, once published:
 * where the offer is placed by a merchant in good standing (as canSeeOffer), or that the campaign
 * targets.
 */
export async function communitiesShowing(db: Db, content: SharedContent, communityIds: string[]): Promise<string[]> {
  if (communityIds.length === 0) return [];
  const rows = content.offerId
    ? await db
        .select({ id: offerPlacements.communityId })
        .from(offerPlacements)
        .innerJoin(offers, eq(offers.id, offerPlacements.offerId))
        .innerJoin(allianceMembers, and(eq(allianceMembers.allianceId, offerPlacements.allianceId), eq(allianceMembers.merchantId, offerPlacements.merchantId)))
        .where(and(eq(offerPlacements.offerId, content.offerId), inArray(offerPlacements.communityId, communityIds), eq(offers.status, 'PUBLISHED'), eq(allianceMembers.status, 'APPROVED')))
    : await db
        .select({ id: campaignCommunities.communityId })
        .from(campaignCommunities)
        .innerJoin(campaigns, eq(campaigns.id, campaignCommunities.campaignId))
        .where(and(eq(campaignCommunities.campaignId, content.campaignId!), inArray(campaignCommunities.communityId, communityIds), eq(campaigns.status, 'PUBLISHED')));
  return rows.map((r) => r.id);
}

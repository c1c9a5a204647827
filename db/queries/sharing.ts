// Reads of share channels: a code's channel, its totals, a campaign's rollup per community, and
// what a share poster shows (public offer or campaign information only).
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { shareChannels, shareCounts } from '../tables/index.js';
import { preparedPer, statementName } from './prepared.js';

/** A channel's total scans or visits over every day: a drizzle `extras` expression on the channel table. */
export const channelTotal = (what: 'scans' | 'visits') => (channel: typeof shareChannels) =>
  sql<number>`(select cast(coalesce(sum(${shareCounts[what]}), 0) as integer) from ${shareCounts} where ${shareCounts.channelId} = ${channel.id})`.mapWith(Number);

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

/** Scans and visits of a campaign's channels, summed per community (null: channels for no community). */
export async function shareStats(db: Db, campaignId: string): Promise<ShareStat[]> {
  const scans = sql<number>`cast(coalesce(sum(${shareCounts.scans}), 0) as integer)`.mapWith(Number);
  const visits = sql<number>`cast(coalesce(sum(${shareCounts.visits}), 0) as integer)`.mapWith(Number);
  return db
    .select({ communityId: shareChannels.communityId, scans, visits })
    .from(shareChannels)
    .leftJoin(shareCounts, eq(shareCounts.channelId, shareChannels.id))
    .where(eq(shareChannels.campaignId, campaignId))
    .groupBy(shareChannels.communityId)
    .orderBy(desc(scans), desc(visits), asc(sql`coalesce(${shareChannels.communityId}, '')`));
}

export interface PosterContent {
  title: string;
  /** The offering merchant, or the campaign's organizer. */
  merchantName: string;
  /** The uploaded poster's display rendition, if any. */
  posterKey: string | null;
}

/**
 * What the poster of a channel shows, or undefined when there is nothing to show: no such code,
 * or an offer withdrawn or hidden by moderation, or a cancelled campaign.
 */
export async function posterContent(db: Db, code: string): Promise<PosterContent | undefined> {
  const channel = await db.query.shareChannels.findFirst({
    where: { code },
    columns: {},
    with: {
      offer: { columns: { title: true, status: true }, with: { merchant: { columns: { name: true } }, poster: { columns: { displayKey: true } } } },
      campaign: { columns: { title: true, status: true }, with: { organizer: { columns: { name: true } }, poster: { columns: { displayKey: true } } } },
    },
  });
  const { offer, campaign } = channel ?? {};
  if (offer && offer.status !== 'WITHDRAWN' && offer.status !== 'HIDDEN') {
    return { title: offer.title, merchantName: offer.merchant.name, posterKey: offer.poster?.displayKey ?? null };
  }
  if (campaign && campaign.status !== 'CANCELLED') {
    return { title: campaign.title, merchantName: campaign.organizer.name, posterKey: campaign.poster?.displayKey ?? null };
  }
  return undefined;
}

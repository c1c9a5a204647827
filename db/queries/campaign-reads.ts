// Reads of the campaign area's types beyond the generic ones (db/queries/rows.ts): the scan and
// visit totals of share channels, for every channel of a page in one statement.
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { shareCounts } from '../tables/index.js';

export interface ChannelTotals {
  scans: number;
  visits: number;
}

/** Each channel's total scans and visits over every day, in one statement; channels with no counts are left out. */
export async function channelTotals(db: Db, channelIds: readonly string[]): Promise<Map<string, ChannelTotals>> {
  if (channelIds.length === 0) return new Map();
  const rows = await db
    .select({
      channelId: shareCounts.channelId,
      scans: sql<number>`cast(coalesce(sum(${shareCounts.scans}), 0) as integer)`.mapWith(Number),
      visits: sql<number>`cast(coalesce(sum(${shareCounts.visits}), 0) as integer)`.mapWith(Number),
    })
    .from(shareCounts)
    .where(inArray(shareCounts.channelId, [...channelIds]))
    .groupBy(shareCounts.channelId);
  return new Map(rows.map((r) => [r.channelId, { scans: r.scans, visits: r.visits }]));
}

// A campaign's activity and livestream links, kept by its organizer and shown as buttons.
import { count, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conflict, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { campaignLinks } from '../tables/index.js';
import { inTransaction } from '../tx.js';
import type { Actor } from './alliance-guards.js';
import { requireOrganizer } from './campaigns.js';

const MAX_LINKS_PER_CAMPAIGN = 10;
/** How long a livestream without an end counts as live after it starts. */
const LIVE_WITHOUT_END_MS = 4 * 3_600_000;

export interface CampaignLinkData {
  kind: 'ACTIVITY' | 'LIVESTREAM';
  title: string;
  url: string;
  startsAt: string;
  endsAt: string | null;
}

/** A livestream from its start until its end (or for four hours when it has none); an activity never. */
export function isLinkLive(link: Pick<CampaignLinkData, 'kind' | 'startsAt' | 'endsAt'>): boolean {
  if (link.kind !== 'LIVESTREAM') return false;
  const start = Date.parse(link.startsAt);
  const end = link.endsAt ? Date.parse(link.endsAt) : start + LIVE_WITHOUT_END_MS;
  const now = Date.now();
  return start <= now && now < end;
}

export function addCampaignLink(db: Db, actor: Actor, campaignId: string, data: CampaignLinkData) {
  return inTransaction(db, async (tx) => {
    const campaign = await requireOrganizer(tx, campaignId, actor.merchantId);
    if (campaign.status === 'CANCELLED') throw conflict('This campaign was cancelled.');
    const [{ links }] = (await tx.select({ links: count() }).from(campaignLinks).where(eq(campaignLinks.campaignId, campaignId))) as [{ links: number }];
    if (links >= MAX_LINKS_PER_CAMPAIGN) throw conflict(`A campaign has at most ${MAX_LINKS_PER_CAMPAIGN} links; remove one first.`);
    const link = { id: newId(), campaignId, ...data, createdAt: nowIso() };
    await tx.insert(campaignLinks).values(link);
    return link;
  });
}

/** Removes a link; answers with its campaign. */
export function removeCampaignLink(db: Db, actor: Actor, linkId: string) {
  return inTransaction(db, async (tx) => {
    const [link] = await tx.select({ campaignId: campaignLinks.campaignId }).from(campaignLinks).where(eq(campaignLinks.id, linkId));
    if (!link) throw notFound('campaign link');
    const campaign = await requireOrganizer(tx, link.campaignId, actor.merchantId);
    await tx.delete(campaignLinks).where(eq(campaignLinks.id, linkId));
    return campaign;
  });
}

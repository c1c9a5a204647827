// Offers: a merchant posts into communities it has joined, edits and withdraws its own offers.
import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { AppError, badInput, conflict, forbidden, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { communities, offerPlacements, offers } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import { requireApprovedMember, type Actor } from './alliance-guards.js';
import { currentMembership } from './communities.js';

const DAY_MS = 86_400_000;

export interface OfferData {
  title: string;
  body: string;
  category: string;
  startsAt: string;
  endsAt: string;
}

function requireTimeOrder(startsAt: string, endsAt: string) {
  if (Date.parse(endsAt) <= Date.parse(startsAt)) throw badInput('endsAt', 'endsAt must be after startsAt.');
}

/**
 * Posting limit per merchant and community over a rolling 24 hours; campaign placements do not
 * count. retryAfter is when the oldest post in the window ages out.
 */
async function enforcePostLimit(tx: Tx, merchantId: string, community: { id: string; name: string; postLimitPerDay: number }, nowMs: number) {
  const windowStart = new Date(nowMs - DAY_MS).toISOString();
  const recent = await tx
    .select({ postedAt: offerPlacements.postedAt })
    .from(offerPlacements)
    .where(
      and(
        eq(offerPlacements.merchantId, merchantId),
        eq(offerPlacements.communityId, community.id),
        isNull(offerPlacements.campaignId),
        gt(offerPlacements.postedAt, windowStart),
      ),
    )
    .orderBy(asc(offerPlacements.postedAt));
  if (recent.length < community.postLimitPerDay) return;
  const freesAt = Date.parse(recent[recent.length - community.postLimitPerDay]!.postedAt) + DAY_MS;
  const retryAfter = Math.max(1, Math.ceil((freesAt - nowMs) / 1000));
  throw new AppError('RATE_LIMITED', `You may post ${community.postLimitPerDay} offers a day into ${community.name}.`, { retryAfter });
}

export function postOffer(db: Db, actor: Actor, data: OfferData, communityIds: string[]) {
  return inTransaction(db, async (tx) => {
    requireTimeOrder(data.startsAt, data.endsAt);
    const now = nowIso();
    const nowMs = Date.parse(now);
    const wanted = [...new Set(communityIds)];
    const found = await tx.select().from(communities).where(inArray(communities.id, wanted));
    const offer = { id: newId(), merchantId: actor.merchantId, ...data, status: 'PUBLISHED' as const, campaignId: null, createdAt: now, updatedAt: now };
    const placements: (typeof offerPlacements.$inferInsert)[] = [];
    for (const communityId of wanted) {
      const community = found.find((c) => c.id === communityId);
      // Only members post, and a non-member may not learn that a community exists.
      if (!community || !(await currentMembership(tx, communityId, { merchantId: actor.merchantId }))) throw notFound('community');
      await requireApprovedMember(tx, community.allianceId, actor.merchantId, 'This merchant is suspended in the alliance and cannot post.');
      if (community.status !== 'OPEN') throw conflict(`${community.name} is archived.`);
      await enforcePostLimit(tx, actor.merchantId, community, nowMs);
      placements.push({ id: newId(), offerId: offer.id, communityId, allianceId: community.allianceId, merchantId: actor.merchantId, postedAt: now });
    }
    await tx.insert(offers).values(offer);
    await tx.insert(offerPlacements).values(placements);
    return offer;
  });
}

export async function requireOwnOffer(tx: Tx, merchantId: string, offerId: string) {
  const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId));
  if (!offer) throw notFound('offer');
  if (offer.merchantId !== merchantId) throw forbidden('Only the offering merchant may change this offer.');
  return offer;
}

export function updateOffer(db: Db, actor: Actor, offerId: string, patch: { [K in keyof OfferData]?: OfferData[K] | null }) {
  return inTransaction(db, async (tx) => {
    const offer = await requireOwnOffer(tx, actor.merchantId, offerId);
    if (offer.status === 'WITHDRAWN') throw conflict('A withdrawn offer cannot be edited.');
    const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined && v !== null)) as Partial<OfferData>;
    const next = { ...offer, ...changes, updatedAt: nowIso() };
    requireTimeOrder(next.startsAt, next.endsAt);
    await tx.update(offers).set({ ...changes, updatedAt: next.updatedAt }).where(eq(offers.id, offerId));
    return next;
  });
}

export function withdrawOffer(db: Db, actor: Actor, offerId: string) {
  return inTransaction(db, async (tx) => {
    const offer = await requireOwnOffer(tx, actor.merchantId, offerId);
    if (offer.status === 'WITHDRAWN') throw conflict('This offer is already withdrawn.');
    const withdrawn = { status: 'WITHDRAWN' as const, updatedAt: nowIso() };
    await tx.update(offers).set(withdrawn).where(eq(offers.id, offerId));
    return { ...offer, ...withdrawn };
  });
}

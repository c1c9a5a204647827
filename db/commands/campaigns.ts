// Joint campaigns: an organizer invites alliance members, participants add their offers, and
// publication places every offer into every community of the campaign in one transaction.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.js';
import { badInput, conflict, forbidden, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { allianceMembers, campaignCommunities, campaignParticipants, campaigns, campaignSpend, communities, offerPlacements, offers } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import { requireApprovedMember, type Actor } from './alliance-guards.js';
import { requireOwnOffer } from './offers.js';

export interface CampaignData {
  allianceId: string;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  budget: number;
  expectedResponses: number;
  communityIds: string[];
}

export function createCampaign(db: Db, actor: Actor, data: CampaignData) {
  return inTransaction(db, async (tx) => {
    await requireApprovedMember(tx, data.allianceId, actor.merchantId, 'Only approved members of this alliance may organise a campaign in it.');
    if (Date.parse(data.endsAt) <= Date.parse(data.startsAt)) throw badInput('endsAt', 'endsAt must be after startsAt.');
    const communityIds = [...new Set(data.communityIds)];
    const open = await tx
      .select({ id: communities.id })
      .from(communities)
      .where(and(inArray(communities.id, communityIds), eq(communities.allianceId, data.allianceId), eq(communities.status, 'OPEN')));
    if (open.length !== communityIds.length) throw badInput('communityIds', 'Every community must be an open community of this alliance.');
    const now = nowIso();
    const { communityIds: _ids, ...fields } = data;
    const campaign = { id: newId(), ...fields, organizerMerchantId: actor.merchantId, status: 'DRAFT' as const, createdAt: now, publishedAt: null };
    await tx.insert(campaigns).values(campaign);
    await tx
      .insert(campaignParticipants)
      .values({ id: newId(), campaignId: campaign.id, merchantId: actor.merchantId, status: 'ACCEPTED', isOrganizer: true, invitedAt: now, respondedAt: now });
    await tx.insert(campaignCommunities).values(communityIds.map((communityId) => ({ campaignId: campaign.id, communityId })));
    return campaign;
  });
}

async function requireCampaign(tx: Tx, campaignId: string) {
  const [campaign] = await tx.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign) throw notFound('campaign');
  return campaign;
}

export async function requireOrganizer(tx: Tx, campaignId: string, merchantId: string) {
  const campaign = await requireCampaign(tx, campaignId);
  if (campaign.organizerMerchantId !== merchantId) throw forbidden('Only the organizer may do this.');
  return campaign;
}

async function participantOf(tx: Tx, campaignId: string, merchantId: string) {
  const [participant] = await tx
    .select()
    .from(campaignParticipants)
    .where(and(eq(campaignParticipants.campaignId, campaignId), eq(campaignParticipants.merchantId, merchantId)));
  return participant;
}

function requireDraft(campaign: { status: string }) {
  if (campaign.status !== 'DRAFT') throw conflict('This campaign has already been published.');
}

/** Invites approved alliance members; inviting a merchant already invited or taking part changes nothing. */
export function inviteToCampaign(db: Db, actor: Actor, campaignId: string, merchantIds: string[]) {
  return inTransaction(db, async (tx) => {
    const campaign = await requireOrganizer(tx, campaignId, actor.merchantId);
    if (campaign.status === 'CANCELLED') throw conflict('This campaign was cancelled.');
    const wanted = [...new Set(merchantIds)];
    const members = await tx
      .select({ merchantId: allianceMembers.merchantId })
      .from(allianceMembers)
      .where(and(eq(allianceMembers.allianceId, campaign.allianceId), inArray(allianceMembers.merchantId, wanted), eq(allianceMembers.status, 'APPROVED')));
    if (members.length !== wanted.length) throw badInput('merchantIds', 'Only approved members of the campaign\'s alliance can be invited.');
    const now = nowIso();
    for (const merchantId of wanted) {
      const existing = await participantOf(tx, campaignId, merchantId);
      if (!existing) {
        await tx.insert(campaignParticipants).values({ id: newId(), campaignId, merchantId, status: 'INVITED', isOrganizer: false, invitedAt: now });
      } else if (existing.status === 'DECLINED') {
        await tx.update(campaignParticipants).set({ status: 'INVITED', invitedAt: now, respondedAt: null }).where(eq(campaignParticipants.id, existing.id));
      }
    }
    return campaign;
  });
}

export function respondToCampaignInvite(db: Db, merchantId: string, campaignId: string, accept: boolean) {
  return inTransaction(db, async (tx) => {
    const campaign = await requireCampaign(tx, campaignId);
    const participant = await participantOf(tx, campaignId, merchantId);
    if (!participant) throw notFound('campaign invitation');
    if (participant.status !== 'INVITED') throw conflict('This invitation has already been answered.');
    if (accept) await requireApprovedMember(tx, campaign.allianceId, merchantId);
    await tx
      .update(campaignParticipants)
      .set({ status: accept ? 'ACCEPTED' : 'DECLINED', respondedAt: nowIso() })
      .where(eq(campaignParticipants.id, participant.id));
    return campaign;
  });
}

export async function requireAcceptedParticipant(tx: Tx, campaignId: string, merchantId: string) {
  const campaign = await requireCampaign(tx, campaignId);
  if ((await participantOf(tx, campaignId, merchantId))?.status !== 'ACCEPTED') throw forbidden('Only the campaign\'s participants may do this.');
  return campaign;
}

/** A participant adds one of its own offers; an offer belongs to at most one campaign. */
export function addOfferToCampaign(db: Db, actor: Actor, campaignId: string, offerId: string) {
  return inTransaction(db, async (tx) => {
    const campaign = await requireAcceptedParticipant(tx, campaignId, actor.merchantId);
    requireDraft(campaign);
    const offer = await requireOwnOffer(tx, actor.merchantId, offerId);
    if (offer.campaignId && offer.campaignId !== campaignId) throw conflict('This offer already belongs to another campaign.');
    if (offer.status === 'WITHDRAWN' || offer.status === 'HIDDEN') throw conflict('A withdrawn or hidden offer cannot join a campaign.');
    await tx.update(offers).set({ campaignId, updatedAt: nowIso() }).where(eq(offers.id, offerId));
    return campaign;
  });
}

/**
 * Every offer of the campaign into every community of the campaign, all or nothing. Places an
 * offer already posted into a community are kept as they were.
 */
export function publishCampaign(db: Db, actor: Actor, campaignId: string) {
  return inTransaction(db, async (tx) => {
    const campaign = await requireOrganizer(tx, campaignId, actor.merchantId);
    requireDraft(campaign);
    await requireApprovedMember(tx, campaign.allianceId, actor.merchantId);
    const campaignOffers = await tx
      .select({ id: offers.id, merchantId: offers.merchantId, status: offers.status })
      .from(offers)
      .where(eq(offers.campaignId, campaignId));
    const live = campaignOffers.filter((o) => o.status === 'PUBLISHED' || o.status === 'DRAFT');
    if (live.length === 0) throw conflict('Add at least one offer before publishing the campaign.');
    const targets = await tx
      .select({ id: communities.id, allianceId: communities.allianceId })
      .from(campaignCommunities)
      .innerJoin(communities, eq(communities.id, campaignCommunities.communityId))
      .where(eq(campaignCommunities.campaignId, campaignId));
    const now = nowIso();
    for (const offer of live) {
      if (offer.status === 'DRAFT') await tx.update(offers).set({ status: 'PUBLISHED', updatedAt: now }).where(eq(offers.id, offer.id));
      for (const community of targets) {
        await tx
          .insert(offerPlacements)
          .values({ id: newId(), offerId: offer.id, communityId: community.id, allianceId: community.allianceId, merchantId: offer.merchantId, campaignId, postedAt: now })
          .onConflictDoNothing({ target: [offerPlacements.offerId, offerPlacements.communityId] });
      }
    }
    const published = { status: 'PUBLISHED' as const, publishedAt: now };
    await tx.update(campaigns).set(published).where(eq(campaigns.id, campaignId));
    return { ...campaign, ...published };
  });
}

export function recordCampaignSpend(db: Db, actor: Actor, campaignId: string, amount: number, note: string | null) {
  return inTransaction(db, async (tx) => {
    const campaign = await requireAcceptedParticipant(tx, campaignId, actor.merchantId);
    await tx.insert(campaignSpend).values({ id: newId(), campaignId, amount, note, recordedByAccountId: actor.accountId, recordedAt: nowIso() });
    return campaign;
  });
}

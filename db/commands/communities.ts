// Communities: created and archived by alliance admins, joined and left by member merchants.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conflict, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { communities, communityMembers } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import { logAction, membershipOf, requireAdmin, requireApprovedMember, type Actor } from './allianceGuards.js';

export interface CommunityData {
  allianceId: string;
  name: string;
  description: string;
  rules: string;
  postLimitPerDay?: number | null;
}

export function createCommunity(db: Db, actor: Actor, data: CommunityData) {
  return inTransaction(db, (tx) => {
    requireAdmin(tx, data.allianceId, actor.merchantId);
    const { postLimitPerDay, ...fields } = data;
    return tx
      .insert(communities)
      .values({ id: newId(), ...fields, status: 'OPEN', ...(postLimitPerDay ? { postLimitPerDay } : {}), createdAt: nowIso() })
      .returning()
      .get();
  });
}

/** The community, or NOT_FOUND for a merchant outside its alliance (it may not know it exists). */
function communityForMerchant(tx: Tx, communityId: string, merchantId: string) {
  const community = tx.select().from(communities).where(eq(communities.id, communityId)).get();
  const membership = community && membershipOf(tx, community.allianceId, merchantId);
  if (!community || !membership || !['APPROVED', 'SUSPENDED'].includes(membership.status)) throw notFound('community');
  return community;
}

export function currentMerchantMembership(tx: Tx, communityId: string, merchantId: string) {
  return tx
    .select()
    .from(communityMembers)
    .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.merchantId, merchantId), isNull(communityMembers.leftAt)))
    .get();
}

/** Joining twice is harmless: the merchant simply stays a member. */
export function joinCommunity(db: Db, merchantId: string, communityId: string) {
  return inTransaction(db, (tx) => {
    const community = communityForMerchant(tx, communityId, merchantId);
    requireApprovedMember(tx, community.allianceId, merchantId);
    if (community.status !== 'OPEN') throw conflict('This community is archived.');
    if (!currentMerchantMembership(tx, communityId, merchantId)) {
      tx.insert(communityMembers).values({ id: newId(), communityId, kind: 'MERCHANT', merchantId, joinedAt: nowIso() }).run();
    }
    return community;
  });
}

/** Leaving keeps the membership row with left_at, so reach at a past moment can still be counted. */
export function leaveCommunity(db: Db, merchantId: string, communityId: string) {
  return inTransaction(db, (tx) => {
    const community = communityForMerchant(tx, communityId, merchantId);
    const membership = currentMerchantMembership(tx, communityId, merchantId);
    if (membership) tx.update(communityMembers).set({ leftAt: nowIso() }).where(eq(communityMembers.id, membership.id)).run();
    return community;
  });
}

export function archiveCommunity(db: Db, actor: Actor, communityId: string, reason: string) {
  return inTransaction(db, (tx) => {
    const community = communityForMerchant(tx, communityId, actor.merchantId);
    requireAdmin(tx, community.allianceId, actor.merchantId);
    if (community.status === 'ARCHIVED') throw conflict('This community is already archived.');
    const archived = { status: 'ARCHIVED' as const, archivedAt: nowIso() };
    tx.update(communities).set(archived).where(eq(communities.id, communityId)).run();
    logAction(tx, actor, { allianceId: community.allianceId, kind: 'ARCHIVE_COMMUNITY', reason, communityId });
    return { ...community, ...archived };
  });
}

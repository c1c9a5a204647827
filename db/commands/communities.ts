// Communities: created and archived by alliance admins, joined and left by member merchants and
// by customers of member merchants.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conflict, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { allianceMembers, communities, communityMembers, customers } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import { logAction, membershipOf, requireAdmin, requireApprovedMember, type Actor } from './alliance-guards.js';

export interface CommunityData {
  allianceId: string;
  name: string;
  description: string;
  rules: string;
  postLimitPerDay?: number | null;
}

export function createCommunity(db: Db, actor: Actor, data: CommunityData) {
  return inTransaction(db, async (tx) => {
    await requireAdmin(tx, data.allianceId, actor);
    const { postLimitPerDay, ...fields } = data;
    const [community] = await tx
      .insert(communities)
      .values({ id: newId(), ...fields, status: 'OPEN', ...(postLimitPerDay ? { postLimitPerDay } : {}), createdAt: nowIso() })
      .returning();
    return community!;
  });
}

/** A merchant joins for itself; a customer account joins as itself. */
export type CommunityMember = { merchantId: string } | { accountId: string };

/**
 * Whether the member may know of (and so join) a community of this alliance: a merchant of the
 * alliance, or a customer of one of its approved merchants.
 */
async function belongsToAlliance(tx: Tx, allianceId: string, member: CommunityMember): Promise<boolean> {
  if ('merchantId' in member) return ['APPROVED', 'SUSPENDED'].includes((await membershipOf(tx, allianceId, member.merchantId))?.status ?? '');
  const [customer] = await tx
    .select({ id: customers.id })
    .from(customers)
    .innerJoin(allianceMembers, eq(allianceMembers.merchantId, customers.merchantId))
    .where(
      and(
        eq(customers.accountId, member.accountId),
        isNull(customers.erasedAt),
        eq(allianceMembers.allianceId, allianceId),
        eq(allianceMembers.status, 'APPROVED'),
      ),
    )
    .limit(1);
  return !!customer;
}

/** The community, or NOT_FOUND for anyone outside its alliance (they may not know it exists). */
async function communityFor(tx: Tx, communityId: string, member: CommunityMember) {
  const [community] = await tx.select().from(communities).where(eq(communities.id, communityId));
  if (!community || !(await belongsToAlliance(tx, community.allianceId, member))) throw notFound('community');
  return community;
}

export async function currentMembership(tx: Tx, communityId: string, member: CommunityMember) {
  const who = 'merchantId' in member ? eq(communityMembers.merchantId, member.merchantId) : eq(communityMembers.accountId, member.accountId);
  const [membership] = await tx
    .select()
    .from(communityMembers)
    .where(and(eq(communityMembers.communityId, communityId), who, isNull(communityMembers.leftAt)));
  return membership;
}

/** Joining twice is harmless: the member simply stays in. */
export function joinCommunity(db: Db, member: CommunityMember, communityId: string) {
  return inTransaction(db, async (tx) => {
    const community = await communityFor(tx, communityId, member);
    if ('merchantId' in member) await requireApprovedMember(tx, community.allianceId, member.merchantId);
    if (community.status !== 'OPEN') throw conflict('This community is archived.');
    if (!(await currentMembership(tx, communityId, member))) {
      const kind = 'merchantId' in member ? ('MERCHANT' as const) : ('CUSTOMER' as const);
      await tx.insert(communityMembers).values({ id: newId(), communityId, kind, ...member, joinedAt: nowIso() });
    }
    return community;
  });
}

/** Leaving keeps the membership row with left_at, so reach at a past moment can still be counted. */
export function leaveCommunity(db: Db, member: CommunityMember, communityId: string) {
  return inTransaction(db, async (tx) => {
    const community = await communityFor(tx, communityId, member);
    const membership = await currentMembership(tx, communityId, member);
    if (membership) await tx.update(communityMembers).set({ leftAt: nowIso() }).where(eq(communityMembers.id, membership.id));
    return community;
  });
}

export function archiveCommunity(db: Db, actor: Actor, communityId: string, reason: string) {
  return inTransaction(db, async (tx) => {
    const community = await communityFor(tx, communityId, { merchantId: actor.merchantId });
    await requireAdmin(tx, community.allianceId, actor);
    if (community.status === 'ARCHIVED') throw conflict('This community is already archived.');
    const archived = { status: 'ARCHIVED' as const, archivedAt: nowIso() };
    await tx.update(communities).set(archived).where(eq(communities.id, communityId));
    await logAction(tx, actor, { allianceId: community.allianceId, kind: 'ARCHIVE_COMMUNITY', reason, communityId });
    return { ...community, ...archived };
  });
}

// Rules the alliance-side commands re-check inside their transactions, and the moderation log they write.
import { and, eq } from 'drizzle-orm';
import { forbidden, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { allianceMembers, alliances, merchantStaff, moderationActions, type AllianceRole, type ModerationActionKind } from '../tables/index.js';
import type { Tx } from '../tx.js';

/** Who performs an alliance action: the signed-in account and the merchant it works for. */
export interface Actor {
  accountId: string;
  merchantId: string;
}

export async function membershipOf(tx: Tx, allianceId: string, merchantId: string) {
  const [membership] = await tx
    .select()
    .from(allianceMembers)
    .where(and(eq(allianceMembers.allianceId, allianceId), eq(allianceMembers.merchantId, merchantId)));
  return membership;
}

export async function requireAlliance(tx: Tx, allianceId: string) {
  const [alliance] = await tx.select().from(alliances).where(eq(alliances.id, allianceId));
  if (!alliance) throw notFound('alliance');
  return alliance;
}

/** An APPROVED member (suspended members may read but not act). */
export async function requireApprovedMember(tx: Tx, allianceId: string, merchantId: string, message = 'Only approved members of this alliance may do this.') {
  const membership = await membershipOf(tx, allianceId, merchantId);
  if (membership?.status !== 'APPROVED') throw forbidden(message);
  return membership;
}

/**
 * The merchant's own OWNER account. A merchant's alliance rights are its owner's to use: staff
 * (with or without contact permission) never act for the alliance.
 */
export async function requireMerchantOwner(tx: Tx, actor: Actor, message = 'Only the merchant\'s owner may do this.') {
  const [staff] = await tx
    .select({ role: merchantStaff.role })
    .from(merchantStaff)
    .where(and(eq(merchantStaff.accountId, actor.accountId), eq(merchantStaff.merchantId, actor.merchantId)));
  if (staff?.role !== 'OWNER') throw forbidden(message);
}

export async function requireAdmin(tx: Tx, allianceId: string, actor: Actor, roles: AllianceRole[] = ['OWNER', 'ADMIN']) {
  await requireAlliance(tx, allianceId);
  await requireMerchantOwner(tx, actor, 'Only the alliance\'s admins may do this.');
  const membership = await requireApprovedMember(tx, allianceId, actor.merchantId, 'Only the alliance\'s admins may do this.');
  if (!roles.includes(membership.role)) throw forbidden(roles.length === 1 ? 'Only the alliance\'s owner may do this.' : 'Only the alliance\'s admins may do this.');
  return membership;
}

export interface LoggedAction {
  allianceId: string;
  kind: ModerationActionKind;
  reason: string;
  offerId?: string;
  merchantId?: string;
  communityId?: string;
  reportId?: string;
}

export async function logAction(tx: Tx, actor: Actor, action: LoggedAction): Promise<void> {
  await tx.insert(moderationActions).values({ id: newId(), actorAccountId: actor.accountId, at: nowIso(), ...action });
}

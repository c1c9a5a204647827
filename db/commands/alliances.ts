// Alliances and their membership workflow: create, apply, approve/reject, roles, suspension.
import { eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { allianceMembers, alliances, type AllianceRole } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import { logAction, membershipOf, requireAdmin, requireAlliance, requireMerchantOwner, type Actor } from './alliance-guards.js';

export interface AllianceData {
  name: string;
  city: string;
  description: string;
}

/** The creator's merchant becomes the approved OWNER. */
export function createAlliance(db: Db, actor: Actor, data: AllianceData) {
  return inTransaction(db, async (tx) => {
    await requireMerchantOwner(tx, actor);
    const now = nowIso();
    const alliance = { id: newId(), ...data, createdAt: now };
    await tx.insert(alliances).values(alliance);
    await tx
      .insert(allianceMembers)
      .values({ id: newId(), allianceId: alliance.id, merchantId: actor.merchantId, role: 'OWNER', status: 'APPROVED', appliedAt: now, joinedAt: now, decidedAt: now });
    return alliance;
  });
}

/** A new application is PENDING; a rejected merchant may apply again. */
export function applyToAlliance(db: Db, merchantId: string, allianceId: string, message: string | null) {
  return inTransaction(db, async (tx) => {
    await requireAlliance(tx, allianceId);
    const existing = await membershipOf(tx, allianceId, merchantId);
    const now = nowIso();
    if (existing && existing.status !== 'REJECTED') throw conflict('This merchant has already applied to or belongs to this alliance.');
    if (existing) {
      await tx
        .update(allianceMembers)
        .set({ status: 'PENDING', role: 'MEMBER', message, appliedAt: now, decidedAt: null })
        .where(eq(allianceMembers.id, existing.id));
      return { ...existing, status: 'PENDING' as const, role: 'MEMBER' as const, message, appliedAt: now, decidedAt: null };
    }
    const row = { id: newId(), allianceId, merchantId, role: 'MEMBER' as const, status: 'PENDING' as const, message, appliedAt: now, joinedAt: null, decidedAt: null };
    await tx.insert(allianceMembers).values(row);
    return row;
  });
}

async function requireMember(tx: Tx, allianceId: string, merchantId: string) {
  const membership = await membershipOf(tx, allianceId, merchantId);
  if (!membership) throw notFound('alliance member');
  return membership;
}

export function decideMembership(db: Db, actor: Actor, allianceId: string, merchantId: string, approve: boolean, reason: string | null) {
  return inTransaction(db, async (tx) => {
    await requireAdmin(tx, allianceId, actor);
    const membership = await requireMember(tx, allianceId, merchantId);
    if (membership.status !== 'PENDING') throw conflict('This application has already been decided.');
    const now = nowIso();
    const decided = { status: approve ? ('APPROVED' as const) : ('REJECTED' as const), decidedAt: now, joinedAt: approve ? now : membership.joinedAt };
    await tx.update(allianceMembers).set(decided).where(eq(allianceMembers.id, membership.id));
    await logAction(tx, actor, { allianceId, kind: approve ? 'APPROVE_MEMBER' : 'REJECT_MEMBER', reason: reason ?? '', merchantId });
    return { ...membership, ...decided };
  });
}

/** OWNER only. Making another member OWNER hands ownership over: the old owner becomes ADMIN. */
export function setAllianceRole(db: Db, actor: Actor, allianceId: string, merchantId: string, role: AllianceRole) {
  return inTransaction(db, async (tx) => {
    const owner = await requireAdmin(tx, allianceId, actor, ['OWNER']);
    if (merchantId === actor.merchantId) throw conflict('The owner cannot change its own role; make another member the owner instead.');
    const membership = await requireMember(tx, allianceId, merchantId);
    if (membership.status !== 'APPROVED') throw conflict('Only approved members can be given a role.');
    await tx.update(allianceMembers).set({ role }).where(eq(allianceMembers.id, membership.id));
    if (role === 'OWNER') await tx.update(allianceMembers).set({ role: 'ADMIN' }).where(eq(allianceMembers.id, owner.id));
    return { ...membership, role };
  });
}

/** A suspended merchant cannot post and its offers leave this alliance's feeds until reinstated. */
export function suspendMerchant(db: Db, actor: Actor, allianceId: string, merchantId: string, suspend: boolean, reason: string) {
  return inTransaction(db, async (tx) => {
    const admin = await requireAdmin(tx, allianceId, actor);
    const membership = await requireMember(tx, allianceId, merchantId);
    if (membership.role === 'OWNER' || (membership.role === 'ADMIN' && admin.role !== 'OWNER')) {
      throw forbidden('Only the owner may suspend an admin, and the owner cannot be suspended.');
    }
    const from = suspend ? 'APPROVED' : 'SUSPENDED';
    if (membership.status !== from) throw conflict(suspend ? 'Only approved members can be suspended.' : 'This merchant is not suspended.');
    const status = suspend ? ('SUSPENDED' as const) : ('APPROVED' as const);
    await tx.update(allianceMembers).set({ status }).where(eq(allianceMembers.id, membership.id));
    await logAction(tx, actor, { allianceId, kind: suspend ? 'SUSPEND_MERCHANT' : 'REINSTATE_MERCHANT', reason, merchantId });
    return { ...membership, status };
  });
}

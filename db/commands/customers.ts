// Customers of an originating merchant: adding them, invites, and claiming a customer account.
import { createHash, randomInt } from 'node:crypto';
import { and, count, eq, gt, isNull, lte, min } from 'drizzle-orm';
import type { Db } from '../client.js';
import { affected } from '../dialect/kit.js';
import { AppError, conflict, forbidden, notFound, unauthenticated } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { accounts, customerInvites, customers, merchants } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import type { Identity, Vault } from '../vault.js';
import { recordsPaused } from './alerts.js';
import { useCode, type CodeTarget } from './codes.js';
import { deliverHeldRequests } from './referrals.js';
import { carryConsentHistory, recordInitialConsent } from './consent.js';
import { openSession, type SessionGrant, type TokenMaterial } from './accounts.js';

export const INVITE_DAYS = 14;
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

export const hashInviteCode = (code: string): string => createHash('sha256').update(code.toUpperCase()).digest('hex');

async function newInvite(tx: Tx, vault: Vault, customerId: string) {
  const code = Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const id = newId();
  const now = new Date();
  await tx.insert(customerInvites).values({
    id,
    customerId,
    codeHash: hashInviteCode(code),
    codeSealed: vault.sealSecret(code, `invite:${id}`),
    expiresAt: new Date(now.getTime() + INVITE_DAYS * 86_400_000).toISOString(),
    createdAt: now.toISOString(),
  });
  return code;
}

export interface AddCustomerData extends Identity {
  tags: string[];
  consentSource: 'IN_STORE' | 'ONLINE' | 'PHONE' | 'IMPORT';
  /** With IMPORT: when and where the shop says it collected the consent (its word, shown to the person). */
  consentCollected?: { at: string; where: string } | null;
}

export interface AddCustomerLimits {
  /** Customers one shop may add per 24 hours. */
  perDay: number;
}

/**
 * The originating merchant records a customer who, it says, agreed to it keeping their details.
 * The record is the shop's word until the person confirms it: it starts unconfirmed. Adding is
 * limited per shop per day, and paused while the alliance admins look into disowned records.
 */
export function addCustomer(db: Db, vault: Vault, merchantId: string, data: AddCustomerData, limits: AddCustomerLimits): Promise<{ customerId: string }> {
  return inTransaction(db, async (tx) => {
    if (data.consentSource === 'IMPORT' && !data.consentCollected) {
      throw new AppError('BAD_USER_INPUT', 'For an import, say when and where the customer gave consent.', { field: 'consentCollectedAt' });
    }
    if (await recordsPaused(tx, merchantId)) {
      throw forbidden('Adding customers is paused: people said they never gave your shop their number. An alliance admin must review it first.');
    }
    const now = new Date();
    const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
    const [added] = await tx
      .select({ n: count(), first: min(customers.createdAt) })
      .from(customers)
      .where(and(eq(customers.merchantId, merchantId), gt(customers.createdAt, dayAgo)));
    if (added && added.n >= limits.perDay) {
      const retryAfter = Math.max(1, Math.ceil((Date.parse(added.first!) + 86_400_000 - now.getTime()) / 1000));
      throw new AppError('RATE_LIMITED', 'Your shop has added as many customers as it may today. Try again later.', { retryAfter });
    }
    if ((await vault.customersWithPhone(tx, data.phone, merchantId)).length > 0) {
      throw conflict('You already have a customer with this phone number.');
    }
    const [merchant] = await tx.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, merchantId));
    if (!merchant) throw notFound('merchant');
    const customerId = newId();
    await tx.insert(customers).values({
      id: customerId,
      merchantId,
      tags: data.tags,
      consentSource: data.consentSource,
      consentCollectedAt: data.consentCollected?.at ?? null,
      consentCollectedWhere: data.consentCollected?.where ?? null,
      createdAt: now.toISOString(),
    });
    await vault.writeIdentity(tx, customerId, merchantId, data);
    await recordInitialConsent(tx, customerId, merchant.name, data.consentSource);
    await newInvite(tx, vault, customerId);
    return { customerId };
  });
}

/** The code of an invite a merchant may still show (unused, unexpired), or null. */
export function inviteCodeOf(vault: Vault, invite: { id: string; codeSealed: string; usedAt: string | null; expiresAt: string } | undefined): string | null {
  if (!invite || invite.usedAt || invite.expiresAt <= nowIso()) return null;
  return vault.openSecret(invite.codeSealed, `invite:${invite.id}`);
}

export interface ClaimTarget {
  inviteId: string;
  customerId: string;
  /** Blind index of the phone on the record: the claim needs a code sent to it. */
  phoneIndex: string;
  /** The account this phone already claimed at another merchant, with its password hash. */
  existing: { accountId: string; passwordHash: string } | null;
}

const INVITE_INVALID = 'This invite code is not valid or has expired. Ask the shop for a new one.';

/** Looks an invite up before the (slow, async) password work; the claim re-checks everything. */
export async function findClaimTarget(db: Db, vault: Vault, code: string): Promise<ClaimTarget> {
  const [invite] = await db.select().from(customerInvites).where(eq(customerInvites.codeHash, hashInviteCode(code)));
  if (!invite || invite.usedAt || invite.expiresAt <= nowIso()) throw new AppError('NOT_FOUND', INVITE_INVALID);
  return claimTarget(db, vault, invite);
}

/** The demo seed claims for its demo customer without knowing the (encrypted) code. */
export async function findClaimTargetByCustomer(db: Db, vault: Vault, customerId: string): Promise<ClaimTarget> {
  const [invite] = await db
    .select()
    .from(customerInvites)
    .where(and(eq(customerInvites.customerId, customerId), isNull(customerInvites.usedAt)))
    .limit(1);
  if (!invite) throw new AppError('NOT_FOUND', INVITE_INVALID);
  return claimTarget(db, vault, invite);
}

async function claimTarget(db: Db, vault: Vault, invite: typeof customerInvites.$inferSelect): Promise<ClaimTarget> {
  const [record] = await db.select().from(customers).where(eq(customers.id, invite.customerId));
  if (!record || record.erasedAt || record.accountId) throw new AppError('NOT_FOUND', INVITE_INVALID);
  const phoneIndex = await vault.phoneIndexOf(db, record.id);
  if (!phoneIndex) throw new AppError('NOT_FOUND', INVITE_INVALID);
  const linked = (await vault.samePhoneRecords(db, record.id)).find((c) => c.accountId);
  const existing = linked?.accountId
    ? ((await db.select({ accountId: accounts.id, passwordHash: accounts.passwordHash }).from(accounts).where(eq(accounts.id, linked.accountId)))[0] ?? null)
    : null;
  return { inviteId: invite.id, customerId: record.id, phoneIndex, existing };
}

/** The one-time code that proves a claimant holds the phone on the record. */
export const claimCode = (target: ClaimTarget): CodeTarget => ({ purpose: 'CLAIM_INVITE', subject: target.customerId, targetIndex: target.phoneIndex });

/**
 * Claims an invite with a checked code sent to the phone on the record (the invite code alone,
 * which the merchant and its staff can see, never opens an account): links the record to the
 * account the same phone already has (the caller has verified that account's password), or
 * creates a new customer account with this password.
 */
export function claimInvite(db: Db, target: ClaimTarget, codeId: string, passwordHash: string, token: TokenMaterial): Promise<SessionGrant> {
  return inTransaction(db, async (tx) => {
    await useCode(tx, codeId);
    const [invite] = await tx.select().from(customerInvites).where(eq(customerInvites.id, target.inviteId));
    const now = nowIso();
    if (!invite || invite.usedAt || invite.expiresAt <= now) throw conflict('This invite was already used.');
    const [record] = await tx.select().from(customers).where(eq(customers.id, target.customerId));
    if (!record || record.accountId || record.erasedAt) throw conflict('This invite was already used.');
    let accountId = target.existing?.accountId;
    let tokenVersion = 0;
    if (accountId) {
      const [account] = await tx.select().from(accounts).where(eq(accounts.id, accountId));
      if (!account || account.disabledAt) throw unauthenticated('Wrong login or password.');
      tokenVersion = account.tokenVersion;
    } else {
      accountId = newId();
      // No name in clear text: the customer's own name is read through the vault when shown.
      await tx.insert(accounts).values({ id: accountId, kind: 'CUSTOMER', email: null, passwordHash, displayName: '顾客', createdAt: now });
      // The person's settings start from what they told this merchant.
      await carryConsentHistory(tx, record.id, accountId);
    }
    await tx.update(customers).set({ accountId, claimedAt: now }).where(eq(customers.id, record.id));
    await tx.update(customerInvites).set({ usedAt: now }).where(eq(customerInvites.id, invite.id));
    // The code proved the phone: what was held on this record now reaches her, under her rules.
    await deliverHeldRequests(tx, record.id, accountId);
    const sessionId = await openSession(tx, accountId, token);
    return { accountId, sessionId, tokenVersion };
  });
}

/** Clean-up job: an unused invite past its expiry can never be claimed, so its sealed code goes. Idempotent. */
export function deleteExpiredInvites(db: Db, now = new Date()): Promise<number> {
  return inTransaction(db, async (tx) =>
    affected(await tx.delete(customerInvites).where(and(isNull(customerInvites.usedAt), lte(customerInvites.expiresAt, now.toISOString())))),
  );
}

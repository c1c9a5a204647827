// Accounts and sessions: sign-up, sign-in, refresh-token rotation, sign-out, staff, privacy notices.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { badInput, conflict, forbidden, notFound, unauthenticated } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { accounts, merchantStaff, merchants, privacyNotices, refreshTokens, sessions } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import { useCode } from './codes.js';

/** The one answer to a wrong, expired or missing code, whatever the reason. */
export const WRONG_CODE = 'The code is wrong or has expired. Ask for a new one.';

export interface TokenMaterial {
  /** The opaque refresh token handed to the client (only its hash is stored). */
  refreshToken: string;
  refreshTokenHash: string;
  refreshExpiresAt: string;
}

export interface SessionGrant {
  accountId: string;
  sessionId: string;
  tokenVersion: number;
}

export async function openSession(tx: Tx, accountId: string, token: TokenMaterial): Promise<string> {
  const sessionId = newId();
  const now = nowIso();
  await tx.insert(sessions).values({ id: sessionId, accountId, createdAt: now });
  await insertRefreshToken(tx, accountId, sessionId, token, now);
  return sessionId;
}

async function insertRefreshToken(tx: Tx, accountId: string, sessionId: string, token: TokenMaterial, now: string) {
  await tx.insert(refreshTokens).values({
    id: newId(),
    accountId,
    sessionId,
    tokenHash: token.refreshTokenHash,
    expiresAt: token.refreshExpiresAt,
    createdAt: now,
  });
}

/** Whether an account (even a disabled one) holds this email. */
export async function emailTaken(q: Db | Tx, email: string): Promise<boolean> {
  const [row] = await q.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
  return !!row;
}

export interface SignUpMerchantData {
  email: string;
  passwordHash: string;
  displayName: string;
  merchantName: string;
  category: string;
  city: string;
}

/** Opens a merchant with its owner account; `codeId` is a checked code sent to the email. */
export function signUpMerchant(db: Db, data: SignUpMerchantData, codeId: string, token: TokenMaterial): Promise<SessionGrant> {
  return inTransaction(db, async (tx) => {
    await useCode(tx, codeId);
    // No code is ever sent to a registered address, so this is only a sign-up racing another.
    if (await emailTaken(tx, data.email)) throw badInput('emailCode', WRONG_CODE);
    const now = nowIso();
    const accountId = newId();
    const merchantId = newId();
    await tx
      .insert(accounts)
      .values({ id: accountId, kind: 'MERCHANT', email: data.email, passwordHash: data.passwordHash, displayName: data.displayName, createdAt: now });
    await tx.insert(merchants).values({ id: merchantId, name: data.merchantName, category: data.category, city: data.city, createdAt: now });
    await tx.insert(merchantStaff).values({ accountId, merchantId, role: 'OWNER', canViewContacts: true, createdAt: now });
    const sessionId = await openSession(tx, accountId, token);
    return { accountId, sessionId, tokenVersion: 0 };
  });
}

interface Login {
  accountId: string;
  passwordHash: string;
}
const LOGIN = { accountId: accounts.id, passwordHash: accounts.passwordHash };

/** The stored hash for a login (email), or null: the caller verifies the password outside any transaction. */
export async function findMerchantLogin(db: Db, email: string): Promise<Login | null> {
  const [row] = await db.select(LOGIN).from(accounts).where(and(eq(accounts.email, email), isNull(accounts.disabledAt)));
  return row ?? null;
}

/** A customer's login: the account the vault found for their phone. */
export async function findAccountLogin(db: Db, accountId: string | null): Promise<Login | null> {
  if (!accountId) return null;
  const [row] = await db.select(LOGIN).from(accounts).where(and(eq(accounts.id, accountId), isNull(accounts.disabledAt)));
  return row ?? null;
}

export function startSession(db: Db, accountId: string, token: TokenMaterial): Promise<SessionGrant> {
  return inTransaction(db, async (tx) => {
    const [account] = await tx
      .select({ tokenVersion: accounts.tokenVersion, disabledAt: accounts.disabledAt })
      .from(accounts)
      .where(eq(accounts.id, accountId));
    if (!account || account.disabledAt) throw unauthenticated('Wrong login or password.');
    const sessionId = await openSession(tx, accountId, token);
    return { accountId, sessionId, tokenVersion: account.tokenVersion };
  });
}

type RotateOutcome = { ok: SessionGrant } | { reused: true } | { invalid: true };

/**
 * Rotates a refresh token. A token that was already rotated is a stolen or replayed token: the
 * whole session (token family) is revoked, and the revocation is committed before the error.
 */
export async function rotateRefreshToken(db: Db, presentedHash: string, next: TokenMaterial): Promise<SessionGrant> {
  const outcome = await inTransaction(db, async (tx): Promise<RotateOutcome> => {
    const now = nowIso();
    const [row] = await tx
      .select({
        id: refreshTokens.id,
        accountId: refreshTokens.accountId,
        sessionId: refreshTokens.sessionId,
        expiresAt: refreshTokens.expiresAt,
        usedAt: refreshTokens.usedAt,
        sessionRevokedAt: sessions.revokedAt,
        tokenVersion: accounts.tokenVersion,
        disabledAt: accounts.disabledAt,
      })
      .from(refreshTokens)
      .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
      .innerJoin(accounts, eq(accounts.id, refreshTokens.accountId))
      .where(eq(refreshTokens.tokenHash, presentedHash));
    if (!row || row.sessionRevokedAt || row.disabledAt || row.expiresAt <= now) return { invalid: true };
    if (row.usedAt) {
      await tx.update(sessions).set({ revokedAt: now }).where(eq(sessions.id, row.sessionId));
      return { reused: true };
    }
    await tx.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.id, row.id));
    await insertRefreshToken(tx, row.accountId, row.sessionId, next, now);
    return { ok: { accountId: row.accountId, sessionId: row.sessionId, tokenVersion: row.tokenVersion } };
  });
  if ('ok' in outcome) return outcome.ok;
  if ('reused' in outcome) throw unauthenticated('This refresh token was already used; the session has been ended. Sign in again.');
  throw unauthenticated('The session has ended. Sign in again.');
}

/** Ends the session the refresh token belongs to. Unknown tokens are ignored (signing out is idempotent). */
export function signOut(db: Db, presentedHash: string): Promise<void> {
  return inTransaction(db, async (tx) => {
    const [row] = await tx.select({ sessionId: refreshTokens.sessionId }).from(refreshTokens).where(eq(refreshTokens.tokenHash, presentedHash));
    if (!row) return;
    await tx.update(sessions).set({ revokedAt: nowIso() }).where(and(eq(sessions.id, row.sessionId), isNull(sessions.revokedAt)));
  });
}

export interface AddStaffData {
  email: string;
  passwordHash: string;
  displayName: string;
  canViewContacts: boolean;
}

export function addStaff(db: Db, ownerAccountId: string, data: AddStaffData): Promise<{ accountId: string }> {
  return inTransaction(db, async (tx) => {
    const [owner] = await tx.select().from(merchantStaff).where(eq(merchantStaff.accountId, ownerAccountId));
    if (!owner || owner.role !== 'OWNER') throw forbidden('Only the merchant owner can add staff.');
    if (await emailTaken(tx, data.email)) throw conflict('An account with this email already exists.');
    const now = nowIso();
    const accountId = newId();
    await tx
      .insert(accounts)
      .values({ id: accountId, kind: 'MERCHANT', email: data.email, passwordHash: data.passwordHash, displayName: data.displayName, createdAt: now });
    await tx.insert(merchantStaff).values({ accountId, merchantId: owner.merchantId, role: 'STAFF', canViewContacts: data.canViewContacts, createdAt: now });
    return { accountId };
  });
}

/** The owner's staff member (not the owner), or FORBIDDEN/NOT_FOUND. */
async function ownStaff(tx: Tx, ownerAccountId: string, staffAccountId: string) {
  const [owner] = await tx.select().from(merchantStaff).where(eq(merchantStaff.accountId, ownerAccountId));
  if (!owner || owner.role !== 'OWNER') throw forbidden('Only the merchant owner can manage staff.');
  const [staff] = await tx.select().from(merchantStaff).where(eq(merchantStaff.accountId, staffAccountId));
  if (!staff || staff.merchantId !== owner.merchantId || staff.role !== 'STAFF') throw notFound('staff member');
  return staff;
}

/** Ends a staff member's access at once: the account is disabled and its sessions and tokens stop working. */
export function removeStaff(db: Db, ownerAccountId: string, staffAccountId: string): Promise<void> {
  return inTransaction(db, async (tx) => {
    await ownStaff(tx, ownerAccountId, staffAccountId);
    const now = nowIso();
    await tx.update(accounts).set({ disabledAt: now, tokenVersion: sql`${accounts.tokenVersion} + 1` }).where(eq(accounts.id, staffAccountId));
    await tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.accountId, staffAccountId), isNull(sessions.revokedAt)));
  });
}

/** A role change: tokens issued before it stop working, so the new permission applies from the next request. */
export function setStaffContactAccess(db: Db, ownerAccountId: string, staffAccountId: string, canViewContacts: boolean): Promise<void> {
  return inTransaction(db, async (tx) => {
    await ownStaff(tx, ownerAccountId, staffAccountId);
    await tx.update(merchantStaff).set({ canViewContacts }).where(eq(merchantStaff.accountId, staffAccountId));
    await tx.update(accounts).set({ tokenVersion: sql`${accounts.tokenVersion} + 1` }).where(eq(accounts.id, staffAccountId));
  });
}

export function publishPrivacyNotice(db: Db, merchantId: string, text: string) {
  return inTransaction(db, async (tx) => {
    const [latest] = await tx
      .select({ version: privacyNotices.version })
      .from(privacyNotices)
      .where(eq(privacyNotices.merchantId, merchantId))
      .orderBy(desc(privacyNotices.version))
      .limit(1);
    const row = { id: newId(), merchantId, version: (latest?.version ?? 0) + 1, text, publishedAt: nowIso() };
    await tx.insert(privacyNotices).values(row);
    return row;
  });
}

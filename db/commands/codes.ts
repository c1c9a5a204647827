// One-time codes that prove a person holds a phone or an email address: issued, checked (five
// tries), and used once, inside the transaction of the change the code allows.
import { randomInt, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, lte } from 'drizzle-orm';
import type { Db } from '../client.js';
import { affected } from '../dialect/kit.js';
import { conflict } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { verificationCodes, type CodePurpose } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import type { Vault } from '../vault.js';

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;

export interface CodeTarget {
  purpose: CodePurpose;
  /** What the code unlocks (customer record, account, or the email's blind index). */
  subject: string;
  /** Blind index of the phone or email the code goes to. */
  targetIndex: string;
}

/** The code a merchant sign-up needs: proof of the email address (named by its blind index). */
export function signUpCodeTarget(vault: Vault, email: string): CodeTarget {
  const index = vault.keyedHash(email, 'email');
  return { purpose: 'SIGN_UP', subject: index, targetIndex: index };
}

/** The code a customer's change of phone needs: sent to the new phone. */
export const changePhoneCodeTarget = (vault: Vault, accountId: string, phone: string): CodeTarget => ({
  purpose: 'CHANGE_PHONE',
  subject: accountId,
  targetIndex: vault.phoneIndex(phone),
});

const hashOf = (vault: Vault, codeId: string, code: string) => vault.keyedHash(code, `code:${codeId}`);

/** A new six-digit code for the target; earlier unused ones for the same subject stop working. */
export async function issueCode(db: Db, vault: Vault, target: CodeTarget, now = new Date()): Promise<{ id: string; code: string; expiresAt: string }> {
  const code = String(randomInt(1_000_000)).padStart(6, '0');
  const id = newId();
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS).toISOString();
  await inTransaction(db, async (tx) => {
    await tx
      .update(verificationCodes)
      .set({ usedAt: now.toISOString() })
      .where(and(eq(verificationCodes.purpose, target.purpose), eq(verificationCodes.subject, target.subject), isNull(verificationCodes.usedAt)));
    await tx.insert(verificationCodes).values({ id, ...target, codeHash: hashOf(vault, id, code), expiresAt, createdAt: now.toISOString() });
  });
  return { id, code, expiresAt };
}

/**
 * Checks a code against the newest live one for the target. A wrong code uses up one of its five
 * tries (committed, whatever the caller does next). Returns the code's id to use it, or null.
 */
export function checkCode(db: Db, vault: Vault, target: CodeTarget, code: string): Promise<string | null> {
  return inTransaction(db, async (tx) => {
    const [row] = await tx
      .select()
      .from(verificationCodes)
      .where(
        and(
          eq(verificationCodes.purpose, target.purpose),
          eq(verificationCodes.subject, target.subject),
          isNull(verificationCodes.usedAt),
          gt(verificationCodes.expiresAt, nowIso()),
        ),
      )
      .orderBy(desc(verificationCodes.createdAt))
      .limit(1);
    if (!row || row.targetIndex !== target.targetIndex || row.attempts >= CODE_MAX_ATTEMPTS) return null;
    const expected = Buffer.from(row.codeHash);
    const given = Buffer.from(hashOf(vault, row.id, code.trim()));
    if (expected.length === given.length && timingSafeEqual(expected, given)) return row.id;
    await tx.update(verificationCodes).set({ attempts: row.attempts + 1 }).where(eq(verificationCodes.id, row.id));
    return null;
  });
}

/** Inside the change's transaction: a checked code works once (a racing second use is a CONFLICT). */
export async function useCode(tx: Tx, codeId: string): Promise<void> {
  const used = await tx
    .update(verificationCodes)
    .set({ usedAt: nowIso() })
    .where(and(eq(verificationCodes.id, codeId), isNull(verificationCodes.usedAt), gt(verificationCodes.expiresAt, nowIso())));
  if (affected(used) !== 1) throw conflict('This code was already used or has expired. Ask for a new one.');
}

/** Clean-up job: codes past their expiry prove nothing any more. Idempotent. */
export function deleteExpiredCodes(db: Db, now = new Date()): Promise<number> {
  return inTransaction(db, async (tx) => affected(await tx.delete(verificationCodes).where(lte(verificationCodes.expiresAt, now.toISOString()))));
}

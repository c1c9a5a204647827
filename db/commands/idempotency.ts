// Idempotency keys: the first result of a mutation is kept 24 hours under the caller's key.
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '../client.js';
import { affected } from '../dialect/kit.js';
import { AppError, conflict } from '../errors.js';
import { nowIso } from '../ids.js';
import { idempotencyKeys } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';

export const KEEP_HOURS = 24;

export type Claim = { kind: 'new' } | { kind: 'replay'; response: string };

/**
 * Claims a key for a request. The same key with the same request replays the stored result; with
 * another request, or while the first is still running, it is a CONFLICT. A claim older than
 * `leaseMs` whose work never committed belonged to a process that died: the retry takes it over.
 * One whose work committed but whose answer was lost with its process cannot be replayed, and is
 * never run twice: the caller is told to read the current state.
 */
export function claimKey(db: Db, accountId: string, key: string, requestHash: string, leaseMs: number): Promise<Claim> {
  return inTransaction(db, async (tx): Promise<Claim> => {
    const now = Date.now();
    const cutoff = new Date(now - KEEP_HOURS * 3_600_000).toISOString();
    const where = and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key));
    const [existing] = await tx.select().from(idempotencyKeys).where(where);
    if (existing && existing.createdAt > cutoff) {
      if (existing.requestHash !== requestHash) throw conflict('This Idempotency-Key was already used for a different request.');
      if (existing.response !== null) return { kind: 'replay', response: existing.response };
      if (existing.committedAt !== null) throw conflict('This request was carried out, but its answer was lost. Read the current state instead of repeating it.');
      const leaseEnds = Date.parse(existing.createdAt) + leaseMs;
      if (leaseEnds > now) {
        // By the lease's end the first request has answered (a retry replays it) or its process died (a retry runs it).
        throw new AppError('CONFLICT', 'A request with this Idempotency-Key is still being processed.', { retryAfter: Math.ceil((leaseEnds - now) / 1000) });
      }
    }
    if (existing) await tx.delete(idempotencyKeys).where(where);
    await tx.insert(idempotencyKeys).values({ accountId, key, requestHash, createdAt: new Date(now).toISOString() });
    return { kind: 'new' };
  });
}

/** Marks a claimed key's work as committed, inside that work's own transaction. */
export async function markKeyCommitted(tx: Tx, accountId: string, key: string): Promise<void> {
  await tx.update(idempotencyKeys).set({ committedAt: nowIso() }).where(and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key)));
}

/**
 * Keeps a successful result; a failed request releases its key so it can be retried, unless its
 * work committed all the same (the connection dropped during COMMIT): a retry must not do it twice.
 */
export function settleKey(db: Db, accountId: string, key: string, response: string | null): Promise<void> {
  return inTransaction(db, async (tx) => {
    const where = and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key));
    if (response === null) await tx.delete(idempotencyKeys).where(and(where, isNull(idempotencyKeys.committedAt)));
    else await tx.update(idempotencyKeys).set({ response }).where(where);
  });
}

/** Clean-up job: keys older than the keeping time. */
export function purgeExpiredKeys(db: Db): Promise<number> {
  const cutoff = new Date(Date.now() - KEEP_HOURS * 3_600_000).toISOString();
  return inTransaction(db, async (tx) => affected(await tx.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff))));
}

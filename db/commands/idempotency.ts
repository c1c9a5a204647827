// Idempotency keys: the first result of a mutation is kept 24 hours under the caller's key.
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conflict } from '../errors.js';
import { nowIso } from '../ids.js';
import { idempotencyKeys } from '../tables/index.js';
import { inTransaction } from '../tx.js';

export const KEEP_HOURS = 24;

export type Claim = { kind: 'new' } | { kind: 'replay'; response: string };

/**
 * Claims a key for a request. The same key with the same request replays the stored result; with
 * another request, or while the first is still running, it is a CONFLICT.
 */
export function claimKey(db: Db, accountId: string, key: string, requestHash: string): Claim {
  return inTransaction(db, (tx) => {
    const cutoff = new Date(Date.now() - KEEP_HOURS * 3_600_000).toISOString();
    const existing = tx.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key))).get();
    if (existing && existing.createdAt > cutoff) {
      if (existing.requestHash !== requestHash) throw conflict('This Idempotency-Key was already used for a different request.');
      if (existing.response === null) throw conflict('A request with this Idempotency-Key is still being processed.');
      return { kind: 'replay', response: existing.response };
    }
    if (existing) tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key))).run();
    tx.insert(idempotencyKeys).values({ accountId, key, requestHash, createdAt: nowIso() }).run();
    return { kind: 'new' };
  });
}

/** Keeps a successful result; a failed request releases its key so it can be retried. */
export function settleKey(db: Db, accountId: string, key: string, response: string | null): void {
  inTransaction(db, (tx) => {
    const where = and(eq(idempotencyKeys.accountId, accountId), eq(idempotencyKeys.key, key));
    if (response === null) tx.delete(idempotencyKeys).where(where).run();
    else tx.update(idempotencyKeys).set({ response }).where(where).run();
  });
}

/** Clean-up job: keys older than the keeping time. */
export function purgeExpiredKeys(db: Db): number {
  const cutoff = new Date(Date.now() - KEEP_HOURS * 3_600_000).toISOString();
  return inTransaction(db, (tx) => tx.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff)).run().changes);
}

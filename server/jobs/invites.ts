// Invite clean-up: an unused invite past its expiry can never be claimed, so its sealed code goes.
import { and, isNull, lte } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { customerInvites } from '../../db/tables/index.js';
import { inTransaction } from '../../db/tx.js';
import { every, type Job } from './expiry.js';

/** Idempotent: deletes what is already dead; returns how many went. */
export function deleteExpiredInvites(db: Db, now = new Date()): number {
  return inTransaction(db, (tx) =>
    tx.delete(customerInvites).where(and(isNull(customerInvites.usedAt), lte(customerInvites.expiresAt, now.toISOString()))).run().changes,
  );
}

export function startInviteCleanup(db: Db, logger: Logger, everyMs = 3_600_000): Job {
  return every(
    everyMs,
    () => {
      const deleted = deleteExpiredInvites(db);
      if (deleted > 0) logger.info({ deleted }, 'deleted expired invites');
    },
    logger,
    'invite-cleanup',
  );
}

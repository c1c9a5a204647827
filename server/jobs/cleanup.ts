// Clean-up of what can never be used again: expired invites and one-time codes, idempotency keys past 24 hours.
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { deleteExpiredCodes } from '../../db/commands/codes.js';
import { deleteExpiredInvites } from '../../db/commands/customers.js';
import { purgeExpiredKeys } from '../../db/commands/idempotency.js';
import { every, type Job } from './expiry.js';

export function startCleanup(db: Db, logger: Logger, everyMs = 3_600_000): Job {
  return every(
    everyMs,
    async () => {
      const invites = await deleteExpiredInvites(db);
      const keys = await purgeExpiredKeys(db);
      const codes = await deleteExpiredCodes(db);
      if (invites + keys + codes > 0) logger.info({ invites, keys, codes }, 'cleaned up expired invites, codes and idempotency keys');
    },
    logger,
    'cleanup',
  );
}

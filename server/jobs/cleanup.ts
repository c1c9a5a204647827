// Clean-up of what can never be used again: expired invites and idempotency keys past 24 hours.
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { deleteExpiredInvites } from '../../db/commands/customers.js';
import { purgeExpiredKeys } from '../../db/commands/idempotency.js';
import { every, type Job } from './expiry.js';

export function startCleanup(db: Db, logger: Logger, everyMs = 3_600_000): Job {
  return every(
    everyMs,
    () => {
      const invites = deleteExpiredInvites(db);
      const keys = purgeExpiredKeys(db);
      if (invites + keys > 0) logger.info({ invites, keys }, 'cleaned up expired invites and idempotency keys');
    },
    logger,
    'cleanup',
  );
}

// Background sweeps in the server process: pending referrals past their expiry become EXPIRED.
// Reads also apply the rule, so a late sweep never shows a stale status; the sweep makes it durable.
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { expirePendingReferrals } from '../../db/commands/referrals.js';

export interface Job {
  stop(): void;
}

/** Runs `work` every `everyMs` (±20% jitter so several processes do not sweep in lockstep). */
export function every(everyMs: number, work: () => void, logger: Logger, name: string): Job {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(run, everyMs * (0.8 + Math.random() * 0.4));
    timer.unref();
  };
  const run = () => {
    try {
      work();
    } catch (err) {
      logger.error({ err, job: name }, 'job failed');
    }
    schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

export function startExpirySweep(db: Db, logger: Logger, everyMs = 60_000): Job {
  return every(
    everyMs,
    () => {
      const n = expirePendingReferrals(db);
      if (n > 0) logger.info({ expired: n }, 'expired pending referral requests');
    },
    logger,
    'referral-expiry',
  );
}

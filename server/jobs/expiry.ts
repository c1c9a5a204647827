// Background sweeps in the server process: pending referrals past their expiry become EXPIRED, and
// grants whose retention ran out are announced. Reads also apply both rules, so a late sweep never
// shows a stale status or an expired contact; the sweep makes them durable and tells the parties.
import { setImmediate } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { announceEndedGrants, SWEEP_BATCH } from '../../db/commands/outbox.js';
import { expirePendingReferrals } from '../../db/commands/referrals.js';

export interface Job {
  /** Cancels the next run and resolves once a run in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `work` every `everyMs` (±20% jitter so several processes do not sweep in lockstep). The
 * next run is scheduled when the previous one has finished, so runs never overlap.
 */
export function every(everyMs: number, work: () => unknown, logger: Logger, name: string): Job {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(run, everyMs * (0.8 + Math.random() * 0.4));
    timer.unref();
  };
  const run = () => {
    running = (async () => {
      try {
        await work();
      } catch (err) {
        logger.error({ err, job: name }, 'job failed');
      }
    })().then(schedule);
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      return running;
    },
  };
}

/**
 * Calls `batch` (one transaction each) with `limit` until it handles fewer than that, yielding to
 * the event loop between calls so requests are served while a backlog is worked off. Returns how
 * many rows it handled.
 */
export async function drain(batch: (limit: number) => Promise<number>, limit = SWEEP_BATCH): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await batch(limit);
    total += handled;
    if (handled < limit) return total;
    await setImmediate();
  }
}

/** One run of the expiry sweep (the job's timer calls it; tests call it directly). */
export async function sweepExpired(db: Db, now = new Date()) {
  const expired = await drain((limit) => expirePendingReferrals(db, now.toISOString(), limit));
  const endedGrants = await drain((limit) => announceEndedGrants(db, now, limit));
  return { expired, endedGrants };
}

export function startExpirySweep(db: Db, logger: Logger, everyMs = 60_000): Job {
  return every(
    everyMs,
    async () => {
      const { expired, endedGrants } = await sweepExpired(db);
      if (expired > 0 || endedGrants > 0) logger.info({ expired, endedGrants }, 'expired pending referral requests and ended grants');
    },
    logger,
    'referral-expiry',
  );
}

// The notification worker: fans new outbox events out (stored notifications), publishes them to
// live subscribers once Redis takes them, then sends due gateway messages with retries, exponential backoff and jitter, and a dead letter
// after the last attempt. Timers live in server/jobs; tests call deliverDue(now) directly.
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { claimDueDeliveries, dispatchEvents, publishEvents, recordDelivered, recordFailed, type DueDelivery } from '../../db/commands/outbox.js';
import type { Config } from '../settings.js';
import type { ReferralPubSub } from './pubsub.js';
import { quietHours } from './quiet-hours.js';
import type { ChannelAdapter } from './webhook.js';

export interface DeliveryReport {
  dispatched: number;
  /** Events handed to live subscribers (after an outage of Redis, also those it held back). */
  published: number;
  delivered: number;
  retried: number;
  dead: number;
}

export interface Notifier {
  deliverDue(now?: Date): Promise<DeliveryReport>;
}

export interface NotifierOptions {
  db: Db;
  config: Config;
  pubsub: ReferralPubSub;
  logger: Logger;
  /** The gateway for SMS, WeChat and email; without one only in-app notifications exist. */
  adapter: ChannelAdapter | null;
  /** In [0, 1): the jitter source (tests pin it). */
  random?: () => number;
}

/** The wait before attempt n+1 after n failed ones: base·2^(n-1), capped, scaled by [0.5, 1) for jitter. */
export const retryDelay = (failedAttempts: number, baseMs: number, maxMs: number, random: () => number) =>
  Math.min(maxMs, baseMs * 2 ** (failedAttempts - 1)) * (0.5 + random() / 2);

const describe = (err: unknown) => {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return `${e.message ?? String(err)}${cause ? ` (${cause})` : ''}`;
};

export function createNotifier({ db, config, pubsub, logger, adapter, random = Math.random }: NotifierOptions): Notifier {
  const served = ['IN_APP' as const, ...(adapter?.channels ?? [])];
  const quiet = quietHours(config.NOTIFY_QUIET_HOURS, config.NOTIFY_TIME_ZONE);
  // Long enough for one attempt to finish: an attempt whose outcome was never recorded is retried after it.
  const leaseMs = config.NOTIFY_WEBHOOK_TIMEOUT_MS * 3;

  async function attempt(message: DueDelivery, now: Date): Promise<'delivered' | 'retried' | 'dead'> {
    try {
      await adapter!.send(message);
      await recordDelivered(db, message.id, now);
      return 'delivered';
    } catch (err) {
      const failed = message.attempts + 1;
      const retryAt =
        failed >= config.NOTIFY_MAX_ATTEMPTS ? null : new Date(now.getTime() + retryDelay(failed, config.NOTIFY_RETRY_BASE_MS, config.NOTIFY_RETRY_MAX_MS, random));
      const error = describe(err);
      await recordFailed(db, message.id, error, retryAt);
      logger.warn({ notification: message.id, channel: message.channel, attempt: failed, error, retryAt }, retryAt ? 'notification failed, will retry' : 'notification dead-lettered');
      return retryAt ? 'retried' : 'dead';
    }
  }

  // One warning per outage of Redis, not one per poll.
  let held = false;
  return {
    async deliverDue(now = new Date()) {
      const events = await dispatchEvents(db, now, served);
      // After the fan-out committed: a subscriber that reads the request sees the change.
      const { published, refused } = await publishEvents(db, now, (event) => pubsub.publish(event));
      if (refused && !held) logger.warn({ error: describe(refused) }, 'live updates held in the outbox until Redis takes them');
      if (!refused && held) logger.info({ published }, 'live updates held in the outbox published');
      held = Boolean(refused);
      const due = adapter ? await claimDueDeliveries(db, now, { leaseMs, urgentOnly: quiet.isQuiet(now) }) : [];
      const outcomes = await Promise.all(due.map((m) => attempt(m, now)));
      const count = (o: string) => outcomes.filter((x) => x === o).length;
      return { dispatched: events.length, published, delivered: count('delivered'), retried: count('retried'), dead: count('dead') };
    },
  };
}

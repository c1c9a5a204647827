// The notification worker on a timer: new outbox events go out within about NOTIFY_POLL_MS.
import type { Logger } from 'pino';
import type { Notifier } from '../../services/notify/worker.js';
import { every, type Job } from './expiry.js';

export function startNotificationWorker(notifier: Notifier, logger: Logger, everyMs: number): Job {
  return every(
    everyMs,
    async () => {
      const report = await notifier.deliverDue();
      if (report.delivered + report.retried + report.dead > 0) logger.info(report, 'notifications sent');
    },
    logger,
    'notifications',
  );
}

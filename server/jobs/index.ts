// Every background job of the server process, started and stopped together.
import type { AppDeps } from '../../services/context.js';
import { startExpirySweep, type Job } from './expiry.js';
import { startCleanup } from './cleanup.js';
import { startNotificationWorker } from './notifications.js';

export function startJobs(deps: AppDeps): Job {
  const jobs = [
    startExpirySweep(deps.db, deps.logger),
    startNotificationWorker(deps.notifier, deps.logger, deps.config.NOTIFY_POLL_MS),
    startCleanup(deps.db, deps.logger),
  ];
  return { stop: () => Promise.all(jobs.map((j) => j.stop())).then(() => undefined) };
}

// `npm run worker`: the background jobs (expiry sweeps, notification delivery, clean-up) without
// an HTTP server, for a deployment whose server processes run with RUN_JOBS=no. Live updates it
// publishes reach the servers' subscribers through Redis (REDIS_URL).
import { closeDb } from '../db/client.js';
import { loadConfig } from './config.js';
import { createDeps } from './deps.js';
import { startJobs } from './jobs/index.js';
import { failStart, holdSqlite, stopOnSignals } from './lifecycle.js';

async function main() {
  const config = loadConfig();
  holdSqlite(config, 'worker');
  const deps = await createDeps(config);
  if (!config.REDIS_URL) deps.logger.warn('REDIS_URL is not set: live updates from this worker reach no server process');
  const jobs = startJobs(deps);
  deps.logger.info('worker running');
  // The jobs' timers keep no process alive (a server's listening socket does): the worker runs until stopped.
  const running = setInterval(() => undefined, 2 ** 30);
  stopOnSignals(deps.logger, async () => {
    clearInterval(running);
    await jobs.stop();
    await closeDb(deps.db);
    await deps.closeRedis();
  });
}

main().catch((err) => failStart('the worker could not start', err));

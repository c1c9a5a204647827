// `npm run worker`: the background jobs (expiry sweeps, notification delivery, clean-up) without
// an HTTP server, for a deployment whose server processes run with RUN_JOBS=no. Live updates it
// publishes reach the servers' subscribers through Redis (REDIS_URL).
import { closeDb } from '../db/client.js';
import { ConfigError, loadConfig } from './config.js';
import { createDeps } from './deps.js';
import { startJobs } from './jobs/index.js';

async function main() {
  const config = loadConfig();
  const deps = await createDeps(config);
  if (!config.REDIS_URL) deps.logger.warn('REDIS_URL is not set: live updates from this worker reach no server process');
  const jobs = startJobs(deps);
  deps.logger.info('worker running');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, 'worker stopping');
    void jobs
      .stop()
      .then(() => closeDb(deps.db))
      .then(() => deps.closeRedis())
      .then(() => process.exit(0));
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});

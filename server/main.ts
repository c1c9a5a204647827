// Starts the platform: configuration, database (migrated), demo data on first run, HTTP server.
import { createServer } from 'node:http';
import { closeDb } from '../db/client.js';
import { seedDemo } from '../db/seed.js';
import { createApp } from './app.js';
import { startJobs } from './jobs/index.js';
import { ConfigError, loadConfig } from './config.js';
import { createDeps } from './deps.js';

async function main() {
  const config = loadConfig();
  const deps = await createDeps(config);
  if (config.SEED_DEMO === 'auto') {
    const logins = await seedDemo(deps.db, deps.vault);
    if (logins) {
      console.log('\nDemo data created. Sign in with:');
      for (const l of logins) console.log(`  ${l.role.padEnd(22)} ${l.login.padEnd(28)} password: ${l.password}`);
      console.log('');
    }
  }
  const jobs = config.RUN_JOBS === 'yes' ? startJobs(deps) : { stop: async () => undefined };
  const server = createServer(createApp(deps));
  server.listen(config.PORT, config.HOST, () => {
    const url = `http://localhost:${config.PORT}`;
    deps.logger.info({ url }, 'listening');
    console.log(`Alliance referral platform on ${url} (GraphQL at ${url}/graphql)`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, 'shutting down');
    // Stop accepting, let requests and job runs in flight finish, then close the database and Redis.
    const jobsStopped = jobs.stop();
    // Open subscriptions end, so their streaming responses complete and the server can close.
    deps.pubsub.close();
    server.close(() => {
      void jobsStopped
        .then(() => closeDb(deps.db))
        .then(() => deps.closeRedis())
        .then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(1);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});

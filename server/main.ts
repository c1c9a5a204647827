// Starts the platform: configuration, database (migrated), demo data on first run, HTTP server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeDb } from '../db/client.js';
import { seedDemo } from '../services/seed.js';
import { createApp } from './app.js';
import { startJobs } from './jobs/index.js';
import { loadConfig } from './config.js';
import { createDeps } from './deps.js';
import { failStart, holdSqlite, stopOnSignals } from './lifecycle.js';

async function main() {
  const config = loadConfig();
  holdSqlite(config, 'server');
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
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.PORT, config.HOST, resolve));
  // The address really bound (PORT=0 picks a free port).
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  deps.logger.info({ url }, 'listening');
  console.log(`Alliance referral platform on ${url} (GraphQL at ${url}/graphql)`);

  stopOnSignals(deps.logger, async () => {
    // Stop accepting, let requests and job runs in flight finish, then close the database and Redis.
    const jobsStopped = jobs.stop();
    // Open subscriptions end, so their streaming responses complete and the server can close.
    deps.pubsub.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await jobsStopped;
    await closeDb(deps.db);
    await deps.closeRedis();
  });
}

main().catch((err) => failStart('the server could not start', err));

// `npm run migrate`: applies the committed migrations of the configured database and exits. On
// PostgreSQL run it once before starting the server processes (they also migrate at start, under
// the same lock, so a forgotten run only costs the first process's start-up).
import { closeDb, openDatabase } from '../../db/client.js';
import { ConfigError, loadConfig } from '../config.js';

try {
  const config = loadConfig();
  const db = await openDatabase(config);
  await closeDb(db);
  console.log(`migrated ${config.DATABASE_URL ? 'PostgreSQL' : config.DATABASE_PATH}`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

// `npm run migrate`: applies the committed migrations of the configured database and exits. On
// PostgreSQL run it once before starting the server processes (they also migrate at start, under
// the same lock, so a forgotten run only costs the first process's start-up).
import { closeDb, openDatabase } from '../../db/client.js';
import { loadConfig } from '../config.js';
import { failStart, holdSqlite } from '../lifecycle.js';

try {
  const config = loadConfig();
  holdSqlite(config, 'migration');
  const db = await openDatabase(config);
  await closeDb(db);
  console.log(`migrated ${config.DATABASE_URL ? 'PostgreSQL' : config.DATABASE_PATH}`);
} catch (error) {
  failStart('migration failed', error);
}

// npm run backup -- <file>   (while the server runs)
// npm run restore -- <file>  (refused while a server, worker or migration holds the database)
import { backupDatabase, restoreDatabase } from '../../db/backup.js';
import { loadConfig } from '../config.js';

const [command, file] = process.argv.slice(2);
if (!file || (command !== 'backup' && command !== 'restore')) {
  console.error('usage: npm run backup -- <file> | npm run restore -- <file>');
  process.exit(2);
}
try {
  const { DATABASE_PATH } = loadConfig();
  if (command === 'backup') {
    await backupDatabase(DATABASE_PATH, file);
    console.log(`backed up ${DATABASE_PATH} to ${file} (integrity ok)`);
  } else {
    await restoreDatabase(file, DATABASE_PATH);
    console.log(`restored ${DATABASE_PATH} from ${file} (integrity and schema ok)`);
  }
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

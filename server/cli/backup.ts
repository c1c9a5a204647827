// npm run backup -- <file>   (while the server runs)
// npm run restore -- <file>  (with the server stopped)
import { backupDatabase, restoreDatabase } from '../../db/backup.js';
import { loadConfig } from '../config.js';

const [command, file] = process.argv.slice(2);
const { DATABASE_PATH } = loadConfig();
if (!file || (command !== 'backup' && command !== 'restore')) {
  console.error('usage: npm run backup -- <file> | npm run restore -- <file>');
  process.exit(2);
}
try {
  if (command === 'backup') {
    await backupDatabase(DATABASE_PATH, file);
    console.log(`backed up ${DATABASE_PATH} to ${file} (integrity ok)`);
  } else {
    restoreDatabase(file, DATABASE_PATH);
    console.log(`restored ${DATABASE_PATH} from ${file}`);
  }
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}

// How every process (server, worker, the npm run scripts) starts and stops: a start-up failure is
// one line without a stack; SIGTERM or SIGINT stops within SHUTDOWN_LIMIT_MS, and a second signal
// ends the process at once.
import type { Logger } from 'pino';
import { holdDatabase } from '../db/backup.js';
import type { Config } from './config.js';
import { drainLogs } from './log-stream.js';

/** How long a graceful stop may take before the process exits anyway (deploy/*.service allow more). */
export const SHUTDOWN_LIMIT_MS = 10_000;

/** On SQLite, holds the file for this process's lifetime, so that `npm run restore` is refused meanwhile. */
export function holdSqlite(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_PATH'>, role: string): void {
  if (!config.DATABASE_URL) holdDatabase(config.DATABASE_PATH, role);
}

/** The one line an operator reads when a process cannot start (bad configuration, unreachable database, missing keys). */
export function failStart(what: string, err: unknown): never {
  console.error(`${what}: ${errorLine(err)}`);
  process.exit(1);
}

function errorLine(err: unknown): string {
  const e = err as Partial<AggregateError & NodeJS.ErrnoException>;
  // A refused connection to a host with several addresses is an AggregateError without a message.
  const text = e?.message || e?.errors?.[0]?.message || e?.code || String(err);
  return text.replace(/\s*\n\s*/g, '; ');
}

/**
 * Stops gracefully on SIGTERM or SIGINT: `stop` lets work in flight finish and closes connections,
 * the log lines still buffered get a moment to reach their sink, then the process exits. A stop that
 * takes longer than the limit, and a second signal, end the process at once.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Unref'd: it never keeps a stopped process alive, only ends one still stopping at the limit.
    setTimeout(() => {
      logger.error({ limitMs: SHUTDOWN_LIMIT_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    stop()
      .then(() => drainLogs(1_000))
      .then(
        () => process.exit(0),
        (err: Error) => {
          logger.error({ error: err.message }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

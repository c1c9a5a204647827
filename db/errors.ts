// Expected failures of domain rules. The API turns them into GraphQL errors with
// `extensions.code`; their messages are written for the user and never carry SQL or personal data.
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'CONSENT_REFUSED'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const unauthenticated = (message = 'Sign in first.') => new AppError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You may not do this.') => new AppError('FORBIDDEN', message);
export const notFound = (what = 'object') => new AppError('NOT_FOUND', `No such ${what}.`);
export const conflict = (message: string) => new AppError('CONFLICT', message);
export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', message, { field });

/** Seconds a client waits before trying again when the database is unreachable (a restart or failover takes about this long). */
export const UNAVAILABLE_RETRY_AFTER = 5;

export const unavailable = () =>
  new AppError('SERVICE_UNAVAILABLE', 'The service is briefly unavailable. Please try again in a few seconds.', { retryAfter: UNAVAILABLE_RETRY_AFTER });

// PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, and class 08 (connection exception).
const LOST_SQLSTATE = /^(?:57P01|57P02|57P03|08[0-9A-Z]{3})$/;
// Node's socket errors, and SQLite's "the file is locked past busy_timeout" or "the disk failed".
const LOST_CODE = /^(?:ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|SQLITE_BUSY|SQLITE_IOERR)/;
// node-postgres' own errors carry no code: a socket closed mid-query, a client already broken.
const LOST_MESSAGE = /^(?:Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect)/;

/**
 * Whether `error` says the database could not be reached or dropped the connection (rather than
 * refusing a statement): such a failure passes, and the client may try again. Drizzle wraps the
 * driver's error as `cause`; a refused connection to several addresses is an AggregateError.
 */
export function isConnectionError(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (LOST_SQLSTATE.test(code) || LOST_CODE.test(code)) return true;
    if (typeof e.message === 'string' && LOST_MESSAGE.test(e.message)) return true;
    if (Array.isArray(e.errors) && e.errors.some(isConnectionError)) return true;
  }
  return false;
}

// Expected failures of domain rules. The API turns them into GraphQL errors with
// `extensions.code`; their messages are written for the user and never carry SQL or personal data.
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'CONSENT_REFUSED'
  | 'RATE_LIMITED';

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

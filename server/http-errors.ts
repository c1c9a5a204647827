// Errors of the REST routes beside /graphql (uploads, share links and posters), answered in
// GraphQL's shape: { errors: [{ message, extensions: { code } }] }, with the matching HTTP status.
import type { Response } from 'express';
import { AppError } from '../db/errors.js';
import type { AppDeps } from './context.js';

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, RATE_LIMITED: 429 };

const coded = (e: unknown): e is Error & { extensions: { code: string; [k: string]: unknown } } =>
  e instanceof Error && typeof (e as { extensions?: { code?: unknown } }).extensions?.code === 'string';

/** A coded error as its status and message (Retry-After for a limit); anything else logged and masked. */
export function answerError(deps: AppDeps, res: Response, error: unknown, status?: number) {
  if (!coded(error) && !(error instanceof AppError)) {
    deps.logger.error({ err: error, path: res.req.path }, 'unexpected error');
    return res.status(500).json({ errors: [{ message: 'Something went wrong on our side. Please try again.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  }
  const extensions: Record<string, unknown> & { code: string } = error instanceof AppError ? { ...error.extensions, code: error.code } : { code: error.extensions.code };
  if (typeof extensions.retryAfter === 'number') res.set('Retry-After', String(extensions.retryAfter));
  return res.status(status ?? STATUS[extensions.code] ?? 400).json({ errors: [{ message: error.message, extensions }] });
}

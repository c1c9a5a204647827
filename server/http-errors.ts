// The one error mask: every error that reaches a client, from GraphQL (Yoga's maskedErrors and the
// plugins that answer before execution) and from the REST routes beside it (uploads, share links
// and posters), goes through maskError. A domain error keeps its code and message, a coded
// GraphQLError of our own validation is kept as it is, a lost database connection is
// SERVICE_UNAVAILABLE, and anything else is INTERNAL_SERVER_ERROR: its detail (SQL, a host, a
// port, the driver's text) goes to the server's log only.
import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { AppError, isConnectionError, unavailable } from '../db/errors.js';
import type { AppDeps } from '../services/context.js';

// Duck-typed: graphql's CommonJS and ES builds both load here, so instanceof is unreliable.
const isGraphQLError = (e: unknown): e is GraphQLError => e instanceof Error && e.name === 'GraphQLError';

/** The HTTP status and headers an answer carrying this error gets (Yoga reads `extensions.http`). */
function httpOf(extensions: Record<string, unknown>) {
  if (extensions.code !== 'SERVICE_UNAVAILABLE') return {};
  return { http: { status: 503, headers: { 'Retry-After': String(extensions.retryAfter) } } };
}

/** Turns domain errors into coded GraphQL errors and masks everything unexpected. */
export function maskError(logger: Logger) {
  return (error: unknown): GraphQLError => {
    const located = isGraphQLError(error) ? error : undefined;
    const original = located?.originalError ?? error;
    const at = { nodes: located?.nodes, path: located?.path };
    const coded = (e: AppError) => {
      const extensions = { ...e.extensions, code: e.code };
      return new GraphQLError(e.message, { ...at, extensions: { ...extensions, ...httpOf(extensions) } });
    };
    if (original instanceof AppError) return coded(original);
    if (isGraphQLError(original) && typeof original.extensions?.code === 'string') {
      return new GraphQLError(original.message, { ...at, extensions: original.extensions });
    }
    // graphql-js's own errors (variables that do not coerce to their input type) carry no code.
    if (isGraphQLError(original)) {
      return new GraphQLError(original.message, { ...at, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
    }
    if (isConnectionError(original)) {
      logger.warn({ err: original, path: located?.path }, 'database unreachable');
      return coded(unavailable());
    }
    logger.error({ err: original, path: located?.path }, 'unexpected error');
    return new GraphQLError('Something went wrong on our side. Please try again.', {
      ...at,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, RATE_LIMITED: 429, INTERNAL_SERVER_ERROR: 500 };

/**
 * An error of a REST route, masked as GraphQL's are and answered in GraphQL's shape
 * ({ errors: [{ message, extensions: { code } }] }) with the matching HTTP status (Retry-After
 * when the error says when to try again).
 */
export function answerError(deps: AppDeps, res: Response, error: unknown, status?: number) {
  const masked = maskError(deps.logger.child({ route: res.req.path }))(error);
  const { http, ...extensions } = masked.extensions as { code: string; http?: { status: number }; retryAfter?: unknown };
  if (typeof extensions.retryAfter === 'number') res.set('Retry-After', String(extensions.retryAfter));
  return res.status(status ?? http?.status ?? STATUS[extensions.code] ?? 400).json({ errors: [{ message: masked.message, extensions }] });
}

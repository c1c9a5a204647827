// HTTP-level protections in front of /graphql and the web app: security headers, body size,
// content types, and CSRF protection for GET.
import express, { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { Config } from './config.js';

const problem = (res: Response, status: number, message: string) => res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });

/** Headers for every response; the strict content policy is added for the web app only (GraphiQL loads its own scripts in development). */
export const securityHeaders = (): RequestHandler => helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });

export const webContentSecurityPolicy = (): RequestHandler =>
  helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      // blob: for the local preview of a poster being uploaded (web/src/ui/PosterUpload.tsx).
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });

/**
 * POST bodies must be JSON with a declared length of at most BODY_LIMIT_BYTES (413 before any
 * parsing); a GET must carry
 * a header a plain HTML form or <img> cannot send, so another site cannot make a browser run a
 * query with the user's cookies or credentials.
 */
export function graphqlHttpGuards(config: Config): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'POST') {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') return problem(res, 415, 'Send GraphQL requests as application/json.');
      // A declared length lets us refuse before reading a byte; chunked bodies have none to check.
      const declared = req.headers['content-length'];
      if (declared === undefined) return problem(res, 411, 'Send the request with a Content-Length.');
      if (Number(declared) > config.BODY_LIMIT_BYTES) return problem(res, 413, 'The request body is too large.');
    } else if (req.method === 'GET' && !config.isProduction && (req.headers.accept ?? '').includes('text/html')) {
      // GraphiQL in development.
    } else if (req.method === 'GET' && !req.headers['graphql-require-preflight'] && !req.headers['x-graphql-csrf']) {
      return problem(res, 400, 'GET requests must carry the GraphQL-Require-Preflight header.');
    }
    next();
  };
}

/**
 * Parses a POST body as JSON (the guards above already refused other types and oversized bodies);
 * a body that is not JSON is a 400 in the shape of every other GraphQL error, never a stack.
 */
export function graphqlJsonBody(config: Config): (RequestHandler | ErrorRequestHandler)[] {
  const parse = express.json({ limit: config.BODY_LIMIT_BYTES });
  const refuse: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, next) => {
    if (err.type === 'entity.too.large') return problem(res, 413, 'The request body is too large.');
    if (err.status && err.status >= 400 && err.status < 500) return problem(res, 400, 'The request body is not valid JSON.');
    next(err);
  };
  // An empty object or list parses, but Yoga would then look for a body stream already read.
  const nonEmpty: RequestHandler = (req, res, next) =>
    req.method === 'POST' && Object.keys(req.body ?? {}).length === 0 ? problem(res, 400, 'Send a GraphQL query in the request body.') : next();
  return [parse, refuse, nonEmpty];
}

// createApp(deps): the express app with /graphql, health routes, JWKS and the built web app.
// It never listens: server/main.ts does, and tests drive it with supertest.
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { useGraphQlJit } from '@envelop/graphql-jit';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { getOperationAST, OperationTypeNode } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { pinoHttp } from 'pino-http';
import { AppError, UNAVAILABLE_RETRY_AFTER } from '../db/errors.js';
import { accounts } from '../db/tables/index.js';
import { schema } from '../schema/index.js';
import type { AppDeps, Context } from '../services/context.js';
import { contextFor } from './context.js';
import { connectionCursors } from './cursors.js';
import { graphqlLimits } from './graphql-limits.js';
import { answerError, maskError } from './http-errors.js';
import { idempotencyPlugin } from './idempotency.js';
import { mediaRoutes } from './routes/media.js';
import { shareRoutes } from './routes/share.js';
import { graphqlHttpGuards, graphqlJsonBody, securityHeaders } from './http-guards.js';
import { compressResponses, webAppRoutes } from './web-app.js';

/** How long /readyz waits for the database before answering 503. */
const READY_TIMEOUT_MS = 2_000;

const builtWebApp = fileURLToPath(new URL('../web/dist/', import.meta.url));

type ServerContext = { req?: IncomingMessage & { ip?: string } };

export function createYogaServer(deps: AppDeps): YogaServerInstance<ServerContext, Context> {
  const allowedOrigins = deps.config.CORS_ORIGINS;
  const mask = maskError(deps.logger);
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: !deps.config.isProduction,
    landingPage: false,
    batching: false,
    // Yoga's default answers any origin with itself and allow-credentials. Only listed origins get
    // CORS headers; none gets credentials, as sessions are bearer tokens, never cookies.
    cors: (request) => {
      const origin = request.headers.get('origin');
      return origin && allowedOrigins.includes(origin) ? { origin: allowedOrigins, credentials: false, methods: ['GET', 'POST'] } : false;
    },
    maskedErrors: { maskError: mask },
    // The idempotency plugin answers some requests itself, before Yoga's masking would see them; it
    // comes after the cursors' check, so a refused cursor claims no key, and its replays' documents
    // have their cursors opened as the first execution's had.
    // Queries and subscriptions are compiled once per parsed document (graphql-jit). Mutations run in
    // graphql-js, which stops a document at the first root field that fails: graphql-jit would still
    // run the ones after it (seven aliased sign-ins would all count, and a write after a failed one
    // would happen unseen). First, so that the plugins after it wrap the compiled execution: the
    // limits' timeout and the cursors' check apply to it as they would to graphql-js.
    plugins: [
      useGraphQlJit({}, { enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation !== OperationTypeNode.MUTATION }),
      ...graphqlLimits(deps.config),
      connectionCursors(deps.keys.piiKey),
      idempotencyPlugin(mask),
    ],
    // Yoga's own log lines quote documents and variables (passwords, phones): maskError logs what matters.
    logging: false,
    // req.ip is the client behind the proxies TRUST_PROXY names, else the connection's address.
    context: ({ request, req }) => contextFor(deps, request.headers.get('authorization'), req?.ip ?? req?.socket.remoteAddress),
  });
}

/** `webDist`: the built web app's folder (tests serve one of their own). */
export function createApp(deps: AppDeps, webDist = builtWebApp): Express {
  const app = express();
  app.disable('x-powered-by');
  // Only these hops may name the client in X-Forwarded-For; anyone else's header is ignored.
  app.set('trust proxy', deps.config.TRUST_PROXY);
  app.use(securityHeaders());
  app.use(compressResponses());
  // Request lines are logged at info: an operator who chose a quieter level pays nothing for them.
  if (deps.logger.isLevelEnabled('info')) {
    app.use(
      pinoHttp({
        logger: deps.logger,
        // Paths only: query strings and bodies may carry personal information or tokens.
        serializers: {
          req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
          res: (res: { statusCode: number }) => ({ status: res.statusCode }),
        },
        autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      }),
    );
  }

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Prepared once (a statement per probe would be garbage for every health check), and written
  // for either engine: one indexed row, or none, answers that the database does.
  const ping = deps.db.select({ id: accounts.id }).from(accounts).limit(1).prepare();
  app.get('/readyz', async (_req, res) => {
    // A database that does not answer in time is not ready: a probe must not wait on a stuck pool.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('readiness probe timed out')), READY_TIMEOUT_MS)));
    try {
      await Promise.race([ping.execute(), late]);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).set('Retry-After', String(UNAVAILABLE_RETRY_AFTER)).json({ status: 'unavailable' });
    } finally {
      clearTimeout(timer);
    }
  });
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(deps.keys.jwks);
  });

  const yoga = createYogaServer(deps);
  // Node's own body parser: Yoga reads an already parsed body directly, without the web-stream
  // plumbing it otherwise pipes every request body through.
  app.use(yoga.graphqlEndpoint, graphqlHttpGuards(deps.config), graphqlJsonBody(deps.config), yoga as unknown as express.RequestHandler);

  app.use('/media', mediaRoutes(deps));
  app.use(shareRoutes(deps));

  if (existsSync(webDist)) app.use(webAppRoutes(webDist));
  // Whatever a route passed on (a request it could not read, a file it could not send) is answered
  // through the same mask, never by express's page that shows the stack.
  app.use(((err: { status?: number }, _req, res, next) => {
    if (res.headersSent) return next(err);
    const unreadable = err.status !== undefined && err.status >= 400 && err.status < 500;
    answerError(deps, res, unreadable ? new AppError('BAD_USER_INPUT', 'This request could not be read.') : err, unreadable ? err.status : undefined);
  }) as ErrorRequestHandler);
  return app;
}

// createApp(deps): the express app with /graphql, health routes, JWKS and the built web app.
// It never listens: server/main.ts does, and tests drive it with supertest.
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { pinoHttp } from 'pino-http';
import { AppError } from '../db/errors.js';
import { accounts } from '../db/tables/index.js';
import { schema } from '../schema/index.js';
import { contextFor, type AppDeps, type Context } from './context.js';
import { graphqlLimits } from './graphql-limits.js';
import { idempotencyPlugin } from './idempotency.js';
import { mediaRoutes } from './media/routes.js';
import { shareRoutes } from './share/routes.js';
import { graphqlHttpGuards, graphqlJsonBody, securityHeaders } from './http-guards.js';
import { compressResponses, webAppRoutes } from './web-app.js';

const builtWebApp = fileURLToPath(new URL('../web/dist/', import.meta.url));

// Duck-typed: graphql's CommonJS and ES builds both load here, so instanceof is unreliable.
const isGraphQLError = (e: unknown): e is GraphQLError => e instanceof Error && e.name === 'GraphQLError';

/** Turns domain errors into coded GraphQL errors and masks everything unexpected. */
function maskError(deps: AppDeps) {
  return (error: unknown): Error => {
    const located = isGraphQLError(error) ? error : undefined;
    const original = located?.originalError ?? error;
    const at = { nodes: located?.nodes, path: located?.path };
    if (original instanceof AppError) {
      return new GraphQLError(original.message, { ...at, extensions: { ...original.extensions, code: original.code } });
    }
    if (isGraphQLError(original) && typeof original.extensions?.code === 'string') {
      return new GraphQLError(original.message, { ...at, extensions: original.extensions });
    }
    // graphql-js's own errors (variables that do not coerce to their input type) carry no code.
    if (isGraphQLError(original)) {
      return new GraphQLError(original.message, { ...at, extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
    }
    // Our statements bind a fixed number of values; only a client's cursor varies it: one taken
    // from a list ordered by more columns (a feed) and sent to another. The cursor check before
    // execution sees its form, not the list it came from. Drizzle wraps a driver's error as `cause`.
    const driverError = (original as { cause?: unknown }).cause ?? original;
    if (driverError instanceof RangeError && /parameter values/.test(driverError.message)) {
      return new GraphQLError('This cursor does not come from this list. Start again from the first page.', { ...at, extensions: { code: 'BAD_USER_INPUT' } });
    }
    deps.logger.error({ err: original, path: located?.path }, 'unexpected error');
    return new GraphQLError('Something went wrong on our side. Please try again.', {
      ...at,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}

type ServerContext = { req?: IncomingMessage & { ip?: string } };

export function createYogaServer(deps: AppDeps): YogaServerInstance<ServerContext, Context> {
  const allowedOrigins = deps.config.CORS_ORIGINS;
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
    maskedErrors: { maskError: maskError(deps) },
    plugins: [...graphqlLimits(deps.config), idempotencyPlugin()],
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
    try {
      await ping.execute();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
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
  return app;
}

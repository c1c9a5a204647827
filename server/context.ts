// The only place a request becomes a viewer.
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { loadViewerRow, type ViewerRow } from '../db/queries/accounts.js';
import type { KeyRing } from './auth/keys.js';
import type { TokenService } from './auth/tokens.js';
import type { Config } from './config.js';

export interface Viewer extends ViewerRow {
  sessionId: string;
}

export interface AppDeps {
  config: Config;
  db: Db;
  keys: KeyRing;
  tokens: TokenService;
  logger: Logger;
}

export interface Context {
  deps: AppDeps;
  viewer: Viewer | null;
}

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

/** No header: an anonymous viewer. A header that does not verify: UNAUTHENTICATED, never anonymous. */
export async function viewerFromAuthorization(deps: AppDeps, header: string | null | undefined): Promise<Viewer | null> {
  if (!header) return null;
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header.trim());
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <access token>".');
  let claims;
  try {
    claims = await deps.tokens.verifyAccess(match[1]!);
  } catch {
    throw unauthenticated('The access token is invalid or has expired.');
  }
  const row = loadViewerRow(deps.db, claims.sub, claims.sid);
  if (!row || row.tokenVersion !== claims.ver) throw unauthenticated('The session has ended. Sign in again.');
  return { ...row, sessionId: claims.sid };
}

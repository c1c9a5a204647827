// The only place a request becomes a viewer: its Authorization header and address make the
// request's Context (services/context.ts).
import { GraphQLError } from 'graphql';
import { accessFor } from '../db/queries/access.js';
import { loadViewerRow } from '../db/queries/accounts.js';
import type { AccessClaims } from '../services/auth/tokens.js';
import { createContext, type AppDeps, type Context, type Viewer } from '../services/context.js';
import { addressKey } from '../services/rate-limits.js';

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

/** The request's context: its viewer and access from the cache when still current (services/auth/viewer-cache.ts). */
export async function contextFor(deps: AppDeps, authorization: string | null | undefined, address?: string): Promise<Context> {
  const ip = addressKey(address);
  const claims = await claimsOf(deps, authorization);
  if (!claims) return createContext(deps, null, ip);
  const generation = await deps.viewerCache.generation();
  const cached = generation === null ? undefined : deps.viewerCache.get(claims.sid, generation);
  if (cached && cached.row.accountId === claims.sub && cached.row.tokenVersion === claims.ver) {
    return createContext(deps, { ...cached.row, sessionId: claims.sid }, ip, cached.access);
  }
  const viewer = await viewerOf(deps, claims);
  const access = await accessFor(deps.db, viewer);
  if (generation !== null) deps.viewerCache.set(claims.sid, generation, { row: viewer, access });
  return createContext(deps, viewer, ip, access);
}

/** No header: an anonymous viewer. A header that does not verify: UNAUTHENTICATED, never anonymous. */
async function claimsOf(deps: AppDeps, header: string | null | undefined): Promise<AccessClaims | null> {
  if (!header) return null;
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header.trim());
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <access token>".');
  try {
    return await deps.tokens.verifyAccess(match[1]!);
  } catch {
    throw unauthenticated('The access token is invalid or has expired.');
  }
}

/** The session's viewer, read now: a signed-out session or a bumped token version is UNAUTHENTICATED. */
async function viewerOf(deps: AppDeps, claims: AccessClaims): Promise<Viewer> {
  const row = await loadViewerRow(deps.db, claims.sub, claims.sid);
  if (!row || row.tokenVersion !== claims.ver) throw unauthenticated('The session has ended. Sign in again.');
  return { ...row, sessionId: claims.sid };
}

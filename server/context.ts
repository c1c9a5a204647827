// The only place a request becomes a viewer: its Authorization header and address make the
// request's Context (services/context.ts).
import { GraphQLError } from 'graphql';
import { accessFor, NO_ACCESS } from '../db/queries/access.js';
import { loadViewerRow } from '../db/queries/accounts.js';
import type { AccessClaims } from '../services/auth/tokens.js';
import { contextWith, type AppDeps, type Context, type Viewer } from '../services/context.js';
import { addressKey } from '../services/rate-limits.js';

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

const BEARER = /^Bearer ([A-Za-z0-9_\-.]+)$/;

/**
 * The request's context: its viewer and access from the cache when still current
 * (services/auth/viewer-cache.ts). A signed-in request costs beyond an anonymous one only a
 * look-up of the token's verified claims (a token is verified once, services/auth/tokens.ts) and
 * of the cached viewer under the current generation; nothing is copied per request.
 */
export async function contextFor(deps: AppDeps, authorization: string | null | undefined, address?: string): Promise<Context> {
  const ip = addressKey(address);
  // No header: an anonymous viewer.
  if (!authorization) return contextWith(deps, null, ip, NO_ACCESS);
  const verified = claimsOf(deps, authorization);
  const claims = verified instanceof Promise ? await verified : verified;
  const known = deps.viewerCache.knownGeneration();
  const generation = known === undefined ? await deps.viewerCache.generation() : known;
  const cached = generation === null ? undefined : deps.viewerCache.get(claims.sid, generation);
  if (cached && cached.row.sessionId === claims.sid && cached.row.accountId === claims.sub && cached.row.tokenVersion === claims.ver) {
    return contextWith(deps, cached.row, ip, cached.access);
  }
  const viewer = await viewerOf(deps, claims);
  const access = await accessFor(deps.db, viewer);
  if (generation !== null) deps.viewerCache.set(claims.sid, generation, { row: viewer, access });
  return contextWith(deps, viewer, ip, access);
}

/** A header that does not verify: UNAUTHENTICATED, never anonymous. */
function claimsOf(deps: AppDeps, header: string): AccessClaims | Promise<AccessClaims> {
  const trimmed = header.trim();
  // A token this process verified before and that has not expired: the same claims, no new
  // signature check. Only tokens of BEARER's characters are ever verified, so such a header matches it.
  if (trimmed.startsWith('Bearer ')) {
    const known = deps.tokens.verifiedAccess(trimmed.slice(7));
    if (known) return known;
  }
  const match = BEARER.exec(trimmed);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <access token>".');
  return deps.tokens.verifyAccess(match[1]!).catch(() => {
    throw unauthenticated('The access token is invalid or has expired.');
  });
}

/** The session's viewer, read now: a signed-out session or a bumped token version is UNAUTHENTICATED. */
async function viewerOf(deps: AppDeps, claims: AccessClaims): Promise<Viewer> {
  const row = await loadViewerRow(deps.db, claims.sub, claims.sid);
  if (!row || row.tokenVersion !== claims.ver) throw unauthenticated('The session has ended. Sign in again.');
  // Frozen: once cached, every request of this session under the same generation shares it.
  return Object.freeze({ ...row, sessionId: claims.sid });
}

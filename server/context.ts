// The only place a request becomes a viewer.
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { accessFor, type ViewerAccess } from '../db/queries/access.js';
import { loadViewerRow, type ViewerRow } from '../db/queries/accounts.js';
import type { Contact, ContactField, Vault } from '../db/vault.js';
import type { KeyRing } from './auth/keys.js';
import type { ViewerCache } from './auth/viewer-cache.js';
import type { MediaStorage } from './media/storage.js';
import type { CodeSender } from './notify/codes.js';
import type { ReferralPubSub } from './notify/pubsub.js';
import type { Notifier } from './notify/worker.js';
import type { AccessClaims, TokenService } from './auth/tokens.js';
import { addressKey, type RateLimits } from './rate-limits.js';
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
  vault: Vault;
  limits: RateLimits;
  /** Live referral updates for subscriptions. */
  pubsub: ReferralPubSub;
  /** The outbox worker (run on a timer by server/jobs). */
  notifier: Notifier;
  /** Delivers one-time codes (SMS, email) through the gateway. */
  codes: CodeSender;
  /** Viewers and their access remembered between requests (server/auth/viewer-cache.ts). */
  viewerCache: ViewerCache;
  /** Where uploaded posters' renditions are kept (server/media/storage.ts). */
  mediaStorage: MediaStorage;
}

export interface Context {
  deps: AppDeps;
  viewer: Viewer | null;
  /** The client's address as per-address rate limits count it (addressKey: an IPv6 /64 is one client). */
  ip: string;
  /** The viewer's memberships (schema/policies/access.ts), for every visibility rule. */
  access: ViewerAccess;
  /** Per-request batching of vault reads, so a list of customers is one read and one log write. */
  contacts: ContactLoaders;
}

export interface ContactLoaders {
  /** Key `${customerId}:${field}` → the value, or null when the viewer may not read it. */
  own: DataLoader<string, string | null>;
  /** Referral id → the granted contact card, or null. */
  granted: DataLoader<string, { contact: Contact; validUntil: string } | null>;
}

function contactLoaders(deps: AppDeps, viewer: Viewer | null): ContactLoaders {
  const own = new DataLoader<string, string | null>(async (keys) => {
    const wanted = new Map<string, ContactField[]>();
    for (const key of keys) {
      const [customerId, field] = key.split(':') as [string, ContactField];
      wanted.set(customerId, [...(wanted.get(customerId) ?? []), field]);
    }
    const read = viewer ? await deps.vault.readOwn(viewer, wanted) : new Map<string, Contact>();
    return keys.map((key) => {
      const [customerId, field] = key.split(':') as [string, ContactField];
      return read.get(customerId)?.[field] ?? null;
    });
  });
  const granted = new DataLoader<string, { contact: Contact; validUntil: string } | null>(async (ids) => {
    const read = viewer ? await deps.vault.readGranted(viewer, ids) : new Map<string, { contact: Contact; validUntil: string }>();
    return ids.map((id) => read.get(id) ?? null);
  });
  return { own, granted };
}

/** The viewer's memberships are loaded here once: every visibility rule reads them synchronously. */
export async function createContext(deps: AppDeps, viewer: Viewer | null, ip = 'unknown', access?: ViewerAccess): Promise<Context> {
  return { deps, viewer, ip, access: access ?? (await accessFor(deps.db, viewer)), contacts: contactLoaders(deps, viewer) };
}

/**
 * Sign-in, sign-up and invite claims answer with the new session's viewer: the rest of that
 * response is resolved as that viewer (nothing was read as anyone else before).
 */
export async function adoptViewer(ctx: Context, viewer: Viewer): Promise<void> {
  ctx.viewer = viewer;
  ctx.access = await accessFor(ctx.deps.db, viewer);
  ctx.contacts = contactLoaders(ctx.deps, viewer);
}

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

/** The request's context: its viewer and access from the cache when still current (server/auth/viewer-cache.ts). */
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

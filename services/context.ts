// What every resolver and service is given: the process's dependencies (AppDeps) and, per request,
// the viewer, their access and the request's loaders. server/context.ts makes one from a request.
import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import { accessFor, type ViewerAccess } from '../db/queries/access.js';
import type { ViewerRow } from '../db/queries/accounts.js';
import type { Contact, ContactField, Vault } from '../db/vault.js';
import type { KeyRing } from './auth/keys.js';
import type { ViewerCache } from './auth/viewer-cache.js';
import type { MediaStorage } from './media/storage.js';
import type { CodeSender } from './notify/codes.js';
import type { ReferralPubSub } from './notify/pubsub.js';
import type { Notifier } from './notify/worker.js';
import type { TokenService } from './auth/tokens.js';
import type { RateLimits } from './rate-limits.js';
import type { Config } from './settings.js';


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
  /** Viewers and their access remembered between requests (services/auth/viewer-cache.ts). */
  viewerCache: ViewerCache;
  /** Where uploaded posters' renditions are kept (services/media/storage.ts). */
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

function ownLoader(deps: AppDeps, viewer: Viewer | null): DataLoader<string, string | null> {
  return new DataLoader<string, string | null>(async (keys) => {
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
}

function grantedLoader(deps: AppDeps, viewer: Viewer | null): DataLoader<string, { contact: Contact; validUntil: string } | null> {
  return new DataLoader<string, { contact: Contact; validUntil: string } | null>(async (ids) => {
    const read = viewer ? await deps.vault.readGranted(viewer, ids) : new Map<string, { contact: Contact; validUntil: string }>();
    return ids.map((id) => read.get(id) ?? null);
  });
}

/**
 * Each loader is made on its first use: most requests read no contact at all, and a request's
 * loaders are only ever the viewer's own (a new viewer gets new ones, adoptViewer).
 */
class RequestContactLoaders implements ContactLoaders {
  private ownLoader?: DataLoader<string, string | null>;
  private grantedLoader?: DataLoader<string, { contact: Contact; validUntil: string } | null>;
  constructor(
    private readonly deps: AppDeps,
    private readonly viewer: Viewer | null,
  ) {}
  get own(): DataLoader<string, string | null> {
    return (this.ownLoader ??= ownLoader(this.deps, this.viewer));
  }
  get granted(): DataLoader<string, { contact: Contact; validUntil: string } | null> {
    return (this.grantedLoader ??= grantedLoader(this.deps, this.viewer));
  }
}

const contactLoaders = (deps: AppDeps, viewer: Viewer | null): ContactLoaders => new RequestContactLoaders(deps, viewer);

/** A context whose access is already known (server/context.ts: a cached viewer, or the anonymous one). */
export function contextWith(deps: AppDeps, viewer: Viewer | null, ip: string, access: ViewerAccess): Context {
  return { deps, viewer, ip, access, contacts: contactLoaders(deps, viewer) };
}

/** The viewer's memberships are loaded here once: every visibility rule reads them synchronously. */
export async function createContext(deps: AppDeps, viewer: Viewer | null, ip = 'unknown', access?: ViewerAccess): Promise<Context> {
  return contextWith(deps, viewer, ip, access ?? (await accessFor(deps.db, viewer)));
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

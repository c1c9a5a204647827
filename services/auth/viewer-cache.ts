// Who the request's viewer is and what it belongs to, remembered per session between requests:
// looking them up costs a session query and up to four membership queries on every request.
//
// An entry is only used while the access generation it was loaded under is current. Every
// committed transaction that writes a table these answers come from bumps the generation before
// its caller goes on, so sign-out, a token-version bump, staff removal, suspension and membership
// changes take effect on the very next request. The generation lives where every writer bumps it:
// in this process when it is alone on its SQLite file; in Redis when several processes share a
// database. A PostgreSQL process without Redis remembers nothing.
//
// With Redis the cache fails closed. A bump made while Redis is away is lost to the others, and a
// Redis restored from an older snapshot hands out a generation that was current before a
// sign-out: so an entry is only used on the same Redis connection it was cached on (any
// disconnect or failed command forgets every entry, and nothing is remembered until Redis answers
// again), a generation lower than one already seen forgets every entry too, and a bump that Redis
// did not take is retried until it does. Entries are only ever what the database said.
import { randomInt } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import type { ViewerAccess } from '../../db/queries/access.js';
import type { ViewerRow } from '../../db/queries/accounts.js';
import { isPostgres, onCommitted } from '../../db/tx.js';

/** The tables a viewer row (db/queries/accounts.ts) and its access (db/queries/access.ts) are read from. */
export const VIEWER_TABLES: ReadonlySet<string> = new Set([
  'accounts',
  'sessions',
  'merchant_staff',
  'alliance_members',
  'community_members',
  'campaign_participants',
  'customers',
]);

export interface CachedViewer {
  /** The session's viewer as the database said, with its session id (frozen: requests share it). */
  row: ViewerRow & { sessionId: string };
  access: ViewerAccess;
}

export interface ViewerCache {
  /** The current generation (opaque: compare for equality only), or null when nothing may be remembered now. */
  generation(): Promise<string | null>;
  /**
   * The same answer without waiting, when it is known in this process (alone on its SQLite file,
   * or PostgreSQL without Redis: null); undefined when only generation() can tell (Redis).
   */
  knownGeneration(): string | null | undefined;
  get(sessionId: string, generation: string): CachedViewer | undefined;
  /** Remembers what was loaded under `generation` (read before loading, so a write in between makes it stale). */
  set(sessionId: string, generation: string, viewer: CachedViewer): void;
}

const SIZE = 10_000;
// A bound on how long an entry lives, whatever else happens.
const TTL_MS = 60_000;
/** How often a bump Redis did not take is tried again, besides each time the connection comes back. */
const BUMP_RETRY_MS = 1_000;

export function createViewerCache(db: Db, options: { redis?: Redis; keyPrefix: string; logger: Logger }): ViewerCache {
  const entries = new LRUCache<string, CachedViewer & { generation: string }>({ max: SIZE, ttl: TTL_MS });
  const { redis } = options;
  let generation: () => Promise<string | null>;
  let knownGeneration: () => string | null | undefined;
  if (redis) {
    generation = redisGeneration(db, redis, options, () => entries.clear());
    knownGeneration = () => undefined;
  } else if (isPostgres(db)) {
    // Other processes may write to the same database unheard.
    generation = async () => null;
    knownGeneration = () => null;
  } else {
    let local = 0;
    let current = String(local);
    generation = async () => current;
    knownGeneration = () => current;
    onCommitted(db, (tables) => {
      if (writesViewers(tables)) current = String(++local);
    });
  }
  return {
    generation,
    knownGeneration,
    get(sessionId, current) {
      const entry = entries.get(sessionId);
      return entry && entry.generation === current ? entry : undefined;
    },
    set(sessionId, loadedUnder, viewer) {
      entries.set(sessionId, { ...viewer, generation: loadedUnder });
    },
  };
}

const writesViewers = (tables: ReadonlySet<string>) => [...tables].some((t) => VIEWER_TABLES.has(t));

/**
 * The generation in Redis, qualified by this process's connection to it: `${connection}:${value}`.
 * `forget` drops every entry; it is called whenever what Redis says can no longer be trusted.
 */
function redisGeneration(
  db: Db,
  redis: Redis,
  { keyPrefix, logger }: { keyPrefix: string; logger: Logger },
  forget: () => void,
): () => Promise<string | null> {
  const key = `${keyPrefix}viewer-generation`;
  // Counts this process's connections to Redis: an entry cached on an earlier one never matches.
  let connection = 0;
  let highest = -Infinity;
  const distrust = () => {
    connection++;
    forget();
  };
  // ioredis reports a dropped connection as 'close' (after an 'error' when the socket failed),
  // then 'reconnecting', or 'end' when it gives up: each one forgets.
  for (const event of ['error', 'close', 'reconnecting', 'end']) redis.on(event, distrust);

  let owed = false;
  let retry: NodeJS.Timeout | undefined;
  let failing = false;
  const bump = async () => {
    if (!owed) return;
    owed = false;
    try {
      await redis.incr(key);
      if (failing) logger.info('viewer cache generation bumped in Redis again');
      failing = false;
    } catch (err) {
      owed = true;
      distrust();
      if (!failing) logger.warn({ error: (err as Error).message }, 'viewer cache generation not bumped in Redis: retrying until Redis takes it');
      failing = true;
      // A closed client (shutdown) is not retried.
      if (!retry && redis.status !== 'end') {
        retry = setTimeout(() => {
          retry = undefined;
          void bump();
        }, BUMP_RETRY_MS).unref();
      }
    }
  };
  redis.on('ready', () => void bump());
  onCommitted(db, async (tables) => {
    if (!writesViewers(tables)) return;
    forget();
    owed = true;
    await bump();
  });

  return async () => {
    if (redis.status !== 'ready') return null;
    const on = connection;
    try {
      const value = await redis.get(key);
      if (value === null) {
        // A Redis that lost its data starts from a random generation.
        await redis.set(key, String(randomInt(2 ** 40)), 'NX');
        return null;
      }
      if (on !== connection) return null;
      const current = Number(value);
      // Gone back (restored from an older copy with this connection up, e.g. behind a proxy).
      if (current < highest) distrust();
      highest = current;
      return `${connection}:${current}`;
    } catch {
      distrust();
      return null;
    }
  };
}

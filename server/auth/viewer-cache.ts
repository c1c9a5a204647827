// Who the request's viewer is and what it belongs to, remembered per session between requests:
// looking them up costs a session query and up to four membership queries on every request.
//
// An entry is only used while the access generation it was loaded under is current. Every
// committed transaction that writes a table these answers come from bumps the generation before
// its caller goes on, so sign-out, a token-version bump, staff removal, suspension and membership
// changes take effect on the very next request. The generation lives where every writer bumps it:
// in this process when it is alone on its SQLite file; in Redis when several processes share a
// database. A PostgreSQL process without Redis, or whose Redis does not answer, remembers nothing.
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
  row: ViewerRow;
  access: ViewerAccess;
}

export interface ViewerCache {
  /** The current generation, or null when nothing may be remembered now. */
  generation(): Promise<number | null>;
  get(sessionId: string, generation: number): CachedViewer | undefined;
  /** Remembers what was loaded under `generation` (read before loading, so a write in between makes it stale). */
  set(sessionId: string, generation: number, viewer: CachedViewer): void;
}

const SIZE = 10_000;
// A bound on how long an entry lives even if a bump were lost (Redis restarted between a bump and a read).
const TTL_MS = 60_000;

export function createViewerCache(db: Db, options: { redis?: Redis; keyPrefix: string; logger: Logger }): ViewerCache {
  const entries = new LRUCache<string, CachedViewer & { generation: number }>({ max: SIZE, ttl: TTL_MS });
  const { redis, logger } = options;
  const key = `${options.keyPrefix}viewer-generation`;
  let local = 0;
  let generation: () => Promise<number | null>;
  if (redis) {
    generation = async () => {
      try {
        const value = await redis.get(key);
        if (value !== null) return Number(value);
        // A Redis that lost its data starts from a random generation, so no entry from before matches.
        await redis.set(key, String(randomInt(2 ** 40)), 'NX');
        return null;
      } catch {
        return null;
      }
    };
    onCommitted(db, async (tables) => {
      if (![...tables].some((t) => VIEWER_TABLES.has(t))) return;
      entries.clear();
      await redis.incr(key).catch((err: Error) => logger.warn({ error: err.message }, 'viewer cache generation not bumped in Redis: other processes may answer from memory for up to a minute'));
    });
  } else if (isPostgres(db)) {
    // Other processes may write to the same database unheard.
    generation = async () => null;
  } else {
    generation = async () => local;
    onCommitted(db, (tables) => {
      if ([...tables].some((t) => VIEWER_TABLES.has(t))) local++;
    });
  }
  return {
    generation,
    get(sessionId, current) {
      const entry = entries.get(sessionId);
      return entry && entry.generation === current ? entry : undefined;
    },
    set(sessionId, loadedUnder, viewer) {
      entries.set(sessionId, { ...viewer, generation: loadedUnder });
    },
  };
}

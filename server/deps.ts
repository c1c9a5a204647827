// Wires the process-wide dependencies from the configuration.
import { Redis, type RedisOptions } from 'ioredis';
import pino, { type Logger } from 'pino';
import { openDatabase, type Db, type OpenDbOptions } from '../db/client.js';
import { publishedSince } from '../db/commands/outbox.js';
import { Vault } from '../db/vault.js';
import { derivePiiKeys } from '../db/vault/crypto.js';
import { loadKeyRing } from '../services/auth/keys.js';
import { createViewerCache } from '../services/auth/viewer-cache.js';
import { createTokenService } from '../services/auth/tokens.js';
import type { Config } from './config.js';
import type { AppDeps } from '../services/context.js';
import { createReferralPubSub, redisEventTarget, type RedisReferralEventTarget, type ReferralEventTarget } from '../services/notify/pubsub.js';
import { stdoutLogStream } from './log-stream.js';
import { localDiskStorage } from '../services/media/storage.js';
import { createCodeSender, type CodeSender } from '../services/notify/codes.js';
import { createNotifier } from '../services/notify/worker.js';
import { createWebhookAdapter } from '../services/notify/webhook.js';
import { createRateLimits, redisStore } from '../services/rate-limits.js';

export interface DepsOptions extends OpenDbOptions {
  /** Where log lines go (standard output, never blocking: server/log-stream.ts); tests read them back. */
  logDestination?: pino.DestinationStream;
  /** Shared by several server processes for live updates (e.g. a Redis event target); in-memory by default. */
  eventTarget?: ReferralEventTarget;
  /** Where one-time codes go (the gateway, or the console in development); tests read them back. */
  codeSender?: CodeSender;
}

export interface Deps extends AppDeps {
  /** Closes the Redis connections, if any: call it once requests and jobs have finished. */
  closeRedis(): Promise<void>;
}

export async function createDeps(config: Config, options: DepsOptions = {}): Promise<Deps> {
  const { logDestination, eventTarget, codeSender, ...dbOptions } = options;
  const logger = pino(
    {
      level: config.logLevel,
      // Defence in depth: even a careless log call must not print credentials.
      redact: { paths: ['*.password', '*.phoneCode', '*.emailCode', '*.accessToken', '*.refreshToken', 'req.headers.authorization'], censor: '[redacted]' },
    },
    logDestination ?? stdoutLogStream(),
  );
  const keys = await loadKeyRing(config);
  const db = await openDatabase(config, dbOptions);
  const vault = new Vault(db, derivePiiKeys(keys.piiKey), {
    staffContactReads: { count: config.STAFF_CONTACT_READS_ALERT_COUNT, minutes: config.STAFF_CONTACT_READS_ALERT_MINUTES },
  });
  const redis = config.REDIS_URL ? connectRedis(config.REDIS_URL, logger) : null;
  // Limits counted before the connection is ready would go to this process's insurance counters
  // and split from the shared ones: wait for it, a bounded while (a Redis that is down is a warning).
  if (redis) await ready(redis.limiter, 2_000);
  // Commands cut off by closing the connections (an unsubscribe at shutdown) are expected.
  let closing = false;
  const shared = redis
    ? redisEventTarget(redis.publisher, redis.subscriber, config.REDIS_KEY_PREFIX, (err) => {
        if (!closing) logger.warn({ error: errorText(err) }, 'live update not passed through Redis');
      })
    : undefined;
  if (redis && shared) catchUpAfterOutages(db, redis.subscriber, shared, logger);
  const pubsub = createReferralPubSub(eventTarget ?? shared);
  const notifier = createNotifier({ db, config, pubsub, logger, adapter: createWebhookAdapter(config) });
  const codes = codeSender ?? createCodeSender(config);
  const viewerCache = createViewerCache(db, { redis: redis?.limiter, keyPrefix: config.REDIS_KEY_PREFIX, logger });
  const limits = createRateLimits(config, redis ? redisStore(redis.limiter, config.REDIS_KEY_PREFIX) : undefined);
  const closeRedis = async () => {
    closing = true;
    if (redis) await Promise.all([redis.publisher, redis.subscriber, redis.limiter].map(close));
  };
  const mediaStorage = localDiskStorage(config.MEDIA_DIR);
  return { config, db, keys, tokens: createTokenService(config, keys), logger, vault, limits, pubsub, notifier, codes, viewerCache, mediaStorage, closeRedis };
}

// Node reports a refused connection to a host with several addresses as an AggregateError without a message.
const errorText = (err: Error) => err.message || (err as NodeJS.ErrnoException).code || err.name;

/**
 * Connects in the background: a Redis that is down at start (or later) is a warning, never a
 * crash, and the clients keep reconnecting. Log lines name the URL without its credentials.
 */
function connectRedis(url: string, logger: Logger) {
  const where = new URL(url);
  where.username = '';
  where.password = '';
  const open = (role: string, options: RedisOptions) => {
    const client = new Redis(url, options);
    // One warning per outage, not one per reconnect attempt.
    let down = false;
    client.on('error', (err: Error) => {
      if (down) return;
      down = true;
      logger.warn({ redis: where.href, role, error: errorText(err) }, 'Redis unreachable: live updates pause and rate limits count per process until it answers');
    });
    client.on('ready', () => {
      if (down) logger.info({ redis: where.href, role }, 'Redis reachable again');
      down = false;
    });
    return client;
  };
  return {
    // A live update Redis does not take at once stays in the outbox (services/notify/worker.ts): no
    // queue while disconnected, a bound on each command, so the outbox's lock is held briefly.
    publisher: open('publisher', { enableOfflineQueue: false, commandTimeout: 1_000 }),
    // A subscription waits for Redis however long it is away, rather than silently hearing nothing.
    subscriber: open('subscriber', { maxRetriesPerRequest: null }),
    // A request must not wait for Redis: no queue while disconnected, a bound on each command.
    limiter: open('limiter', { enableOfflineQueue: false, commandTimeout: 1_000 }),
  };
}

// Publishing and stamping happen at about the same time on different clocks: reach back further.
const CATCH_UP_MARGIN_MS = 60_000;

/**
 * Redis keeps nothing for a subscriber that is away: once the subscriber connection is back and
 * has subscribed again (the PING answers after the SUBSCRIBEs ioredis sent on reconnecting), the
 * events the outbox says were published since it dropped are passed on, except those heard.
 */
function catchUpAfterOutages(db: Db, subscriber: Redis, target: RedisReferralEventTarget, logger: Logger) {
  let droppedAt: number | undefined;
  subscriber.on('close', () => (droppedAt ??= Date.now()));
  subscriber.on('ready', async () => {
    if (droppedAt === undefined) return;
    const since = new Date(droppedAt - CATCH_UP_MARGIN_MS);
    droppedAt = undefined;
    try {
      await subscriber.ping();
      for (let page = await publishedSince(db, since); page.length > 0; page = await publishedSince(db, since, page.at(-1)!.eventId)) target.catchUp(page);
    } catch (err) {
      logger.warn({ error: errorText(err as Error) }, 'live updates published while Redis was away not caught up');
    }
  });
}

/** Resolves once `client` is ready, or after `ms` whatever its state. */
const ready = (client: Redis, ms: number) =>
  new Promise<void>((resolve) => {
    if (client.status === 'ready') return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    }
    client.once('ready', done);
  });

/** QUIT lets replies in flight arrive; a client that is not connected is just closed. */
const close = async (client: Redis) => {
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
};

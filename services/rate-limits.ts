// Request-rate limits against guessing and flooding (rate-limiter-flexible). In memory by default;
// in Redis (redisStore) when several server processes run, so they count together.
import { isIPv4, isIPv6 } from 'node:net';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../db/errors.js';
import type { Config } from './settings.js';

export type LimitName =
  | 'signInFailuresPerLogin'
  | 'signInFailuresPerIp'
  | 'inviteClaimsPerIp'
  | 'referralRequestsPerMerchant'
  | 'codeResendPerTarget'
  | 'codesPerTarget'
  | 'codesPerIp'
  | 'shareCountsPerIp'
  | 'sharePostersPerIp'
  | 'mediaUploadsPerAccount';

export type RateLimits = Record<LimitName, RateLimiterAbstract>;

/** An IPv6 address's eight 16-bit groups (a dotted IPv4 tail makes the last two). */
function ipv6Groups(address: string): number[] {
  const groups = (part: string) =>
    part
      ? part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        })
      : [];
  const [head = '', tail] = address.split('::');
  if (tail === undefined) return groups(head);
  const [front, back] = [groups(head), groups(tail)];
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * The key every per-address limit counts a client under. An IPv6 client is handed a whole /64
 * (a home, a phone) and can pick any address in it, so the /64 is one client; an IPv4-mapped
 * IPv6 address is its IPv4 address.
 */
export function addressKey(ip: string | undefined): string {
  const address = ip?.split('%')[0] ?? '';
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return 'unknown';
  const g = ipv6Groups(address.toLowerCase());
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join('.');
  return `${g.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}

/** Builds one limit; keyPrefix names the limit, so limits never share counters. */
export type LimitStore = (points: number, duration: number, keyPrefix: string) => RateLimiterAbstract;

export function createRateLimits(config: Config, store: LimitStore = memory): RateLimits {
  return {
    // OWASP: lock a login out after a few failures, and an address that tries many logins.
    signInFailuresPerLogin: store(config.SIGN_IN_FAILURES_PER_15_MIN, 15 * 60, 'signin-login'),
    signInFailuresPerIp: store(config.SIGN_IN_FAILURES_PER_15_MIN * 4, 15 * 60, 'signin-ip'),
    inviteClaimsPerIp: store(config.INVITE_CLAIMS_PER_15_MIN, 15 * 60, 'claim-ip'),
    referralRequestsPerMerchant: store(config.REFERRAL_REQUESTS_PER_DAY, 24 * 60 * 60, 'referral-merchant'),
    // One-time codes cost an SMS each and must not become a way to flood someone's phone.
    codeResendPerTarget: store(1, config.CODE_RESEND_SECONDS, 'code-resend'),
    codesPerTarget: store(config.CODES_PER_TARGET_PER_HOUR, 60 * 60, 'code-target'),
    codesPerIp: store(config.CODES_PER_IP_PER_HOUR, 60 * 60, 'code-ip'),
    // Share counts feed the campaign funnel: one address must not inflate them.
    shareCountsPerIp: store(config.SHARE_COUNTS_PER_IP_PER_HOUR, 60 * 60, 'share-ip'),
    // Drawing a share poster costs CPU: one address cannot have them drawn over and over.
    sharePostersPerIp: store(config.SHARE_POSTERS_PER_IP_PER_HOUR, 60 * 60, 'share-poster-ip'),
    // Each upload is decoded and re-encoded twice: bounded per account so one session cannot tie up the CPU.
    mediaUploadsPerAccount: store(config.MEDIA_UPLOADS_PER_15_MIN, 15 * 60, 'media-account'),
  };
}

function memory(points: number, duration: number, keyPrefix: string): RateLimiterAbstract {
  return new RateLimiterMemory({ points, duration, keyPrefix });
}

/**
 * Counters in Redis, shared by every process. While Redis is not connected, or a command fails or
 * times out, the in-memory insurance limiter answers: limits count per process instead of
 * requests failing.
 */
export function redisStore(client: Redis, prefix: string): LimitStore {
  return (points, duration, keyPrefix) =>
    new RateLimiterRedis({
      storeClient: client,
      points,
      duration,
      keyPrefix: `${prefix}${keyPrefix}`,
      // Without this a command would wait for a reconnect; the insurance should answer at once.
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory(points, duration, keyPrefix),
    });
}

const limited = (res: RateLimiterRes) =>
  new AppError('RATE_LIMITED', 'Too many attempts. Please wait before trying again.', { retryAfter: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) });

/** Counts one attempt; over the limit it is RATE_LIMITED with retryAfter (seconds). */
export async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw limited(err);
    throw err;
  }
}

/** Refuses while a key has used up its points, without counting this attempt. */
export async function assertNotBlocked(limiter: RateLimiterAbstract, key: string): Promise<void> {
  const res = await limiter.get(key);
  if (res && res.consumedPoints >= limiter.points) throw limited(res);
}

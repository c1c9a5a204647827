// Request-rate limits against guessing and flooding (rate-limiter-flexible). In memory by default;
// in Redis (redisStore) when several server processes run, so they count together.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../db/errors.js';
import type { Config } from './config.js';

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

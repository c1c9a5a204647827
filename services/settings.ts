// Every setting the platform has: its name, default and validation, and the Config type the
// services and the server read. Nothing here reads the environment: server/config.ts does, once.
import { isIP } from 'node:net';
import { z } from 'zod';

const list = (s: string) => s.split(',').map((e) => e.trim()).filter(Boolean);

/** An origin as browsers send it: scheme, host and port, nothing else. */
const isOrigin = (o: string) => {
  try {
    return new URL(o).origin === o;
  } catch {
    return false;
  }
};

/** An entry of express's `trust proxy` list: an address, a CIDR block, or one of its named ranges. */
const isProxyEntry = (e: string) => {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(e)) return true;
  const [address = '', bits, ...rest] = e.split('/');
  const version = isIP(address);
  return version !== 0 && rest.length === 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128)));
};

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_PATH: z.string().min(1).default('./data/platform.db'),
  // postgres://…: the production deployment, shared by several server processes; without it the
  // SQLite file at DATABASE_PATH.
  DATABASE_URL: z
    .string()
    .url()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  // Connections each process keeps to PostgreSQL.
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // Whether this server process also runs the background jobs (expiry sweeps, notification
  // delivery, clean-up). With several processes, run them in one `npm run worker` and set this to
  // "no" on the others (running them everywhere is safe too: the jobs' transactions serialize).
  RUN_JOBS: z.enum(['yes', 'no']).default('yes'),
  // Ed25519 key pair as PKCS#8 / SPKI PEM; generated beside the database file when absent.
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_PUBLIC_KEY: z.string().optional(),
  // Public keys retired by a rotation (PEM blocks, concatenated): they still verify what they signed.
  JWT_RETIRED_PUBLIC_KEYS: z.string().optional(),
  // 32 random bytes, base64: encrypts personal information at rest (AES-256-GCM).
  PII_KEY: z.string().optional(),
  JWT_ISSUER: z.string().default('alliance-referral-platform'),
  JWT_AUDIENCE: z.string().default('alliance-referral-platform'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  // Where people reach this server: the base of links sent by SMS and email and carried by QR codes.
  // Unset, the address it listens on (see listeningUrl).
  PUBLIC_URL: z.string().url().optional(),
  // Other sites whose pages may call /graphql from a browser (comma-separated origins); none by
  // default, so only the web app served here can. Listed, never reflected: any other origin gets
  // no CORS headers at all.
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform(list)
    .pipe(z.array(z.string().refine(isOrigin, 'must be origins such as https://shop.example (scheme, host and port, no path), comma-separated'))),
  // Which proxies may tell the client's address in X-Forwarded-For (express's `trust proxy`):
  // "false" (none: the connection's own address), a hop count, or addresses, CIDR blocks and
  // loopback/linklocal/uniquelocal. Per-address limits count that address, so behind a load
  // balancer it must be set, and set to the balancer only: a trusted hop's header is believed.
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((s, ctx): false | number | string[] => {
      const value = s.trim();
      if (value === 'false') return false;
      if (/^\d{1,2}$/.test(value)) return Number(value);
      const entries = list(value);
      // "true" would believe every hop, so any client could name its own address.
      if (entries.length === 0 || !entries.every(isProxyEntry)) {
        ctx.addIssue({ code: 'custom', message: 'must be false, a hop count, or proxy addresses/CIDR blocks (loopback, linklocal, uniquelocal allowed), comma-separated' });
        return z.NEVER;
      }
      return entries;
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
  // Alliance insights report groups of fewer customers than this as null; below 3 a group is one or two people.
  INSIGHTS_MIN_GROUP_SIZE: z.coerce.number().int().min(3, 'must be at least 3').max(1000).default(5),
  // Abuse limits (GraphQL Armor and OWASP defaults).
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).default(8),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).default(15),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(1).default(50),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).default(2000),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(5000),
  GRAPHQL_EXECUTION_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  SIGN_IN_FAILURES_PER_15_MIN: z.coerce.number().int().min(1).default(5),
  INVITE_CLAIMS_PER_15_MIN: z.coerce.number().int().min(1).default(10),
  REFERRAL_REQUESTS_PER_DAY: z.coerce.number().int().min(1).default(100),
  // Anti-harvesting. Customers one shop may add per 24 hours (typed in or imported).
  CUSTOMERS_ADDED_PER_DAY: z.coerce.number().int().min(1).default(200),
  // Records people disowned ("I never gave this shop my number") before the alliance admins are
  // alerted and the shop's new records pause until an admin clears it.
  DISOWNED_RECORDS_ALERT_THRESHOLD: z.coerce.number().int().min(1).default(3),
  // A staff member revealing the contacts of this many customers within the window alerts the owner.
  STAFF_CONTACT_READS_ALERT_COUNT: z.coerce.number().int().min(1).default(30),
  STAFF_CONTACT_READS_ALERT_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  // Share poster scans and visits one address may add per hour; beyond it they go uncounted. Many
  // phones may share one address (a mobile carrier's NAT), so it is generous.
  SHARE_COUNTS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(300),
  // Share posters one address may have drawn per hour (each costs about 85 ms of CPU; a poster
  // already drawn is served from storage and not counted).
  SHARE_POSTERS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(60),
  MEDIA_UPLOADS_PER_15_MIN: z.coerce.number().int().min(1).default(30),
  // Where uploaded posters are kept (created on the first upload). Several server processes need
  // a store they share: see README.md, "Media storage".
  MEDIA_DIR: z.string().min(1).default('./data/media'),
  // Notifications. Without a webhook URL only in-app notifications are kept. The gateway (SMS,
  // WeChat, email) receives signed JSON: HMAC-SHA256 of the raw body under the secret.
  NOTIFY_WEBHOOK_URL: z.string().url().optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // The channels the gateway serves (customers choose theirs in their consent settings).
  NOTIFY_WEBHOOK_CHANNELS: z
    .string()
    .default('SMS,WECHAT,EMAIL')
    .transform((s) => s.split(',').map((c) => c.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['SMS', 'WECHAT', 'EMAIL']))),
  NOTIFY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
  // Retries wait base·2^(n-1), capped, with jitter (between half and all of that).
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(1).default(30_000),
  NOTIFY_RETRY_MAX_MS: z.coerce.number().int().min(1).default(6 * 3_600_000),
  // Non-urgent messages wait out these hours (HH:MM-HH:MM in NOTIFY_TIME_ZONE), or "off".
  NOTIFY_QUIET_HOURS: z.string().regex(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, 'must be HH:MM-HH:MM or off').default('21:00-09:00'),
  NOTIFY_TIME_ZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone'),
  // How often the worker looks for new events and due messages (live updates wait at most this long).
  NOTIFY_POLL_MS: z.coerce.number().int().min(100).default(1_000),
  // One-time codes (SMS to a phone, email at sign-up): how often one target may get a new one,
  // how many per hour, and how many one address may ask for per hour.
  CODE_RESEND_SECONDS: z.coerce.number().int().min(1).default(60),
  CODES_PER_TARGET_PER_HOUR: z.coerce.number().int().min(1).default(5),
  CODES_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(20),
  // Several server processes share live updates and rate limits through Redis; without it both
  // stay in this process.
  REDIS_URL: z
    .string()
    .url()
    .refine((u) => /^rediss?:\/\//.test(u), 'must be a redis:// or rediss:// URL')
    .optional(),
  // Begins every Redis key and channel, so deployments (or test runs) sharing one Redis stay apart.
  REDIS_KEY_PREFIX: z.string().default('arp:'),
});

export type Config = Omit<z.infer<typeof envSchema>, 'PUBLIC_URL'> & { PUBLIC_URL: string; isProduction: boolean; logLevel: string };


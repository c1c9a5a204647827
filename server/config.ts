// The only reader of process.env: every setting (services/settings.ts) is parsed and validated here once.
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseEnv } from 'node:util';
import { envSchema, type Config } from '../services/settings.js';

export type { Config };

/**
 * http://<HOST>:<PORT>, the address the server listens on; a wildcard HOST (every interface) as
 * localhost. Never taken from a request's Host header, which the client writes.
 */
export function listeningUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : isIP(host) === 6 ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

export class ConfigError extends Error {}

/**
 * The process's environment over the settings file ENV_FILE (`.env` in the working directory by
 * default, if present; `npm run keys` writes one): a variable set in the real environment wins.
 * Node's own parser, as for `node --env-file` (quoted values may span lines, as PEM keys do).
 */
export function environment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const file = env.ENV_FILE ?? '.env';
  if (!existsSync(file)) {
    if (env.ENV_FILE) throw new ConfigError(`ENV_FILE names ${file}, which does not exist.`);
    return env;
  }
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}

export function loadConfig(env: NodeJS.ProcessEnv = environment()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const cfg = parsed.data;
  const isProduction = cfg.NODE_ENV === 'production';
  // A server must never invent its own secrets where that would break it: in production a restart
  // would lock out every session and make encrypted personal information unreadable; on a shared
  // PostgreSQL every process must sign and encrypt with the same keys.
  const secretsFromEnv = isProduction
    ? 'In production these secrets must be set in the environment'
    : cfg.DATABASE_URL
      ? 'With DATABASE_URL (PostgreSQL) these secrets must be set in the environment, the same for every server process'
      : null;
  const missing = (['JWT_PRIVATE_KEY', 'JWT_PUBLIC_KEY', 'PII_KEY'] as const).filter((k) => !cfg[k]);
  if (secretsFromEnv && missing.length > 0) {
    const see = cfg.DATABASE_URL ? 'Deploying on PostgreSQL and Redis' : 'Configuration';
    throw new ConfigError(`${secretsFromEnv}: ${missing.join(', ')}. See README.md, "${see}".`);
  }
  if (isProduction && !cfg.NOTIFY_WEBHOOK_URL) {
    // One-time codes are how a customer proves their phone: without a gateway nobody could claim
    // an account, and printing codes to a production console would hand them to the operator.
    throw new ConfigError('In production NOTIFY_WEBHOOK_URL and NOTIFY_WEBHOOK_SECRET must be set: one-time codes reach customers by SMS through the gateway.');
  }
  if (cfg.NOTIFY_WEBHOOK_URL && !cfg.NOTIFY_WEBHOOK_SECRET) {
    throw new ConfigError('NOTIFY_WEBHOOK_URL is set: set NOTIFY_WEBHOOK_SECRET too, so the gateway can verify what it receives.');
  }
  if (isProduction && cfg.NOTIFY_WEBHOOK_URL && !cfg.NOTIFY_WEBHOOK_URL.startsWith('https:')) {
    throw new ConfigError('In production NOTIFY_WEBHOOK_URL must be an https URL.');
  }
  if (isProduction && !cfg.PUBLIC_URL?.startsWith('https:')) {
    // Sign-in and invite links go out by SMS and email, and share links into QR codes: guessed from
    // the listening address they would point at a private host, and plain http lets them be altered.
    throw new ConfigError('In production PUBLIC_URL must be set to the https:// address people reach the platform at (the base of links sent by SMS, email and QR codes).');
  }
  const logLevel = cfg.LOG_LEVEL ?? (cfg.NODE_ENV === 'test' ? 'silent' : 'info');
  return { ...cfg, PUBLIC_URL: cfg.PUBLIC_URL ?? listeningUrl(cfg.HOST, cfg.PORT), isProduction, logLevel };
}

// Wires the process-wide dependencies from the configuration.
import pino from 'pino';
import { openDb, type OpenDbOptions } from '../db/client.js';
import { Vault } from '../db/vault.js';
import { derivePiiKeys } from '../db/vault/crypto.js';
import { loadKeyRing } from './auth/keys.js';
import { createTokenService } from './auth/tokens.js';
import type { Config } from './config.js';
import type { AppDeps } from './context.js';
import { createReferralPubSub, type ReferralEventTarget } from './notify/pubsub.js';
import { createCodeSender, type CodeSender } from './notify/codes.js';
import { createNotifier } from './notify/worker.js';
import { createWebhookAdapter } from './notify/webhook.js';
import { createRateLimits } from './rate-limits.js';

export interface DepsOptions extends OpenDbOptions {
  /** Where log lines go (stdout by default); tests read them back. */
  logDestination?: pino.DestinationStream;
  /** Shared by several server processes for live updates (e.g. a Redis event target); in-memory by default. */
  eventTarget?: ReferralEventTarget;
  /** Where one-time codes go (the gateway, or the console in development); tests read them back. */
  codeSender?: CodeSender;
}

export async function createDeps(config: Config, options: DepsOptions = {}): Promise<AppDeps> {
  const { logDestination, eventTarget, codeSender, ...dbOptions } = options;
  const logger = pino(
    {
      level: config.logLevel,
      // Defence in depth: even a careless log call must not print credentials.
      redact: { paths: ['*.password', '*.phoneCode', '*.emailCode', '*.accessToken', '*.refreshToken', 'req.headers.authorization'], censor: '[redacted]' },
    },
    logDestination,
  );
  const keys = await loadKeyRing(config);
  const db = openDb(config.DATABASE_PATH, dbOptions);
  const vault = new Vault(db, derivePiiKeys(keys.piiKey));
  const pubsub = createReferralPubSub(eventTarget);
  const notifier = createNotifier({ db, config, pubsub, logger, adapter: createWebhookAdapter(config) });
  const codes = codeSender ?? createCodeSender(config);
  return { config, db, keys, tokens: createTokenService(config, keys), logger, vault, limits: createRateLimits(config), pubsub, notifier, codes };
}

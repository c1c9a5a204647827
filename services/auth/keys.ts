// Signing keys (Ed25519) and the PII encryption key: from the environment, or generated beside the
// database file on first run so a local start works out of the box.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { calculateJwkThumbprint, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, type JWK } from 'jose';
import type { Config } from '../settings.js';

type Key = CryptoKey;

export interface SigningKey {
  kid: string;
  privateKey: Key;
  publicKey: Key;
}

export interface KeyRing {
  /** The key new tokens and receipts are signed with. */
  current: SigningKey;
  /** Public keys that still verify: the current one and retired ones. */
  verifying: Map<string, Key>;
  jwks: { keys: JWK[] };
  /** 32 bytes for AES-256-GCM over personal information. */
  piiKey: Buffer;
}

async function fromPem(privatePem: string, publicPem: string): Promise<SigningKey> {
  const privateKey = (await importPKCS8(privatePem, 'EdDSA', { extractable: true })) as Key;
  const publicKey = (await importSPKI(publicPem, 'EdDSA', { extractable: true })) as Key;
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return { kid, privateKey, publicKey };
}

async function generatePem(): Promise<{ privatePem: string; publicPem: string }> {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { privatePem: await exportPKCS8(pair.privateKey), publicPem: await exportSPKI(pair.publicKey) };
}

function readOrCreate(path: string, create: () => string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8');
  const value = create();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, value, { mode: 0o600 });
  return value;
}

function parsePiiKey(value: string): Buffer {
  const key = Buffer.from(value.trim(), 'base64');
  if (key.length !== 32) throw new Error('PII_KEY must be 32 bytes, base64-encoded');
  return key;
}

/** The current signing key, plus retired public keys that keep verifying what they signed. */
export async function buildKeyRing(current: SigningKey, retired: Key[], piiKey: Buffer): Promise<KeyRing> {
  const publicKeys = [
    { kid: current.kid, key: current.publicKey },
    ...(await Promise.all(retired.map(async (key) => ({ kid: await calculateJwkThumbprint(await exportJWK(key)), key })))),
  ];
  const verifying = new Map(publicKeys.map((k) => [k.kid, k.key] as const));
  const keys = await Promise.all(publicKeys.map(async (k) => ({ ...(await exportJWK(k.key)), kid: k.kid, alg: 'EdDSA', use: 'sig' })));
  return { current, verifying, jwks: { keys }, piiKey };
}

/** PEM public keys, one after another in one string (JWT_RETIRED_PUBLIC_KEYS or the retired-keys file). */
async function retiredKeys(pems: string | undefined): Promise<Key[]> {
  const blocks = pems?.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  return Promise.all(blocks.map(async (pem) => (await importSPKI(pem, 'EdDSA', { extractable: true })) as Key));
}

/** Keys for a server: environment first; otherwise files beside the database (created once). */
export async function loadKeyRing(config: Config): Promise<KeyRing> {
  // The database is always a file (db/client.ts opens a reader and a writer on it): keys live beside it.
  const dir = dirname(resolve(config.DATABASE_PATH));
  let privatePem = config.JWT_PRIVATE_KEY;
  let publicPem = config.JWT_PUBLIC_KEY;
  if (!privatePem || !publicPem) {
    const generated = existsSync(join(dir, 'jwt-private.pem')) ? null : await generatePem();
    privatePem = readOrCreate(join(dir, 'jwt-private.pem'), () => generated!.privatePem);
    publicPem = readOrCreate(join(dir, 'jwt-public.pem'), () => generated!.publicPem);
  }
  const piiText = config.PII_KEY ?? readOrCreate(join(dir, 'pii.key'), () => randomBytes(32).toString('base64'));
  // After a rotation the previous public keys stay here, so tokens and receipts they signed still verify.
  const retiredPem = config.JWT_RETIRED_PUBLIC_KEYS ?? (existsSync(join(dir, 'jwt-retired.pem')) ? readFileSync(join(dir, 'jwt-retired.pem'), 'utf8') : undefined);
  return buildKeyRing(await fromPem(privatePem, publicPem), await retiredKeys(retiredPem), parsePiiKey(piiText));
}

/** Fresh secrets for a deployment, under their variables' names (`npm run keys`). */
export async function generateSecrets(): Promise<{ JWT_PRIVATE_KEY: string; JWT_PUBLIC_KEY: string; PII_KEY: string }> {
  const { privatePem, publicPem } = await generatePem();
  return { JWT_PRIVATE_KEY: privatePem.trim(), JWT_PUBLIC_KEY: publicPem.trim(), PII_KEY: randomBytes(32).toString('base64') };
}

/** A fresh in-memory key (tests, key rotation). */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privatePem, publicPem } = await generatePem();
  return fromPem(privatePem, publicPem);
}

// Field encryption for personal information (AES-256-GCM, random 96-bit IV per value) and the
// keyed blind index (HMAC-SHA256) that lets phone lookups work without storing the phone.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

export interface PiiKeys {
  /** Identifies the encryption key, stored with every ciphertext so keys can be rotated. */
  keyId: string;
  encryption: Buffer;
  blindIndex: Buffer;
  pseudonym: Buffer;
}

/** Separate subkeys per purpose, derived from the one configured PII key. */
export function derivePiiKeys(piiKey: Buffer): PiiKeys {
  const sub = (info: string) => Buffer.from(hkdfSync('sha256', piiKey, Buffer.alloc(0), info, 32));
  return {
    keyId: createHmac('sha256', piiKey).update('key-id').digest('base64url').slice(0, 8),
    encryption: sub('pii-encryption-v1'),
    blindIndex: sub('pii-blind-index-v1'),
    pseudonym: sub('customer-pseudonym-v1'),
  };
}

/** `keyId.iv.tag.ciphertext`, base64url parts. The associated data binds a value to its row and field. */
export function seal(keys: PiiKeys, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [keys.keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function open(keys: PiiKeys, sealed: string, aad: string): string {
  const [keyId, iv, tag, body] = sealed.split('.');
  if (keyId !== keys.keyId || !iv || !tag || body === undefined) throw new Error('sealed value is malformed or from an unknown key');
  const decipher = createDecipheriv('aes-256-gcm', keys.encryption, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

export const blindIndex = (keys: PiiKeys, value: string): string =>
  createHmac('sha256', keys.blindIndex).update(value).digest('base64url');

// Crockford-style alphabet without look-alikes (no I, L, O, U) so a pseudonym reads aloud cleanly.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short stable name for one customer as seen by one merchant: 顾客-K7M2Q. Different per viewer. */
export function pseudonym(keys: PiiKeys, customerKey: string, viewerKey: string): string {
  const mac = createHmac('sha256', keys.pseudonym).update(`${customerKey}\u0000${viewerKey}`).digest();
  let out = '';
  for (let i = 0; i < 6; i++) out += ALPHABET[mac[i]! % 32];
  return `顾客-${out}`;
}

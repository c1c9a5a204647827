// Access tokens (short-lived EdDSA JWTs) and opaque refresh tokens.
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTHeaderParameters } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Config } from '../settings.js';
import type { KeyRing } from './keys.js';

const ACCESS_TYP = 'at+jwt';

export interface AccessClaims {
  sub: string;
  /** The session (refresh-token family) the token belongs to: signing out ends it. */
  sid: string;
  /** The account's token version when the token was issued. */
  ver: number;
  exp: number;
}

/**
 * How many verified tokens are remembered, each until its exp: a signature check costs about as
 * much as the rest of a small request. Only signature and claims are remembered: callers still
 * look the session up on every request, so sign-out and token-version bumps take effect at once.
 */
const VERIFIED_CACHE_SIZE = 10_000;

export interface TokenService {
  signAccess(grant: { accountId: string; sessionId: string; tokenVersion: number }): Promise<{ token: string; expiresAt: Date }>;
  /** Throws on any invalid token; callers turn that into UNAUTHENTICATED. */
  verifyAccess(token: string): Promise<AccessClaims>;
}

export function createTokenService(config: Config, keys: KeyRing): TokenService {
  const verifyOptions = {
    algorithms: ['EdDSA'],
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    typ: ACCESS_TYP,
    requiredClaims: ['exp', 'iat', 'sub'],
  };
  const verified = new LRUCache<string, AccessClaims>({ max: VERIFIED_CACHE_SIZE });
  const keyFor = (header: JWTHeaderParameters) => {
    const key = header.kid ? keys.verifying.get(header.kid) : undefined;
    if (!key) throw new Error('unknown signing key');
    return key;
  };
  return {
    async signAccess({ accountId, sessionId, tokenVersion }) {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + config.ACCESS_TOKEN_TTL_SECONDS;
      const token = await new SignJWT({ sid: sessionId, ver: tokenVersion })
        .setProtectedHeader({ alg: 'EdDSA', typ: ACCESS_TYP, kid: keys.current.kid })
        .setSubject(accountId)
        .setIssuer(config.JWT_ISSUER)
        .setAudience(config.JWT_AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .sign(keys.current.privateKey);
      return { token, expiresAt: new Date(exp * 1000) };
    },
    async verifyAccess(token) {
      const cached = verified.get(token);
      if (cached && cached.exp > Math.floor(Date.now() / 1000)) return cached;
      const { payload } = await jwtVerify(token, keyFor, verifyOptions);
      if (typeof payload.ver !== 'number' || typeof payload.sid !== 'string') throw new Error('session claims missing');
      const claims = { sub: payload.sub!, sid: payload.sid, ver: payload.ver, exp: payload.exp! };
      verified.set(token, claims);
      return claims;
    },
  };
}

export const newRefreshToken = (): string => randomBytes(32).toString('base64url');
export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');

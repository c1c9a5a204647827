// Access tokens (short-lived EdDSA JWTs) and opaque refresh tokens.
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTHeaderParameters } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Config } from '../settings.js';
import type { KeyRing } from './keys.js';

const ACCESS_TYP = 'at+jwt';
/** A compact JWT's characters: nothing else is ever verified, so nothing else is ever remembered. */
const TOKEN_CHARS = /^[A-Za-z0-9_\-.]+$/;

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
 * check the session and token version on every request (server/context.ts, through the viewer
 * cache, whose entries a write to the session or account makes stale), so sign-out and
 * token-version bumps take effect at once.
 */
const VERIFIED_CACHE_SIZE = 10_000;

export interface TokenService {
  signAccess(grant: { accountId: string; sessionId: string; tokenVersion: number }): Promise<{ token: string; expiresAt: Date }>;
  /** Throws on any invalid token; callers turn that into UNAUTHENTICATED. */
  verifyAccess(token: string): Promise<AccessClaims>;
  /**
   * The claims of this exact token when this service has already verified it (signature, issuer,
   * audience, type) and it has not expired since; otherwise undefined (call verifyAccess). Only
   * tokens of a compact JWT's characters are ever verified, so only those are ever answered.
   */
  verifiedAccess(token: string): AccessClaims | undefined;
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
  const verifiedAccess = (token: string): AccessClaims | undefined => {
    const cached = verified.get(token);
    if (!cached) return undefined;
    if (cached.exp > Math.floor(Date.now() / 1000)) return cached;
    verified.delete(token);
    return undefined;
  };
  return {
    verifiedAccess,
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
      const cached = verifiedAccess(token);
      if (cached) return cached;
      if (!TOKEN_CHARS.test(token)) throw new Error('not a compact JWT');
      const { payload } = await jwtVerify(token, keyFor, verifyOptions);
      if (typeof payload.ver !== 'number' || typeof payload.sid !== 'string') throw new Error('session claims missing');
      // Frozen: the same object answers every later request with this token.
      const claims: AccessClaims = Object.freeze({ sub: payload.sub!, sid: payload.sid, ver: payload.ver, exp: payload.exp! });
      verified.set(token, claims);
      return claims;
    },
  };
}

export const newRefreshToken = (): string => randomBytes(32).toString('base64url');
export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');

// Access tokens (short-lived EdDSA JWTs) and opaque refresh tokens.
import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTHeaderParameters } from 'jose';
import type { Config } from '../config.js';
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
      const { payload } = await jwtVerify(token, keyFor, verifyOptions);
      if (typeof payload.ver !== 'number' || typeof payload.sid !== 'string') throw new Error('session claims missing');
      return { sub: payload.sub!, sid: payload.sid, ver: payload.ver, exp: payload.exp! };
    },
  };
}

export const newRefreshToken = (): string => randomBytes(32).toString('base64url');
export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');

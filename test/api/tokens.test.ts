// Access tokens that did not come from this server, or are no longer valid, are UNAUTHENTICATED.
import { exportJWK, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../services/auth/keys.js';
import { signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();
const owner = await signUpMerchant(p);
const VIEWER = '{ viewer { id } }';
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
const { config, keys } = p.deps;

/** A token signed with the platform's own key, with the given claims and header changes. */
async function platformSigned(over: { claims?: Record<string, unknown>; header?: Record<string, unknown>; exp?: number | null; iss?: string; aud?: string }) {
  const base = claimsOf(owner.accessToken);
  const jwt = new SignJWT({ sid: base.sid, ver: base.ver, ...over.claims })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: keys.current.kid, ...over.header })
    .setSubject(base.sub)
    .setIssuer(over.iss ?? config.JWT_ISSUER)
    .setAudience(over.aud ?? config.JWT_AUDIENCE)
    .setIssuedAt();
  if (over.exp !== null) jwt.setExpirationTime(over.exp ?? Math.floor(Date.now() / 1000) + 600);
  return jwt.sign(keys.current.privateKey);
}

describe('access tokens', () => {
  it('a token the platform signed is accepted (the control case)', async () => {
    const r = await p.gql(VIEWER, {}, await platformSigned({}));
    expect(r.data.viewer.id).toBe(owner.accountId);
  });

  const rejected: [string, () => Promise<string>][] = [
    ['an unsigned alg:none token', async () => new UnsecuredJWT(claimsOf(owner.accessToken)).encode()],
    ['a token signed by a foreign key under the platform kid', async () => {
      const foreign = await generateSigningKey();
      return new SignJWT(claimsOf(owner.accessToken)).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: keys.current.kid }).sign(foreign.privateKey);
    }],
    ['a token with an unknown kid', async () => {
      const foreign = await generateSigningKey();
      return new SignJWT(claimsOf(owner.accessToken)).setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: foreign.kid }).sign(foreign.privateKey);
    }],
    ['an expired token', () => platformSigned({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ['a token without exp', () => platformSigned({ exp: null })],
    ['a token for another issuer', () => platformSigned({ iss: 'someone-else' })],
    ['a token for another audience', () => platformSigned({ aud: 'another-app' })],
    ['a token of another type (an ID token)', () => platformSigned({ header: { typ: 'JWT' } })],
    ['a token from an older token version', () => platformSigned({ claims: { ver: 99 } })],
    ['a token naming another session', () => platformSigned({ claims: { sid: '01900000-0000-7000-8000-000000000000' } })],
    ['an HS256 token keyed with the platform\'s public key (algorithm confusion)', async () => {
      const publicJwk = JSON.stringify(keys.jwks.keys[0]);
      return new SignJWT(claimsOf(owner.accessToken))
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: keys.current.kid })
        .sign(new TextEncoder().encode(publicJwk));
    }],
    ['a token carrying its own key in an embedded jwk header', async () => {
      const attacker = await generateSigningKey();
      return new SignJWT(claimsOf(owner.accessToken))
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', jwk: { ...(await exportJWK(attacker.publicKey)) } })
        .sign(attacker.privateKey);
    }],
    ['a token pointing at a key URL (jku)', async () => {
      const attacker = await generateSigningKey();
      return new SignJWT(claimsOf(owner.accessToken))
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: attacker.kid, jku: 'http://127.0.0.1:9/jwks.json' })
        .sign(attacker.privateKey);
    }],
    ['a token not valid before a future time (nbf)', () => platformSigned({ claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } })],
    ['a bit-flipped signature', async () => {
      const t = owner.accessToken;
      const last = t.at(-2) === 'A' ? 'B' : 'A';
      return `${t.slice(0, -2)}${last}${t.at(-1)}`;
    }],
    ['a truncated token', async () => owner.accessToken.slice(0, owner.accessToken.lastIndexOf('.'))],
    ['garbage', async () => 'not.a.jwt'],
  ];
  for (const [label, make] of rejected) {
    it(`${label} is UNAUTHENTICATED`, async () => {
      const r = await p.gql(VIEWER, {}, await make());
      expect(codeOf(r)).toBe('UNAUTHENTICATED');
      expect(r.data ?? null).toBeNull();
    });
  }

  it('an Authorization header that is not a bearer token is UNAUTHENTICATED, not anonymous', async () => {
    const res = await (await import('supertest')).default(p.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Basic ${Buffer.from('a:b').toString('base64')}`)
      .send({ query: VIEWER });
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('key rotation and sign-in timing', () => {
  it('after a rotation, access tokens signed with the old key verify until they expire', async () => {
    const { buildKeyRing } = await import('../../services/auth/keys.js');
    const { createTokenService } = await import('../../services/auth/tokens.js');
    const rotated = await buildKeyRing(await generateSigningKey(), [keys.current.publicKey], keys.piiKey);
    const claims = await createTokenService(config, rotated).verifyAccess(owner.accessToken);
    expect(claims.sub).toBe(claimsOf(owner.accessToken).sub);
    const fresh = await createTokenService(config, rotated).signAccess({ accountId: claims.sub, sessionId: claims.sid, tokenVersion: claims.ver });
    expect(JSON.parse(Buffer.from(fresh.token.split('.')[0]!, 'base64url').toString()).kid).toBe(rotated.current.kid);
    const withoutOld = await buildKeyRing(rotated.current, [], keys.piiKey);
    await expect(createTokenService(config, withoutOld).verifyAccess(owner.accessToken)).rejects.toThrow();
  });

  it('an unknown email costs a password hash too, so timing does not tell which emails exist', async () => {
    const q = await createTestPlatform();
    const known = await signUpMerchant(q);
    const time = async (login: string) => {
      const start = performance.now();
      const r = await q.gql(`mutation($l: String!) { signIn(input: { login: $l, password: "not the password" }) { accessToken } }`, { l: login });
      expect(codeOf(r)).toBe('UNAUTHENTICATED');
      return performance.now() - start;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const knownTimes = [];
    const unknownTimes = [];
    for (let i = 0; i < 4; i++) {
      knownTimes.push(await time(known.email));
      unknownTimes.push(await time(`nobody-${i}@example.cn`));
    }
    // Loose on purpose: without the dummy hash an unknown email answers ~50x faster.
    expect(median(unknownTimes)).toBeGreaterThan(median(knownTimes) * 0.4);
  });
});

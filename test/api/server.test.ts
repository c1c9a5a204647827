// The HTTP surface: health, readiness, public keys, bodies that are not GraphQL, masked errors.
import { importJWK, jwtVerify } from 'jose';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { closeDb } from '../../db/client.js';
import { signUpMerchant } from '../factories.js';
import { createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();

describe('health and keys', () => {
  it('/healthz answers while the process is up', async () => {
    const res = await request(p.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  it('/readyz answers when the database does', async () => {
    const res = await request(p.app).get('/readyz');
    expect(res.status).toBe(200);
  });

  it('the JWKS serves the public key that verifies access tokens, and no private part', async () => {
    const owner = await signUpMerchant(p);
    const res = await request(p.app).get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const [jwk] = res.body.keys;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwk.d).toBeUndefined();
    const { payload } = await jwtVerify(owner.accessToken, await importJWK(jwk, 'EdDSA'));
    expect(payload.sub).toBeTruthy();
  });
});

describe('requests that are not GraphQL', () => {
  it('a malformed JSON body is a 400', async () => {
    const res = await request(p.app).post('/graphql').set('content-type', 'application/json').send('{"query": ');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('an empty object or list, or JSON that is not an object, is a 400 without parser internals', async () => {
    for (const body of ['{}', '[]', '"query"', '42']) {
      const res = await request(p.app).post('/graphql').set('content-type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
    }
  });

  it('a body without a query is a 400', async () => {
    const res = await request(p.app).post('/graphql').set('content-type', 'application/json').send({ nothing: true });
    expect(res.status).toBe(400);
  });

  it('a wrong content type is refused', async () => {
    const res = await request(p.app).post('/graphql').set('content-type', 'text/plain').send('{ viewer { id } }');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('unexpected errors are masked', () => {
  it('a database failure answers INTERNAL_SERVER_ERROR without SQL or a stack, and /readyz reports it', async () => {
    const broken = await createTestPlatform();
    await closeDb(broken.deps.db);
    const r = await broken.gql(
      `mutation($i: SignUpMerchantInput!) { signUpMerchant(input: $i) { accessToken } }`,
      { i: { email: 'x@example.cn', password: 'long enough pw', displayName: 'x', merchantName: 'x', category: 'sofa', city: '温州', emailCode: '123456' } },
    );
    expect(r.errors![0]!.extensions!.code).toBe('INTERNAL_SERVER_ERROR');
    const text = JSON.stringify(r.body);
    expect(text).not.toMatch(/sqlite|select|insert|database|\.ts:\d+|stack/i);
    expect((await request(broken.app).get('/readyz')).status).toBe(503);
  });
});

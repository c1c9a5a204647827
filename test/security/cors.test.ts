// CORS is an allow-list: a page on another site, signed in or not, gets no CORS answer unless its
// origin is listed in CORS_ORIGINS, and no origin is ever told it may send credentials.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { createTestPlatform } from '../fixtures.js';

const QUERY = { query: '{ __typename }' };

/** A browser's preflight and then its request, from a page at `origin`. */
async function fromPage(app: Parameters<typeof request>[0], origin: string) {
  const preflight = await request(app)
    .options('/graphql')
    .set('Origin', origin)
    .set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'authorization, content-type');
  const answer = await request(app).post('/graphql').set('Origin', origin).set('content-type', 'application/json').send(QUERY);
  return { preflight, answer };
}

describe('CORS', () => {
  it('by default no other site is allowed: an origin is never echoed, nor told it may send credentials', async () => {
    const p = await createTestPlatform();
    const { preflight, answer } = await fromPage(p.app, 'https://evil.example');
    for (const res of [preflight, answer]) {
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
    // The request itself is answered (a browser will not hand the answer to the page).
    expect(answer.body.data).toEqual({ __typename: 'Query' });
  });

  it('a listed origin is allowed, without credentials; an unlisted one still gets nothing', async () => {
    const p = await createTestPlatform({ CORS_ORIGINS: 'https://shop.example, https://admin.shop.example:8443' });
    const { preflight, answer } = await fromPage(p.app, 'https://admin.shop.example:8443');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://admin.shop.example:8443');
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(answer.headers['access-control-allow-origin']).toBe('https://admin.shop.example:8443');
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();

    // Look-alikes of a listed origin are other origins.
    for (const origin of ['https://evil.example', 'https://shop.example.evil.example', 'http://shop.example', 'null']) {
      const res = await fromPage(p.app, origin);
      expect(res.preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.answer.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('CORS_ORIGINS takes origins only: a wildcard, a path or a non-URL stops the server at start', () => {
    for (const bad of ['*', 'https://shop.example/', 'https://shop.example/app', 'shop.example']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
    }
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example,http://localhost:5173' }).CORS_ORIGINS).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(loadConfig({}).CORS_ORIGINS).toEqual([]);
  });
});

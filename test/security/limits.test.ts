// GraphQL and HTTP abuse: documents too deep, too wide or too costly run no resolver; bodies,
// content types and GET requests are checked before GraphQL sees them; production hides the schema.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { signUpMerchant } from '../factories.js';
import { createTestPlatform, type TestPlatform } from '../fixtures.js';

const p = await createTestPlatform();
const owner = await signUpMerchant(p);

/** Runs a document and reports whether any resolver touched the database. */
async function run(platform: TestPlatform, query: string, token?: string) {
  const before = platform.statements.length;
  const r = await platform.gql(query, {}, token);
  return { ...r, statements: platform.statements.length - before };
}
const rejected = (r: { errors?: { message: string; extensions?: { code?: string } }[]; statements: number }) => {
  expect(r.errors?.[0]?.message).toMatch(/asks for too much/);
  // The limits are not echoed back.
  expect(r.errors!.map((e) => e.message).join(' ')).not.toMatch(/\d/);
  expect(r.statements).toBe(0);
};

describe('document limits', () => {
  it('a document nested deeper than 8 levels is refused before any resolver runs', async () => {
    const deep = `{ viewer { merchant { offers { edges { node { communities { alliance { communities { edges { node { name } } } } } } } } } } }`;
    rejected(await run(p, deep));
    const ok = await run(p, `{ viewer { merchant { offers { edges { node { communities { name } } } } } } }`, owner.accessToken);
    expect(ok.errors).toBeUndefined();
  });

  it('fragments count the fields they hold, not a level of their own', async () => {
    const viaFragments = `{ viewer { merchant { ...Offers } } } fragment Offers on Merchant { offers { edges { node { ... on Offer { communities { name } } } } } }`;
    expect((await run(p, viaFragments, owner.accessToken)).errors).toBeUndefined();
    // Nine levels of fields are refused however they are split into fragments.
    const deep = `{ viewer { ...M } } fragment M on Viewer { merchant { offers { edges { node { ...C } } } } } fragment C on Offer { communities { alliance { communities { edges { node { name } } } } } }`;
    rejected(await run(p, deep));
  });

  it('more than 15 aliases are refused; 15 pass', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
    rejected(await run(p, aliases(16)));
    expect((await run(p, aliases(15))).errors).toBeUndefined();
  });

  it('more than 50 directives are refused', async () => {
    rejected(await run(p, `{ viewer ${'@include(if: true) '.repeat(51)} { id } }`));
  });

  it('more than 2000 tokens are refused', async () => {
    rejected(await run(p, `{ viewer { ${'id '.repeat(2100)} } }`));
  });

  it('a query whose pages multiply past the cost limit is refused with no resolver run', async () => {
    const costly = `{ alliances(first: 100) { edges { node { communities(first: 100) { edges { node { offers(first: 100) { edges { node { title } } } } } } } } } }`;
    rejected(await run(p, costly, owner.accessToken));
    const cheap = `{ alliances(first: 5) { edges { node { communities(first: 5) { edges { node { name } } } } } } }`;
    expect((await run(p, cheap, owner.accessToken)).errors).toBeUndefined();
  });

  it('the page size counts even when it comes from a variable', async () => {
    const r = await p.gql(
      `query($n: Int) { alliances(first: $n) { edges { node { communities(first: $n) { edges { node { offers(first: $n) { edges { node { title } } } } } } } } } }`,
      { n: 100 },
      owner.accessToken,
    );
    expect(r.errors?.[0]?.message).toMatch(/asks for too much/);
  });
});

describe('HTTP', () => {
  it('a body over 1 MB is 413 before parsing', async () => {
    const res = await request(p.app).post('/graphql').set('content-type', 'application/json').send({ query: `{ viewer { id } }`, padding: 'x'.repeat(1_100_000) });
    expect(res.status).toBe(413);
  });

  it('only application/json bodies are accepted', async () => {
    const res = await request(p.app).post('/graphql').set('content-type', 'application/x-www-form-urlencoded').send('query={viewer{id}}');
    expect(res.status).toBe(415);
  });

  it('a GET without the preflight header is refused (CSRF); with it, a query works and a mutation is 405', async () => {
    expect((await request(p.app).get('/graphql').query({ query: '{ viewer { id } }' }).set('accept', 'application/json')).status).toBe(400);
    const ok = await request(p.app).get('/graphql').query({ query: '{ viewer { id } }' }).set('accept', 'application/json').set('graphql-require-preflight', '1');
    expect(ok.status).toBe(200);
    const mutation = await request(p.app)
      .get('/graphql')
      .query({ query: 'mutation { signOut(refreshToken: "x") }' })
      .set('accept', 'application/json')
      .set('graphql-require-preflight', '1');
    expect(mutation.status).toBe(405);
  });

  it('batched requests are refused', async () => {
    const res = await request(p.app).post('/graphql').set('content-type', 'application/json').send([{ query: '{ viewer { id } }' }, { query: '{ viewer { id } }' }]);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('the web app is served with a strict Content-Security-Policy', async () => {
    const { webContentSecurityPolicy } = await import('../../server/http-guards.js');
    const express = (await import('express')).default;
    const app = express().use(webContentSecurityPolicy()).get('/', (_req, res) => res.send('<!doctype html>'));
    const csp = (await request(app).get('/')).headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('an execution running past the time cap is answered with an error', async () => {
    const { graphqlLimits } = await import('../../server/graphql-limits.js');
    const { createYoga, createSchema } = await import('graphql-yoga');
    const slowSchema = createSchema({
      typeDefs: 'type Query { slow: String }',
      resolvers: { Query: { slow: () => new Promise((r) => setTimeout(() => r('late'), 2_000)) } },
    });
    const yoga = createYoga({ schema: slowSchema, plugins: graphqlLimits({ ...p.deps.config, GRAPHQL_EXECUTION_TIMEOUT_MS: 100 }), logging: false });
    const started = Date.now();
    const res = await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ slow }' }) });
    const body = await res.json();
    expect(body.errors[0].message).toMatch(/took too long/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('security headers are set', async () => {
    const res = await request(p.app).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('in production', () => {
  it('introspection, field suggestions and GraphiQL are off', async () => {
    const keys = await import('../../services/auth/keys.js');
    const pair = await keys.generateSigningKey();
    const { exportPKCS8, exportSPKI } = await import('jose');
    const prod = await createTestPlatform({
      NODE_ENV: 'production',
      JWT_PRIVATE_KEY: await exportPKCS8(pair.privateKey),
      JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey),
      PII_KEY: Buffer.alloc(32, 1).toString('base64'),
      NOTIFY_WEBHOOK_URL: 'https://127.0.0.1:9/notify',
      NOTIFY_WEBHOOK_SECRET: 'x'.repeat(32),
      PUBLIC_URL: 'https://shop.example',
    });
    const introspection = await prod.gql(`{ __schema { types { name } } }`);
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await prod.gql(`{ viewr { id } }`);
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const graphiql = await request(prod.app).get('/graphql').set('accept', 'text/html');
    expect(graphiql.text).not.toMatch(/graphiql/i);
  });
});

describe('subscriptions', () => {
  it('a subscription over the cost limit is refused before the stream starts', async () => {
    const strict = await createTestPlatform({ GRAPHQL_MAX_COST: '50' });
    const merchant = await signUpMerchant(strict);
    const res = await request(strict.app)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('accept', 'application/graphql-response+json')
      .set('authorization', `Bearer ${merchant.accessToken}`)
      .send({ query: `subscription { referralUpdated { offer { interests(first: 100) { edges { node { note } } } } } }` });
    expect(res.text).toMatch(/asks for too much/);
  });
});

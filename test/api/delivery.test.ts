// How responses travel: a phone on a slow network gets GraphQL answers and the app's files
// compressed, keeps the app's hashed files for good and asks again for the shell on every visit;
// live updates are never held back by compression.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { signUpMerchant } from '../factories.js';
import { createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();

// A built web app of the test's own: a shell and a hashed script big enough to be worth compressing.
const webDist = join(p.dir, 'web-dist');
mkdirSync(join(webDist, 'assets'), { recursive: true });
const SHELL = '<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>';
writeFileSync(join(webDist, 'index.html'), SHELL);
const SCRIPT = `export const strings = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `联盟推荐 ${i}`))};\n`;
writeFileSync(join(webDist, 'assets', 'index-AbC123.js'), SCRIPT);
const app = createApp(p.deps, webDist);

// Every type's name: an answer of several kilobytes, as a real page's query is.
const BIG_QUERY = '{ __schema { types { name description } } }';

describe('compression', () => {
  it('a GraphQL answer comes brotli-compressed to a client that accepts it, and gzip-compressed to one that accepts only gzip', async () => {
    const br = await request(app).post('/graphql').set('accept-encoding', 'br').send({ query: BIG_QUERY });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);

    const gzip = await request(app).post('/graphql').set('accept-encoding', 'gzip').send({ query: BIG_QUERY });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    // supertest unzips it: the answer is intact.
    expect(gzip.body.data.__schema.types.length).toBeGreaterThan(20);

    const plain = await request(app).post('/graphql').set('accept-encoding', 'identity').send({ query: BIG_QUERY });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBeGreaterThan(1024);
  });

  it("the app's script comes compressed", async () => {
    const res = await request(app).get('/assets/index-AbC123.js').set('accept-encoding', 'br, gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
  });

  it('a live update stream is not compressed: its first frame arrives at once, before any event', async () => {
    const shop = await signUpMerchant(p);
    const server = createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const controller = new AbortController();
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, {
        method: 'POST',
        headers: { accept: 'text/event-stream', 'accept-encoding': 'br, gzip', 'content-type': 'application/json', authorization: `Bearer ${shop.accessToken}` },
        body: JSON.stringify({ query: 'subscription { referralUpdated { id } }' }),
        signal: controller.signal,
      });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      // Yoga marks the stream `Content-Encoding: none` so that proxies leave it alone too.
      expect(res.headers.get('content-encoding') ?? 'none').toBe('none');
      // The keep-alive comment the server writes when the stream opens.
      const first = await res.body!.getReader().read();
      expect(new TextDecoder().decode(first.value)).toMatch(/^:/);
    } finally {
      controller.abort();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('caching of the web app', () => {
  it('hashed files under /assets are kept for a year as immutable', async () => {
    const res = await request(app).get('/assets/index-AbC123.js');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.text).toBe(SCRIPT);
  });

  it('a missing /assets file is a 404, never the app shell (an old page asking for a file a deploy removed must fail clearly)', async () => {
    const res = await request(app).get('/assets/index-Old999.js');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).not.toMatch(/html/);
    expect(res.text).not.toContain('<div id="root">');
  });

  it('the shell is revalidated on every visit, at / and at any client-side route', async () => {
    for (const path of ['/', '/index.html', '/merchant/customers', '/customer/shops']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type'], path).toMatch(/html/);
      expect(res.headers['cache-control'], path).toBe('no-cache');
      expect(res.text, path).toBe(SHELL);
    }
  });
});


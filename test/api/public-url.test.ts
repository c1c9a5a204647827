// The server's public address: in development it is where the server listens (any PORT, a HOST
// given by IP), posters work at whatever address the page was opened, and links that leave the
// page (email, SMS, QR codes) never take a host from the request, which the client writes.
import sharp from 'sharp';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { signUpMerchant } from '../factories.js';
import { createTestPlatform } from '../fixtures.js';

// The sign-up code was just sent: the sign-in notice may follow a second later.
const p = await createTestPlatform({ PORT: '4123', CODE_RESEND_SECONDS: '1' });

describe('PUBLIC_URL when it is not set', () => {
  it('is the address the server listens on: any port, a given host or IP, localhost for every interface', () => {
    expect(loadConfig({ PORT: '4123' }).PUBLIC_URL).toBe('http://localhost:4123');
    expect(loadConfig({ HOST: '192.168.1.20', PORT: '8080' }).PUBLIC_URL).toBe('http://192.168.1.20:8080');
    expect(loadConfig({ HOST: '::1', PORT: '8080' }).PUBLIC_URL).toBe('http://[::1]:8080');
    expect(loadConfig({ HOST: '::' }).PUBLIC_URL).toBe('http://localhost:4000');
    expect(loadConfig({ PUBLIC_URL: 'https://shop.example', PORT: '4123' }).PUBLIC_URL).toBe('https://shop.example');
  });
});

describe('links on a page opened at another address', () => {
  it("a poster's URLs are paths on this server, served whatever Host the page was opened at", async () => {
    const shop = await signUpMerchant(p);
    const image = await sharp({ create: { width: 600, height: 800, channels: 3, background: '#c84' } }).jpeg().toBuffer();
    const uploaded = await request(p.app).post('/media').set('authorization', `Bearer ${shop.accessToken}`).set('host', '192.168.1.20:4123').send(image);
    expect(uploaded.status).toBe(201);
    for (const url of [uploaded.body.data.url, uploaded.body.data.thumbnailUrl]) {
      expect(url).toMatch(/^\/media\//);
      for (const host of ['192.168.1.20:4123', 'shop.lan', 'localhost:4123']) {
        const served = await request(p.app).get(url).set('host', host);
        expect(served.status, `${url} at ${host}`).toBe(200);
        expect(served.headers['content-type']).toBe('image/webp');
      }
    }
  });

  it('an emailed sign-in link is made from the listening address, never from the Host a client sent', async () => {
    const shop = await signUpMerchant(p);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const res = await request(p.app)
      .post('/graphql')
      .set('host', 'phish.example')
      .set('x-forwarded-host', 'phish.example')
      .send({ query: `mutation($e: String!) { sendSignUpCode(email: $e) { resendAfter } }`, variables: { e: shop.email } });
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    const notice = p.sent.findLast((m) => m.to === shop.email && m.kind === 'ACCOUNT_EXISTS');
    expect(notice && notice.kind === 'ACCOUNT_EXISTS' && notice.link).toBe('http://localhost:4123/signin');
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { encodeGlobalID } from '@pothos/plugin-relay';
import sharp from 'sharp';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { addStaff, allianceWithCommunity, inDays, postOffer, signUpMerchant, type MerchantSession } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim } from '../story.js';

const p = await createTestPlatform();

const MB = 1024 * 1024;
const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

const upload = (bytes: Buffer | string, token?: string, contentType = 'image/jpeg') => {
  let req = request(p.app).post('/media').set('content-type', contentType);
  if (token) req = req.set('authorization', `Bearer ${token}`);
  return req.send(bytes);
};

/** An image the way a browser would receive it: the bytes and the headers. */
const fetchImage = (url: string) =>
  request(p.app)
    .get(url)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

const photo = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 190, g: 120, b: 70 } } });

/** A valid 1-bit grayscale PNG of any size: all-black rows deflate to almost nothing. */
function blackPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // grayscale
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const OFFER_POSTER = `mutation($input: SetOfferPosterInput!) { setOfferPoster(input: $input) { id poster { id url thumbnailUrl width height } } }`;
const CAMPAIGN_POSTER = `mutation($input: SetCampaignPosterInput!) { setCampaignPoster(input: $input) { id poster { id url width height } } }`;
const OFFER = `query($id: ID!) { offer(id: $id) { poster { id url thumbnailUrl width height } } }`;
const CAMPAIGN = `query($id: ID!) { campaign(id: $id) { poster { id url } } }`;

async function uploaded(merchant: { accessToken: string }, image: Buffer) {
  const res = await upload(image, merchant.accessToken);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; url: string; thumbnailUrl: string; width: number; height: number };
}

describe('a merchant uploads a poster', () => {
  it('JPEG, PNG and WebP come back as WebP renditions for display and thumbnails, named by their content hash', async () => {
    const shop = await signUpMerchant(p, { merchantName: '舒适沙发馆' });
    const cases = [
      { image: await photo(2400, 1600).jpeg().toBuffer(), display: [1080, 720], thumb: [320, 213] },
      { image: await photo(800, 1200).png().toBuffer(), display: [800, 1200], thumb: [213, 320] },
      { image: await photo(1080, 2400).webp().toBuffer(), display: [864, 1920], thumb: [144, 320] },
    ];
    for (const c of cases) {
      // The declared type is not what decides: every file is sent as application/octet-stream.
      const res = await upload(c.image, shop.accessToken, 'application/octet-stream');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const media = res.body.data;
      expect(Buffer.from(media.id, 'base64').toString()).toMatch(/^Media:[0-9a-f-]{36}$/);
      expect([media.width, media.height]).toEqual(c.display);
      for (const [url, size] of [
        [media.url, c.display],
        [media.thumbnailUrl, c.thumb],
      ] as const) {
        // A path on this server: it works whatever address the page was opened at.
        expect(url).toMatch(/^\/media\/posters\/[0-9a-f]{64}-(display|thumb)\.webp$/);
        const served = await fetchImage(url);
        expect(served.status).toBe(200);
        expect(served.headers['content-type']).toBe('image/webp');
        expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(served.headers['x-content-type-options']).toBe('nosniff');
        // The name is the hash of what is served: a URL can never show something else.
        const hash = /posters\/([0-9a-f]{64})-/.exec(url)![1];
        expect(createHash('sha256').update(served.body as Buffer).digest('hex')).toBe(hash);
        const meta = await sharp(served.body as Buffer).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['webp', ...size]);
      }
    }
    // The uploader's merchant owns what it uploaded; the files are in the platform's media directory.
    const rows = await p.sql<{ id: string; display_key: string; hash: string }>(`select id, display_key, hash from media where merchant_id = ?`, localId(shop.merchantId));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.display_key).toBe(`posters/${row.hash}-display.webp`);
      expect(existsSync(join(p.dir, 'media', row.display_key))).toBe(true);
    }
  });

  it('a photo is turned upright by its EXIF orientation', async () => {
    const shop = await signUpMerchant(p);
    const sideways = await photo(400, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const media = await uploaded(shop, sideways);
    expect([media.width, media.height]).toEqual([200, 400]);
  });

  it('a JPEG carrying GPS coordinates and the camera owner\'s name loses them in both renditions', async () => {
    const shop = await signUpMerchant(p);
    const tagged = await photo(1600, 1200)
      .jpeg()
      .withExif({
        IFD0: { Artist: 'Zhao Yaqin', Copyright: 'Zhao Yaqin' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 15/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '120/1 10/1 0/1' },
      })
      .toBuffer();
    // The upload really carries them: the owner's name, and the GPS IFD pointer (tag 0x8825, little-endian).
    const exif = (await sharp(tagged).metadata()).exif!;
    expect(exif.includes('Zhao Yaqin')).toBe(true);
    expect(exif.includes(Buffer.from([0x25, 0x88]))).toBe(true);

    const media = await uploaded(shop, tagged);
    for (const url of [media.url, media.thumbnailUrl]) {
      const bytes = (await fetchImage(url)).body as Buffer;
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      // Nor hidden anywhere else in the file: no EXIF chunk, no trace of the name.
      expect(bytes.includes('EXIF')).toBe(false);
      expect(bytes.includes('Exif')).toBe(false);
      expect(bytes.includes('Zhao Yaqin')).toBe(false);
    }
  });
});

describe('what an upload refuses', () => {
  it('a body over 10 MB is refused with 413 BAD_USER_INPUT, and nothing is kept', async () => {
    const shop = await signUpMerchant(p);
    const before = await p.sql(`select id from media`);
    const res = await upload(Buffer.alloc(11 * MB, 0xff), shop.accessToken);
    expect(res.status).toBe(413);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toBe('The image is larger than 10 MB.');
    expect(await p.sql(`select id from media`)).toHaveLength(before.length);
  });

  it('a text file named and typed as a JPEG, a GIF, an SVG, an empty body and a damaged JPEG are BAD_USER_INPUT', async () => {
    const shop = await signUpMerchant(p);
    const gif = await photo(40, 40).gif().toBuffer();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>';
    for (const [body, type] of [
      ['客户名单：赵雅琴 13912345678', 'image/jpeg'],
      [gif, 'image/png'],
      [svg, 'image/webp'],
    ] as const) {
      const res = await upload(body, shop.accessToken, type).set('content-disposition', 'attachment; filename="poster.jpg"');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: [{ message: 'Upload a JPEG, PNG or WebP image.', extensions: { code: 'BAD_USER_INPUT', field: 'file' } }] });
    }
    const empty = await upload(Buffer.alloc(0), shop.accessToken);
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // A JPEG cut off half-way (a broken transfer) says what is wrong, not how the decoder failed.
    const jpeg = await photo(600, 400).jpeg().toBuffer();
    const cut = await upload(jpeg.subarray(0, jpeg.length / 2), shop.accessToken);
    expect(cut.status).toBe(400);
    expect(cut.body).toEqual({ errors: [{ message: 'The image could not be read: the file is damaged.', extensions: { code: 'BAD_USER_INPUT', field: 'file' } }] });
  });

  it('a small file declaring more than 40 megapixels (a decompression bomb) is refused before it is decoded', async () => {
    const shop = await signUpMerchant(p);
    const bomb = blackPng(7000, 7000);
    expect(bomb.length).toBeLessThan(100_000);
    const res = await upload(bomb, shop.accessToken);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toMatch(/40 megapixels/);
    // The same kind of file at a sane size is a poster like any other.
    expect((await uploaded(shop, blackPng(1000, 1000))).width).toBe(1000);
  });

  it('only merchant staff upload: anonymous is UNAUTHENTICATED, a customer FORBIDDEN, a forged token UNAUTHENTICATED', async () => {
    const shop = await signUpMerchant(p);
    const image = await photo(100, 100).jpeg().toBuffer();
    const anonymous = await upload(image);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await upload(image, `${shop.accessToken.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const customerToken = await claim(p, (await addCustomer(p, shop)).inviteCode);
    const customer = await upload(image, customerToken);
    expect(customer.status).toBe(403);
    expect(customer.body.errors[0].extensions.code).toBe('FORBIDDEN');
    // Staff without permission to read contacts may still post marketing material.
    const staff = await addStaff(p, shop, false);
    expect((await upload(image, staff.accessToken)).status).toBe(201);
  });

  it('an account uploads at most 30 posters in 15 minutes', async () => {
    const shop = await signUpMerchant(p);
    const image = await photo(16, 16).png().toBuffer();
    for (let i = 0; i < 30; i++) expect((await upload(image, shop.accessToken)).status).toBe(201);
    const res = await upload(image, shop.accessToken);
    expect(res.status).toBe(429);
    expect(res.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another account of the same platform is not held back.
    expect((await upload(image, (await signUpMerchant(p)).accessToken)).status).toBe(201);
  });

  it('a key that is unknown, or names a path outside the store, is 404', async () => {
    for (const path of ['/media/posters/' + '0'.repeat(64) + '-display.webp', '/media/..%2Ftest.db', '/media/%2E%2E/test.db', '/media/posters']) {
      const res = await request(p.app).get(path);
      expect(res.status, path).toBe(404);
      expect(res.body.errors[0].extensions.code, path).toBe('NOT_FOUND');
    }
  });
});

describe('posters on offers and campaigns', () => {
  /** Two shops of one alliance and a customer in its community; a third shop elsewhere. */
  async function cast() {
    const sofa = await signUpMerchant(p, { merchantName: '舒适沙发馆' });
    const curtain = await signUpMerchant(p, { merchantName: '雅居窗帘', category: 'curtains' });
    const outsider = await signUpMerchant(p, { merchantName: '外地灯饰', category: 'lighting' });
    const { allianceId, communityId } = await allianceWithCommunity(p, sofa, [curtain]);
    const customerToken = await claim(p, (await addCustomer(p, sofa)).inviteCode);
    const joined = await p.gql(`mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: communityId }, customerToken);
    expect(joined.errors).toBeUndefined();
    const offerId = await postOffer(p, sofa, [communityId]);
    return { sofa, curtain, outsider, allianceId, communityId, customerToken, offerId };
  }

  it('the offering merchant sets its poster; members of the community see it, an outsider sees no offer at all', async () => {
    const { sofa, curtain, outsider, customerToken, offerId } = await cast();
    const staff = await addStaff(p, sofa, false);
    const media = await uploaded(staff, await photo(1200, 1600).jpeg().toBuffer());
    const set = await p.gql(OFFER_POSTER, { input: { offerId, mediaId: media.id } }, staff.accessToken);
    expect(set.errors).toBeUndefined();
    expect(set.data.setOfferPoster.poster).toEqual(media);
    for (const token of [sofa.accessToken, curtain.accessToken, customerToken]) {
      const r = await p.gql(OFFER, { id: offerId }, token);
      expect(r.data.offer.poster).toEqual(media);
    }
    expect((await p.gql(OFFER, { id: offerId }, outsider.accessToken)).data.offer).toBeNull();
    expect((await p.gql(OFFER, { id: offerId })).data.offer).toBeNull();
    // The poster is served to anyone holding its URL: posters are public marketing material.
    expect((await fetchImage(media.url)).status).toBe(200);

    const removed = await p.gql(OFFER_POSTER, { input: { offerId, mediaId: null } }, sofa.accessToken);
    expect(removed.data.setOfferPoster.poster).toBeNull();
  });

  it('another merchant\'s media is NOT_FOUND, the same answer as an unknown id; another merchant\'s offer is FORBIDDEN', async () => {
    const { sofa, curtain, customerToken, offerId, communityId } = await cast();
    const curtainMedia = await uploaded(curtain, await photo(300, 300).png().toBuffer());
    const sofaMedia = await uploaded(sofa, await photo(300, 300).png().toBuffer());
    const stolen = await p.gql(OFFER_POSTER, { input: { offerId, mediaId: curtainMedia.id } }, sofa.accessToken);
    const unknown = await p.gql(OFFER_POSTER, { input: { offerId, mediaId: encodeGlobalID('Media', randomUUID()) } }, sofa.accessToken);
    expect(codeOf(stolen)).toBe('NOT_FOUND');
    expect(stolen.errors).toEqual(unknown.errors);
    const curtainOffer = await postOffer(p, curtain, [communityId], { category: 'curtains' });
    expect(codeOf(await p.gql(OFFER_POSTER, { input: { offerId: curtainOffer, mediaId: sofaMedia.id } }, sofa.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(OFFER_POSTER, { input: { offerId, mediaId: sofaMedia.id } }, customerToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(OFFER_POSTER, { input: { offerId, mediaId: sofaMedia.id } }))).toBe('UNAUTHENTICATED');
    // Nothing was attached by any of these.
    expect((await p.gql(OFFER, { id: offerId }, sofa.accessToken)).data.offer.poster).toBeNull();
    expect((await p.gql(OFFER, { id: curtainOffer }, curtain.accessToken)).data.offer.poster).toBeNull();
  });

  it('the organizer sets its campaign\'s poster, which the alliance\'s members see; a partner may not, an outsider sees no campaign', async () => {
    const { sofa, curtain, outsider, allianceId, communityId } = await cast();
    const created = await p.gql(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      { input: { allianceId, title: '新房季联合优惠', description: '', startsAt: inDays(0), endsAt: inDays(30), budget: 100_000, expectedResponses: 10, communityIds: [communityId] } },
      sofa.accessToken,
    );
    const campaignId = created.data.createCampaign.id as string;
    const accepted = await acceptInvitation(sofa, curtain, campaignId);
    expect(accepted.errors).toBeUndefined();
    const poster = await uploaded(sofa, await photo(1080, 1920).webp().toBuffer());
    const set = await p.gql(CAMPAIGN_POSTER, { input: { campaignId, mediaId: poster.id } }, sofa.accessToken);
    expect(set.errors).toBeUndefined();
    expect(set.data.setCampaignPoster.poster).toEqual({ id: poster.id, url: poster.url, width: 1080, height: 1920 });
    expect((await p.gql(CAMPAIGN, { id: campaignId }, curtain.accessToken)).data.campaign.poster).toEqual({ id: poster.id, url: poster.url });
    expect((await p.gql(CAMPAIGN, { id: campaignId }, outsider.accessToken)).data.campaign).toBeNull();

    const partnerMedia = await uploaded(curtain, await photo(200, 200).jpeg().toBuffer());
    expect(codeOf(await p.gql(CAMPAIGN_POSTER, { input: { campaignId, mediaId: partnerMedia.id } }, curtain.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(CAMPAIGN_POSTER, { input: { campaignId, mediaId: partnerMedia.id } }, sofa.accessToken))).toBe('NOT_FOUND');
    expect((await p.gql(CAMPAIGN, { id: campaignId }, sofa.accessToken)).data.campaign.poster.id).toBe(poster.id);
    const removed = await p.gql(CAMPAIGN_POSTER, { input: { campaignId, mediaId: null } }, sofa.accessToken);
    expect(removed.data.setCampaignPoster.poster).toBeNull();
  });
});

async function acceptInvitation(organizer: MerchantSession, partner: MerchantSession, campaignId: string) {
  await p.gql(`mutation($c: ID!, $m: [ID!]!) { inviteToCampaign(campaignId: $c, merchantIds: $m) { id } }`, { c: campaignId, m: [partner.merchantId] }, organizer.accessToken);
  return p.gql(`mutation($c: ID!) { respondToCampaignInvite(campaignId: $c, accept: true) { id } }`, { c: campaignId }, partner.accessToken);
}

// Share posters: a merchant makes a channel for the group it posts in, saves the poster, and sees
// how many scanned its QR code and visited, per channel and per community. Nothing about who
// scanned is kept.
import jsqr from 'jsqr';
import sharp from 'sharp';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { allianceWithCommunity, createCampaign, createCommunity, joinCommunity, postOffer, signUpMerchant, type MerchantSession } from '../factories.js';
import { codeOf, createTestPlatform, onPostgres, type TestPlatform } from '../fixtures.js';

const p = await createTestPlatform();
const PUBLIC_URL = p.deps.config.PUBLIC_URL;
// What a phone in WeChat sends: it must not end up stored.
const USER_AGENT = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0.47 NetType/WIFI';

const CHANNEL_FIELDS = 'id code label link posterUrl scans visits community { id }';
const CREATE = `mutation($input: CreateShareChannelInput!) { createShareChannel(input: $input) { ${CHANNEL_FIELDS} } }`;
const VISIT = `mutation($code: String!) { recordShareVisit(code: $code) }`;
const OFFER_CHANNELS = `query($o: ID!) { offer(id: $o) { shareChannels { edges { node { ${CHANNEL_FIELDS} } } } } }`;
const CAMPAIGN_SHARES = `query($c: ID!) { campaign(id: $c) { shareChannels { edges { node { ${CHANNEL_FIELDS} } } } shareStats { community { id } scans visits } } }`;

const scan = (pf: TestPlatform, code: string) => request(pf.app).get(`/s/${code}`).set('user-agent', USER_AGENT).redirects(0);
const countRows = async () => (await p.sql<{ n: number }>('select count(*) as n from share_counts'))[0]!.n;

/** The shop posts an offer in its community; an alliance partner is invited into its campaign. */
async function shop() {
  const merchant = await signUpMerchant(p, { merchantName: '舒适沙发馆' });
  const partner = await signUpMerchant(p, { merchantName: '雅居窗帘', category: 'curtains' });
  const bystander = await signUpMerchant(p, { merchantName: '明亮灯饰', category: 'lighting' });
  const { allianceId, communityId } = await allianceWithCommunity(p, merchant, [partner, bystander]);
  const offerId = await postOffer(p, merchant, [communityId], { title: '真皮沙发限时八折' });
  return { merchant, partner, bystander, allianceId, communityId, offerId };
}

async function channel(m: MerchantSession, input: Record<string, unknown>) {
  const r = await p.gql(CREATE, { input: { label: '阳光花园业主群', ...input } }, m.accessToken);
  expect(r.errors).toBeUndefined();
  return r.data.createShareChannel as { id: string; code: string; link: string; posterUrl: string; scans: number; visits: number; community: { id: string } | null };
}

/** The poster as a phone saves it, and what its QR code reads. */
async function poster(path: string) {
  const res = await request(p.app).get(path).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  const { data, info } = await sharp(res.body as Buffer).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  // jsqr is CommonJS: its function is also its own `default`, which is how TypeScript types it.
  const qr = jsqr.default(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
  return { res, info, qr: qr?.data, pixel: (x: number, y: number) => [...data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 3)] };
}

describe('share channels', () => {
  it('a merchant makes a channel for its offer in a community it is published in; its poster carries the channel link', async () => {
    const { merchant, communityId, offerId } = await shop();
    const created = await channel(merchant, { offerId, communityId });
    expect(created.code).toMatch(/^[a-z2-9]{10}$/);
    expect(created).toMatchObject({ link: `${PUBLIC_URL}/s/${created.code}`, posterUrl: `/share/${created.code}/poster.png`, scans: 0, visits: 0, community: { id: communityId } });
    // Codes are random: a second channel gets another.
    expect((await channel(merchant, { offerId })).code).not.toBe(created.code);

    const { res, info, qr } = await poster(created.posterUrl);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="poster-${created.code}.png"`);
    expect([info.width, info.height]).toEqual([750, 1334]);
    expect(qr).toBe(created.link);
    expect((await request(p.app).get('/share/abcdefghij/poster.png')).status).toBe(404);
  });

  it('the poster shows the uploaded poster image, or a plain panel without one', async () => {
    const { merchant, offerId } = await shop();
    const { code } = await channel(merchant, { offerId });
    const plain = await poster(`/share/${code}/poster.png`);
    const blue = await sharp({ create: { width: 900, height: 900, channels: 3, background: '#1040c0' } }).png().toBuffer();
    const upload = await request(p.app).post('/media').set('authorization', `Bearer ${merchant.accessToken}`).set('content-type', 'image/png').send(blue);
    expect(upload.status).toBe(201);
    const set = await p.gql(`mutation($o: ID!, $m: ID) { setOfferPoster(input: { offerId: $o, mediaId: $m }) { id } }`, { o: offerId, m: upload.body.data.id }, merchant.accessToken);
    expect(set.errors).toBeUndefined();
    const withImage = await poster(`/share/${code}/poster.png`);
    const [r, g, b] = withImage.pixel(375, 300);
    expect(b).toBeGreaterThan(150);
    expect(r).toBeLessThan(60);
    expect(g).toBeLessThan(100);
    expect(plain.pixel(375, 300)).not.toEqual(withImage.pixel(375, 300));
    expect(withImage.qr).toBe(`${PUBLIC_URL}/s/${code}`);
  });

  it('campaign participants make channels for the campaign; merchants outside it, or for a foreign community, cannot', async () => {
    const { merchant, partner, bystander, allianceId, communityId, offerId } = await shop();
    const elsewhere = await createCommunity(p, merchant, allianceId);
    await joinCommunity(p, merchant, elsewhere);
    const campaignId = await createCampaign(p, merchant, allianceId, [communityId], [partner]);
    const outsider = await signUpMerchant(p);
    await allianceWithCommunity(p, outsider);

    const made = await channel(partner, { campaignId, communityId });
    expect(made.community).toEqual({ id: communityId });
    for (const m of [bystander, outsider]) expect(codeOf(await p.gql(CREATE, { input: { campaignId, label: '群' } }, m.accessToken))).toBe('FORBIDDEN');
    // Someone else's offer, even a campaign partner's.
    expect(codeOf(await p.gql(CREATE, { input: { offerId, label: '群' } }, partner.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(CREATE, { input: { offerId, label: '群' } }))).toBe('UNAUTHENTICATED');
    const foreign = await p.gql(CREATE, { input: { campaignId, communityId: elsewhere, label: '群' } }, merchant.accessToken);
    expect(codeOf(foreign)).toBe('BAD_USER_INPUT');
    expect(foreign.errors![0]!.extensions!.field).toBe('communityId');
    const offerForeign = await p.gql(CREATE, { input: { offerId, communityId: elsewhere, label: '群' } }, merchant.accessToken);
    expect(offerForeign.errors![0]!.extensions!.field).toBe('communityId');
    for (const input of [{ offerId, campaignId }, {}]) expect(codeOf(await p.gql(CREATE, { input: { ...input, label: '群' } }, merchant.accessToken))).toBe('BAD_USER_INPUT');

    // The campaign's channels are listed for its participants, not for other alliance members.
    const listed = await p.gql(CAMPAIGN_SHARES, { c: campaignId }, merchant.accessToken);
    expect(listed.data.campaign.shareChannels.edges.map((e: any) => e.node.id)).toEqual([made.id]);
    expect(codeOf(await p.gql(CAMPAIGN_SHARES, { c: campaignId }, bystander.accessToken))).toBe('FORBIDDEN');
    const hidden = await p.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: made.id }, bystander.accessToken);
    expect(hidden.data?.node ?? null).toBeNull();
    expect(codeOf(await p.gql(OFFER_CHANNELS, { o: offerId }, partner.accessToken))).toBe('FORBIDDEN');
  });
});

describe('counting scans and visits', () => {
  it('each scan is counted and sent on to the channel\'s public page; an unknown code counts nothing', async () => {
    const { merchant, offerId } = await shop();
    const { code } = await channel(merchant, { offerId });
    for (let i = 0; i < 2; i++) {
      const res = await scan(p, code);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe(`/shared/${code}`);
    }
    const before = await countRows();
    for (const unknown of ['abcdefghij', 'nope', '..%2F..%2Fetc', "x'or'1'='1"]) {
      const res = await scan(p, unknown);
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/');
    }
    expect(await countRows()).toBe(before);
    const listed = await p.gql(OFFER_CHANNELS, { o: offerId }, merchant.accessToken);
    expect(listed.data.offer.shareChannels.edges[0].node).toMatchObject({ code, scans: 2, visits: 0 });
  });

  it('a visit is counted for anyone, signed in or not; an unknown code counts nothing', async () => {
    const { merchant, partner, allianceId, communityId } = await shop();
    const campaignId = await createCampaign(p, merchant, allianceId, [communityId], [partner]);
    const { code } = await channel(partner, { campaignId });
    const res = await scan(p, code);
    expect(res.headers.location).toBe(`/shared/${code}`);
    expect((await p.gql(VISIT, { code })).data.recordShareVisit).toBe(true);
    expect((await p.gql(VISIT, { code }, merchant.accessToken)).data.recordShareVisit).toBe(true);
    const before = await countRows();
    expect((await p.gql(VISIT, { code: 'abcdefghij' })).data.recordShareVisit).toBe(false);
    expect(await countRows()).toBe(before);
    const listed = await p.gql(CAMPAIGN_SHARES, { c: campaignId }, merchant.accessToken);
    expect(listed.data.campaign.shareChannels.edges[0].node).toMatchObject({ scans: 1, visits: 2 });
  });

  it('the stored counts are a channel, a UTC day and two numbers: no address, account or user agent', async () => {
    const { merchant, offerId } = await shop();
    const { id, code } = await channel(merchant, { offerId });
    await scan(p, code);
    await request(p.app).post('/graphql').set('content-type', 'application/json').set('user-agent', USER_AGENT).send({ query: VISIT, variables: { code } });
    const columns = onPostgres
      ? await p.sql<{ name: string }>(`select column_name as name from information_schema.columns where table_schema = current_schema() and table_name = 'share_counts' order by column_name`)
      : await p.sql<{ name: string }>(`select name from pragma_table_info('share_counts') order by name`);
    expect(columns.map((c) => c.name)).toEqual(['channel_id', 'day', 'scans', 'visits']);
    const channelId = Buffer.from(id, 'base64').toString().split(':')[1]!;
    const rows = await p.sql('select * from share_counts where channel_id = ?', channelId);
    expect(rows.map((r) => ({ ...r, scans: Number(r.scans), visits: Number(r.visits) }))).toEqual([{ channel_id: channelId, day: new Date().toISOString().slice(0, 10), scans: 1, visits: 1 }]);
    // Nor does the channel row learn anything from its visitors.
    const stored = JSON.stringify(await p.sql('select * from share_channels where id = ?', channelId));
    for (const trace of ['127.0.0.1', 'MicroMessenger', 'iPhone']) expect(stored).not.toContain(trace);
  });

  it('one address cannot inflate the counts: past its limit a visit is RATE_LIMITED and a scan goes uncounted', async () => {
    const limited = await createTestPlatform({ SHARE_COUNTS_PER_IP_PER_HOUR: '3' });
    const m = await signUpMerchant(limited);
    const { communityId } = await allianceWithCommunity(limited, m);
    const offerId = await postOffer(limited, m, [communityId]);
    const made = await limited.gql(CREATE, { input: { offerId, label: '群' } }, m.accessToken);
    const { code } = made.data.createShareChannel;
    for (let i = 0; i < 2; i++) expect((await limited.gql(VISIT, { code })).data.recordShareVisit).toBe(true);
    expect((await scan(limited, code)).status).toBe(302);
    const refused = await limited.gql(VISIT, { code });
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    const uncounted = await scan(limited, code);
    expect([uncounted.status, uncounted.headers.location]).toEqual([302, `/shared/${code}`]);
    const listed = await limited.gql(OFFER_CHANNELS, { o: offerId }, m.accessToken);
    expect(listed.data.offer.shareChannels.edges[0].node).toMatchObject({ scans: 1, visits: 2 });
  });
});

describe('the campaign funnel', () => {
  it('participants see scans and visits summed per community, most scanned first', async () => {
    const { merchant, partner, bystander, allianceId, communityId } = await shop();
    const second = await createCommunity(p, merchant, allianceId);
    await joinCommunity(p, merchant, second);
    const campaignId = await createCampaign(p, merchant, allianceId, [communityId, second], [partner]);
    const first = [await channel(merchant, { campaignId, communityId }), await channel(partner, { campaignId, communityId, label: '窗帘客户群' })];
    const other = await channel(merchant, { campaignId, communityId: second });
    const anywhere = await channel(partner, { campaignId, label: '朋友圈' });
    // An offer's channel is not the campaign's.
    const { code: offerCode } = await channel(merchant, { offerId: await postOffer(p, merchant, [communityId]) });
    // A channel made for one of the campaign's own offers is the campaign's too.
    const campaignOffer = await postOffer(p, merchant, [communityId]);
    const added = await p.gql(`mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: campaignId, o: campaignOffer }, merchant.accessToken);
    expect(added.errors).toBeUndefined();
    const ofCampaignOffer = await channel(merchant, { offerId: campaignOffer, communityId });
    for (const code of [first[0]!.code, first[0]!.code, first[1]!.code, other.code, offerCode, ofCampaignOffer.code]) await scan(p, code);
    for (const code of [first[1]!.code, other.code, other.code, anywhere.code, ofCampaignOffer.code]) await p.gql(VISIT, { code });

    const r = await p.gql(CAMPAIGN_SHARES, { c: campaignId }, partner.accessToken);
    expect(r.data.campaign.shareStats).toEqual([
      { community: { id: communityId }, scans: 4, visits: 2 },
      { community: { id: second }, scans: 1, visits: 2 },
      { community: null, scans: 0, visits: 1 },
    ]);
    // They head the campaign's funnel, summed.
    const stats = await p.gql(`query($c: ID!) { campaign(id: $c) { stats { scans visits } } }`, { c: campaignId }, partner.accessToken);
    expect(stats.data.campaign.stats).toEqual({ scans: 5, visits: 5 });
    expect(codeOf(await p.gql(`query($c: ID!) { campaign(id: $c) { shareStats { scans } } }`, { c: campaignId }, bystander.accessToken))).toBe('FORBIDDEN');
  });
});

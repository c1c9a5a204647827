// A share channel's public page: someone in a WeChat group scans the poster, signed in or not, and
// reads what the merchant chose to share (public marketing information, nothing else) through the
// channel's code. The share poster is drawn once and then read from storage, and one address
// cannot have posters drawn without end.
import sharp from 'sharp';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allianceWithCommunity, createCampaign, createCommunity, postOffer, signUpMerchant, type MerchantSession } from '../factories.js';
import { codeOf, createTestPlatform, type TestPlatform } from '../fixtures.js';
import { addCustomer, claim } from '../story.js';
import * as poster from '../../services/share/poster.js';

// The renderer, watched: a poster served from storage must not be drawn again.
vi.mock('../../services/share/poster.js', async (original) => {
  const actual = await original<typeof import('../../services/share/poster.js')>();
  return { ...actual, renderPoster: vi.fn(actual.renderPoster) };
});
const renderPoster = vi.mocked(poster.renderPoster);
afterEach(() => renderPoster.mockClear());

const p = await createTestPlatform();

const CREATE = `mutation($input: CreateShareChannelInput!) { createShareChannel(input: $input) { code } }`;
const SHARED_FIELDS = 'kind title body merchantName startsAt endsAt poster { url thumbnailUrl width height } links { kind title url startsAt endsAt isLive }';
const SHARED = `query($code: String!) { sharedContent(code: $code) { ${SHARED_FIELDS} } }`;
const COMMUNITIES = `query($code: String!) { sharedContent(code: $code) { viewerCommunities { id name } } }`;
const ADD_LINK = `mutation($input: AddCampaignLinkInput!) { addCampaignLink(input: $input) { id } }`;
const JOIN = `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`;

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

async function channel(pf: TestPlatform, m: MerchantSession, input: Record<string, unknown>): Promise<string> {
  const r = await pf.gql(CREATE, { input: { label: '阳光花园业主群', ...input } }, m.accessToken);
  expect(r.errors).toBeUndefined();
  return r.data.createShareChannel.code;
}

/** A sofa shop posts an offer in its community and organises a campaign with a curtain shop. */
async function shop() {
  const sofa = await signUpMerchant(p, { merchantName: '舒适沙发馆' });
  const curtain = await signUpMerchant(p, { merchantName: '雅居窗帘', category: 'curtains' });
  const { allianceId, communityId } = await allianceWithCommunity(p, sofa, [curtain]);
  const offerId = await postOffer(p, sofa, [communityId], { title: '真皮沙发限时八折', body: '到店出示本群消息即可享受。' });
  const campaignId = await createCampaign(p, sofa, allianceId, [communityId], [curtain]);
  return { sofa, curtain, allianceId, communityId, offerId, campaignId };
}

/** Publishes the shop's draft campaign, with an offer of its own in the community. */
async function publish(m: MerchantSession, communityId: string, campaignId: string) {
  const added = await p.gql(`mutation($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: campaignId, o: await postOffer(p, m, [communityId]) }, m.accessToken);
  expect(added.errors).toBeUndefined();
  expect((await p.gql(`mutation($c: ID!) { publishCampaign(campaignId: $c) { id } }`, { c: campaignId }, m.accessToken)).errors).toBeUndefined();
}

/** Uploads a plain blue image as the offer's poster. */
async function uploadPoster(m: MerchantSession, offerId: string) {
  const blue = await sharp({ create: { width: 900, height: 1200, channels: 3, background: '#1040c0' } }).png().toBuffer();
  const upload = await request(p.app).post('/media').set('authorization', `Bearer ${m.accessToken}`).set('content-type', 'image/png').send(blue);
  expect(upload.status).toBe(201);
  const set = await p.gql(`mutation($o: ID!, $m: ID) { setOfferPoster(input: { offerId: $o, mediaId: $m }) { poster { url } } }`, { o: offerId, m: upload.body.data.id }, m.accessToken);
  expect(set.errors).toBeUndefined();
  return set.data.setOfferPoster.poster.url as string;
}

const posterOf = (pf: TestPlatform, code: string) =>
  request(pf.app)
    .get(`/share/${code}/poster.png`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

describe('the public page of a share channel', () => {
  it('a scan lands on /shared/<code>; anyone signed out reads the offer there: its public information and nothing else', async () => {
    const { sofa, offerId } = await shop();
    const posterUrl = await uploadPoster(sofa, offerId);
    const code = await channel(p, sofa, { offerId });
    const scan = await request(p.app).get(`/s/${code}`).redirects(0);
    expect([scan.status, scan.headers.location]).toEqual([302, `/shared/${code}`]);

    const r = await p.gql(SHARED, { code });
    expect(r.errors).toBeUndefined();
    const { startsAt, endsAt } = (await p.sql<{ startsAt: string; endsAt: string }>('select starts_at as "startsAt", ends_at as "endsAt" from offers where id = ?', localId(offerId)))[0]!;
    // The whole answer: no ids, counts, channel or customer data.
    expect(r.body).toEqual({
      data: {
        sharedContent: {
          kind: 'OFFER',
          title: '真皮沙发限时八折',
          body: '到店出示本群消息即可享受。',
          merchantName: '舒适沙发馆',
          startsAt,
          endsAt,
          poster: { url: posterUrl, thumbnailUrl: expect.stringMatching(/-thumb\.webp$/), width: 900, height: 1200 },
          links: [],
        },
      },
    });
    // Nor can a later field give more away: the type holds these fields only.
    const type = await p.gql(`{ __type(name: "SharedContent") { fields { name } } }`);
    expect(type.data.__type.fields.map((f: { name: string }) => f.name).sort()).toEqual(['body', 'endsAt', 'kind', 'links', 'merchantName', 'poster', 'startsAt', 'title', 'viewerCommunities']);
  });

  it("a campaign shows its organizer, description and links (a running livestream is live) to anyone, and the grant reaches no further", async () => {
    const { sofa, curtain, communityId, campaignId } = await shop();
    await publish(sofa, communityId, campaignId);
    const live = await p.gql(ADD_LINK, { input: { campaignId, kind: 'LIVESTREAM', title: '新房季直播', url: 'https://live.example.cn/room/42', startsAt: hoursFromNow(-1), endsAt: hoursFromNow(1) } }, sofa.accessToken);
    await p.gql(ADD_LINK, { input: { campaignId, kind: 'ACTIVITY', title: '门店体验日', url: 'https://sofa.example.cn/open-day', startsAt: hoursFromNow(24) } }, sofa.accessToken);
    // A partner's channel still shows the organizer as the campaign's merchant.
    const code = await channel(p, curtain, { campaignId });
    const r = await p.gql(SHARED, { code });
    expect(r.errors).toBeUndefined();
    expect(r.data.sharedContent).toMatchObject({ kind: 'CAMPAIGN', title: '新房季联合优惠', body: '沙发、窗帘一起买更优惠。', merchantName: '舒适沙发馆', poster: null });
    expect(r.data.sharedContent.links.map((l: { title: string; isLive: boolean }) => [l.title, l.isLive])).toEqual([
      ['新房季直播', true],
      ['门店体验日', false],
    ]);
    // The page grants its links, not the links' own lookups nor the campaign.
    const stranger = await p.gql(`query($l: ID!, $c: ID!) { node(id: $l) { id } campaign(id: $c) { id } }`, { l: live.data.addCampaignLink.id, c: campaignId });
    expect(stranger.data?.node ?? null).toBeNull();
    expect(stranger.data?.campaign ?? null).toBeNull();
  });

  it('an unknown code, a withdrawn, hidden or ended offer and a cancelled campaign all read null, without an error', async () => {
    const { sofa, curtain, communityId, offerId, campaignId } = await shop();
    const withdrawn = await channel(p, sofa, { offerId });
    // Another shop's: an admin never moderates their own shop's offers.
    const hiddenOffer = await postOffer(p, curtain, [communityId]);
    const hidden = await channel(p, curtain, { offerId: hiddenOffer });
    const endedOffer = await postOffer(p, sofa, [communityId]);
    const ended = await channel(p, sofa, { offerId: endedOffer });
    await publish(sofa, communityId, campaignId);
    const cancelled = await channel(p, sofa, { campaignId });
    for (const code of [withdrawn, hidden, ended, cancelled]) expect((await p.gql(SHARED, { code })).data.sharedContent).not.toBeNull();

    expect((await p.gql(`mutation($o: ID!) { withdrawOffer(offerId: $o) { id } }`, { o: offerId }, sofa.accessToken)).errors).toBeUndefined();
    const moderated = await p.gql(`mutation($o: ID!) { moderateOffer(offerId: $o, hide: true, reason: "引流广告") { status } }`, { o: hiddenOffer }, sofa.accessToken);
    expect(moderated.errors).toBeUndefined();
    // No mutation ends an offer early or cancels a campaign: the clock and an operator do.
    await p.sql('update offers set ends_at = ? where id = ?', hoursFromNow(-1), localId(endedOffer));
    await p.sql("update campaigns set status = 'CANCELLED' where id = ?", localId(campaignId));

    for (const code of [withdrawn, hidden, ended, cancelled, 'abcdefghij', 'nope']) {
      const r = await p.gql(SHARED, { code });
      expect(r.body, code).toEqual({ data: { sharedContent: null } });
      // Nor is a poster drawn for it.
      expect((await request(p.app).get(`/share/${code}/poster.png`)).status).toBe(404);
    }
    expect(codeOf(await p.gql(SHARED, { code: 'x'.repeat(33) }))).toBe('BAD_USER_INPUT');
  });

  it("a signed-in customer is pointed to their communities that show the offer; others, and visitors, to none", async () => {
    const { sofa, allianceId, communityId, offerId, campaignId } = await shop();
    const elsewhere = await createCommunity(p, sofa, allianceId);
    const member = await addCustomer(p, sofa);
    const memberToken = await claim(p, member.inviteCode);
    for (const c of [communityId, elsewhere]) expect((await p.gql(JOIN, { c }, memberToken)).errors).toBeUndefined();
    const outsider = await addCustomer(p, sofa);
    const outsiderToken = await claim(p, outsider.inviteCode);
    await p.gql(JOIN, { c: elsewhere }, outsiderToken);

    const code = await channel(p, sofa, { offerId });
    expect((await p.gql(COMMUNITIES, { code }, memberToken)).data.sharedContent.viewerCommunities.map((c: { id: string }) => c.id)).toEqual([communityId]);
    expect((await p.gql(COMMUNITIES, { code }, outsiderToken)).data.sharedContent.viewerCommunities).toEqual([]);
    expect((await p.gql(COMMUNITIES, { code })).data.sharedContent.viewerCommunities).toEqual([]);
    // A draft campaign's page shows nothing yet (its channel may be made ahead); once published, it
    // points to the communities the campaign targets.
    const campaignCode = await channel(p, sofa, { campaignId });
    expect((await p.gql(COMMUNITIES, { code: campaignCode }, memberToken)).data.sharedContent).toBeNull();
    await publish(sofa, communityId, campaignId);
    expect((await p.gql(COMMUNITIES, { code: campaignCode }, memberToken)).data.sharedContent.viewerCommunities.map((c: { id: string }) => c.id)).toEqual([communityId]);
  });
});

describe('share posters are drawn once', () => {
  it('the first download draws the poster and keeps it in storage; the next ones read the stored bytes; a new poster image draws anew', async () => {
    const { sofa, offerId } = await shop();
    const code = await channel(p, sofa, { offerId });
    const key = poster.posterCacheKey({ title: '真皮沙发限时八折', merchantName: '舒适沙发馆', link: `${p.deps.config.PUBLIC_URL}/s/${code}`, imageKey: null });
    expect(await p.deps.mediaStorage.get(key)).toBeUndefined();

    const first = await posterOf(p, code);
    expect(first.status).toBe(200);
    expect(renderPoster).toHaveBeenCalledTimes(1);
    const stored = await p.deps.mediaStorage.get(key);
    expect(stored).toMatchObject({ contentType: 'image/png' });
    expect(stored!.bytes.equals(first.body)).toBe(true);

    for (let i = 0; i < 2; i++) {
      const again = await posterOf(p, code);
      expect([again.status, again.headers['content-type'], again.headers['content-disposition']]).toEqual([200, 'image/png', `attachment; filename="poster-${code}.png"`]);
      expect((again.body as Buffer).equals(first.body)).toBe(true);
    }
    expect(renderPoster).toHaveBeenCalledTimes(1);

    // What the poster shows changed: it is drawn again, with the image.
    await uploadPoster(sofa, offerId);
    const redrawn = await posterOf(p, code);
    expect(renderPoster).toHaveBeenCalledTimes(2);
    expect((redrawn.body as Buffer).equals(first.body)).toBe(false);
  });

  it('one address has at most SHARE_POSTERS_PER_IP_PER_HOUR posters drawn: then 429 with Retry-After, while a drawn poster is still served', async () => {
    const limited = await createTestPlatform({ SHARE_POSTERS_PER_IP_PER_HOUR: '2' });
    const m = await signUpMerchant(limited);
    const { communityId } = await allianceWithCommunity(limited, m);
    const offerId = await postOffer(limited, m, [communityId]);
    const codes = [await channel(limited, m, { offerId }), await channel(limited, m, { offerId }), await channel(limited, m, { offerId })];
    for (const code of codes.slice(0, 2)) expect((await posterOf(limited, code)).status).toBe(200);
    const refused = await request(limited.app).get(`/share/${codes[2]}/poster.png`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.text).not.toMatch(/at |Error|select/);
    expect(renderPoster).toHaveBeenCalledTimes(2);
    expect((await posterOf(limited, codes[0]!)).status).toBe(200);
  });
});

// A campaign's activity and livestream links: https only, kept by the organizer, live while a
// livestream runs.
import { describe, expect, it } from 'vitest';
import { allianceWithCommunity, createCampaign, signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();

const ADD = `mutation($input: AddCampaignLinkInput!) { addCampaignLink(input: $input) { id kind title url startsAt endsAt isLive } }`;
const REMOVE = `mutation($l: ID!) { removeCampaignLink(input: { linkId: $l }) { links { id } } }`;
const LINKS = `query($c: ID!) { campaign(id: $c) { links { id kind title url isLive } } }`;

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

/** An organizer, an accepted partner, an alliance member outside the campaign, and a merchant of another alliance. */
async function campaign() {
  const organizer = await signUpMerchant(p, { merchantName: '舒适沙发馆' });
  const partner = await signUpMerchant(p, { merchantName: '雅居窗帘', category: 'curtains' });
  const bystander = await signUpMerchant(p, { merchantName: '明亮灯饰', category: 'lighting' });
  const outsider = await signUpMerchant(p, { merchantName: '别家瓷砖', category: 'tiles' });
  await allianceWithCommunity(p, outsider);
  const { allianceId, communityId } = await allianceWithCommunity(p, organizer, [partner, bystander]);
  const campaignId = await createCampaign(p, organizer, allianceId, [communityId], [partner]);
  const link = (overrides: Record<string, unknown> = {}) => ({
    campaignId,
    kind: 'LIVESTREAM',
    title: '新房季直播：沙发选购',
    url: 'https://live.example.cn/room/42',
    startsAt: hoursFromNow(1),
    ...overrides,
  });
  return { organizer, partner, bystander, outsider, campaignId, link };
}

describe('campaign links', () => {
  it('the organizer adds activity and livestream links; alliance members see them ordered by start', async () => {
    const { organizer, bystander, outsider, campaignId, link } = await campaign();
    const later = await p.gql(ADD, { input: link({ startsAt: hoursFromNow(48) }) }, organizer.accessToken);
    expect(later.errors).toBeUndefined();
    const sooner = await p.gql(ADD, { input: link({ kind: 'ACTIVITY', title: '到店抽奖', url: 'https://example.cn/lottery', startsAt: hoursFromNow(2), endsAt: hoursFromNow(5) }) }, organizer.accessToken);
    expect(sooner.data.addCampaignLink).toMatchObject({ kind: 'ACTIVITY', title: '到店抽奖', url: 'https://example.cn/lottery', isLive: false });
    const seen = await p.gql(LINKS, { c: campaignId }, bystander.accessToken);
    expect(seen.data.campaign.links.map((l: { id: string }) => l.id)).toEqual([sooner.data.addCampaignLink.id, later.data.addCampaignLink.id]);
    // A merchant of another alliance sees neither the campaign nor its links.
    const hidden = await p.gql(`query($c: ID!, $l: ID!) { campaign(id: $c) { id } node(id: $l) { id } }`, { c: campaignId, l: later.data.addCampaignLink.id }, outsider.accessToken);
    expect(hidden.data?.campaign ?? null).toBeNull();
    expect(hidden.data?.node ?? null).toBeNull();
  });

  it('only https addresses are taken: http, javascript: and data: are refused', async () => {
    const { organizer, campaignId, link } = await campaign();
    for (const url of ['http://live.example.cn/room/42', 'javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'java\tscript:alert(1)', 'live.example.cn', 'https://taobao.com@evil.example/', `https://example.cn/${'a'.repeat(2048)}`]) {
      const r = await p.gql(ADD, { input: link({ url }) }, organizer.accessToken);
      expect(codeOf(r), url).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.extensions!.field).toBe('url');
    }
    for (const title of ['', '直'.repeat(61)]) {
      const r = await p.gql(ADD, { input: link({ title }) }, organizer.accessToken);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.extensions!.field).toBe('title');
    }
    const backwards = await p.gql(ADD, { input: link({ startsAt: hoursFromNow(3), endsAt: hoursFromNow(2) }) }, organizer.accessToken);
    expect(codeOf(backwards)).toBe('BAD_USER_INPUT');
    expect(backwards.errors![0]!.extensions!.field).toBe('endsAt');
    expect((await p.gql(LINKS, { c: campaignId }, organizer.accessToken)).data.campaign.links).toEqual([]);
  });

  it('a participant or a merchant outside the campaign can neither add nor remove a link', async () => {
    const { organizer, partner, bystander, outsider, campaignId, link } = await campaign();
    for (const m of [partner, bystander, outsider]) expect(codeOf(await p.gql(ADD, { input: link() }, m.accessToken))).toBe('FORBIDDEN');
    const added = await p.gql(ADD, { input: link() }, organizer.accessToken);
    const linkId = added.data.addCampaignLink.id;
    for (const m of [partner, bystander, outsider]) expect(codeOf(await p.gql(REMOVE, { l: linkId }, m.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(ADD, { input: link() }))).toBe('UNAUTHENTICATED');
    expect((await p.gql(REMOVE, { l: linkId }, organizer.accessToken)).data.removeCampaignLink.links).toEqual([]);
    expect(codeOf(await p.gql(REMOVE, { l: linkId }, organizer.accessToken))).toBe('NOT_FOUND');
    expect((await p.gql(LINKS, { c: campaignId }, partner.accessToken)).data.campaign.links).toEqual([]);
  });

  it('a livestream is live from its start until its end, or for four hours without one; an activity never is', async () => {
    const { organizer, campaignId, link } = await campaign();
    const cases: [Record<string, unknown>, boolean][] = [
      [{ title: '还没开始', startsAt: hoursFromNow(1) }, false],
      [{ title: '正在直播', startsAt: hoursFromNow(-1), endsAt: hoursFromNow(1) }, true],
      [{ title: '已经结束', startsAt: hoursFromNow(-3), endsAt: hoursFromNow(-1) }, false],
      [{ title: '无结束时间刚开播', startsAt: hoursFromNow(-3.5) }, true],
      [{ title: '无结束时间四小时后', startsAt: hoursFromNow(-4.5) }, false],
      [{ title: '活动进行中', kind: 'ACTIVITY', startsAt: hoursFromNow(-1), endsAt: hoursFromNow(1) }, false],
    ];
    for (const [overrides, live] of cases) {
      const r = await p.gql(ADD, { input: link(overrides) }, organizer.accessToken);
      expect(r.data.addCampaignLink.isLive, String(overrides.title)).toBe(live);
    }
    const listed = await p.gql(LINKS, { c: campaignId }, organizer.accessToken);
    expect(Object.fromEntries(listed.data.campaign.links.map((l: { title: string; isLive: boolean }) => [l.title, l.isLive]))).toEqual(
      Object.fromEntries(cases.map(([o, live]) => [o.title, live])),
    );
  });

  it('a campaign has at most ten links', async () => {
    const { organizer, campaignId, link } = await campaign();
    for (let i = 0; i < 10; i++) expect((await p.gql(ADD, { input: link({ title: `第${i + 1}场` }) }, organizer.accessToken)).errors).toBeUndefined();
    expect(codeOf(await p.gql(ADD, { input: link() }, organizer.accessToken))).toBe('CONFLICT');
    expect((await p.gql(LINKS, { c: campaignId }, organizer.accessToken)).data.campaign.links).toHaveLength(10);
  });
});

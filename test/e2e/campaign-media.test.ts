// A campaign's reach in a real browser: the organizer lists the campaign's livestream and activity
// links (a running livestream reads "live now"). The alliance, its community and the campaign are
// set up through the API; the merchant signs in on the page.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, gql, screenshot, scrollsSideways, signUpMerchant } from './harness.js';

const suite = browserSuite(() => setUp());
const { openPage } = suite;

const sofa = { merchantName: '舒适沙发馆', category: '沙发', city: '温州', displayName: '王店长', email: 'wang@sofa.example.cn', password: 'shop password 123' };
const campaign = '新房季沙发窗帘联合优惠';
const ids = { alliance: '', community: '', campaign: '' };
let token = '';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A time as <input type="datetime-local"> takes it, in this machine's zone (the browser's too). */
const localInput = (at: number) => {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
};

async function setUp() {
  token = await signUpMerchant(suite.platform, sofa);
  ids.alliance = (await gql(suite.platform, `mutation { createAlliance(input: { name: "温州家居联盟", city: "温州", description: "" }) { id } }`, {}, token)).createAlliance.id;
  ids.community = (
    await gql(suite.platform, `mutation ($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }`, { input: { allianceId: ids.alliance, name: '鹿城新房业主群', description: '', rules: '' } }, token)
  ).createCommunity.id;
  const { createCampaign } = await gql(
    suite.platform,
    `mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
    {
      input: {
        allianceId: ids.alliance,
        communityIds: [ids.community],
        title: campaign,
        description: '沙发和窗帘一起买更划算',
        startsAt: new Date(Date.now() - DAY).toISOString(),
        endsAt: new Date(Date.now() + 30 * DAY).toISOString(),
        budget: 500_000,
        expectedResponses: 40,
      },
    },
    token,
  );
  ids.campaign = createCampaign.id;
}

async function signIn(phone = false): Promise<Page> {
  const page = await openPage('/signin', phone);
  await page.getByLabel('邮箱').fill(sofa.email);
  await page.getByLabel('密码').fill(sofa.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '商户控制台' }).waitFor();
  return page;
}

const openCampaign = async (page: Page) => {
  await page.goto(`${suite.platform.url}/merchant/campaign?id=${encodeURIComponent(ids.campaign)}`);
  await page.getByRole('heading', { name: campaign }).waitFor();
};

describe('campaign links', { timeout: 90_000 }, () => {
  it('the organizer adds a livestream that has started (live now) and an activity for tomorrow, https only, and removes one', async () => {
    const page = await signIn(true);
    await openCampaign(page);
    const links = page.locator('section', { has: page.getByRole('heading', { name: '活动与直播' }) });
    await links.getByText('还没有活动或直播链接。').waitFor();

    await links.getByText('添加活动或直播链接').click();
    await links.getByLabel('类型').selectOption({ label: '直播' });
    await links.getByLabel('按钮文字').fill('今晚沙发直播');
    await links.getByLabel('网址（https://）').fill('http://live.example.cn/sofa');
    await links.getByLabel('开始时间').fill(localInput(Date.now() - 10 * 60_000));
    await links.getByRole('button', { name: '添加链接' }).click();
    await links.getByText('只接受以 https:// 开头的安全网址。').waitFor();

    await links.getByLabel('网址（https://）').fill('https://live.example.cn/sofa');
    await links.getByLabel('结束时间（可不填）').fill(localInput(Date.now() - 20 * 60_000));
    await links.getByRole('button', { name: '添加链接' }).click();
    await links.getByText('结束时间须晚于开始时间。').waitFor();
    await links.getByLabel('结束时间（可不填）').fill(localInput(Date.now() + 2 * HOUR));
    await links.getByRole('button', { name: '添加链接' }).click();
    await links.getByRole('status').getByText('链接已添加。').waitFor();

    const live = links.getByRole('link', { name: /今晚沙发直播/ });
    await live.getByText('直播中').waitFor();
    expect(await live.getAttribute('href')).toBe('https://live.example.cn/sofa');
    expect(await live.getAttribute('target')).toBe('_blank');
    expect(await live.getAttribute('rel')).toBe('noopener noreferrer');

    await links.getByLabel('类型').selectOption({ label: '活动' });
    await links.getByLabel('按钮文字').fill('门店体验日');
    await links.getByLabel('网址（https://）').fill('https://sofa.example.cn/open-day');
    await links.getByLabel('开始时间').fill(localInput(Date.now() + DAY));
    await links.getByRole('button', { name: '添加链接' }).click();
    const activity = links.getByRole('link', { name: /门店体验日/ });
    await activity.waitFor();
    expect(await activity.getByText('直播中').count()).toBe(0);
    await links.getByText(/^活动 · .+开始$/).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'campaign-links-phone');

    const entry = links.getByRole('listitem').filter({ hasText: '门店体验日' });
    await entry.getByRole('button', { name: '删除' }).click();
    await entry.getByRole('button', { name: '确认删除' }).click();
    await activity.waitFor({ state: 'detached' });
    expect(await links.getByRole('link', { name: /今晚沙发直播/ }).count()).toBe(1);
  });
});

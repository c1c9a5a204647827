// A campaign's A/B variants in a real browser: the organizer writes two variants of a draft
// campaign and splits customers by account, publishes it, and then reads each variant's funnel as
// a chart, a figure about too few customers shown as withheld; a customer of the community sees one
// variant on the offer card of its feed. The alliance, its community, the
// offer and a customer are set up through the API; the merchant signs in on the page.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, claimInvite, gql, screenshot, scrollsSideways, signUpMerchant } from './harness.js';

const suite = browserSuite(() => setUp());
const { openPage } = suite;

const sofa = { merchantName: '舒适沙发馆', category: '沙发', city: '温州', displayName: '王店长', email: 'wang@variants.example.cn', password: 'shop password 123' };
const campaign = '新房季沙发 A/B 测试';
const ids = { alliance: '', community: '', campaign: '', offer: '' };
let token = '';
const DAY = 86_400_000;

async function setUp() {
  token = await signUpMerchant(suite.platform, sofa);
  ids.alliance = (await gql(suite.platform, `mutation { createAlliance(input: { name: "温州家居联盟", city: "温州", description: "" }) { id } }`, {}, token)).createAlliance.id;
  ids.community = (
    await gql(suite.platform, `mutation ($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }`, { input: { allianceId: ids.alliance, name: '鹿城新房业主群', description: '', rules: '' } }, token)
  ).createCommunity.id;
  await gql(suite.platform, `mutation ($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: ids.community }, token);
  const window = { startsAt: new Date(Date.now() - DAY).toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString() };
  ids.campaign = (
    await gql(
      suite.platform,
      `mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      { input: { allianceId: ids.alliance, communityIds: [ids.community], title: campaign, description: '', budget: 500_000, expectedResponses: 40, ...window } },
      token,
    )
  ).createCampaign.id;
  ids.offer = (
    await gql(
      suite.platform,
      `mutation ($input: PostOfferInput!) { postOffer(input: $input) { id } }`,
      { input: { title: '布艺沙发限时 9 折', body: '', category: sofa.category, communityIds: [ids.community], ...window } },
      token,
    )
  ).postOffer.id;
  await gql(suite.platform, `mutation ($c: ID!, $o: ID!) { addOfferToCampaign(campaignId: $c, offerId: $o) { id } }`, { c: ids.campaign, o: ids.offer }, token);
}

async function signIn(): Promise<Page> {
  const page = await openPage('/signin');
  await page.getByLabel('邮箱').fill(sofa.email);
  await page.getByLabel('密码').fill(sofa.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '商户控制台' }).waitFor();
  await page.goto(`${suite.platform.url}/merchant/campaign?id=${encodeURIComponent(ids.campaign)}`);
  await page.getByRole('heading', { name: campaign }).waitFor();
  return page;
}

const variants = [
  ['布艺沙发 9 折', '到店报平台名称再送抱枕'],
  ['买沙发送窗帘测量', '联盟窗帘店免费上门'],
] as const;

/**
 * A verified customer of the shop in the campaign's community signs in on a phone and opens the
 * community: the offer card shows the variant it is shown (which it keeps on reload). Its label.
 */
async function customerSeesCampaign() {
  const phone = '+8613900001234';
  const password = 'customer password';
  const { addCustomer } = await gql(
    suite.platform,
    `mutation ($i: AddCustomerInput!) { addCustomer(input: $i) { inviteCode } }`,
    { i: { name: '赵雅琴', phone, consentSource: 'IN_STORE', consentGiven: true } },
    token,
  );
  await claimInvite(suite.platform, { code: addCustomer.inviteCode, phone, password });
  const page = await openPage('/customer/signin', true);
  await page.getByLabel('手机号').fill('139 0000 1234');
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/signin'));
  await page.goto(`${suite.platform.url}/customer/community?id=${encodeURIComponent(ids.community)}`);
  await page.getByRole('button', { name: '加入社群' }).click();
  const offer = page.getByRole('article', { name: '布艺沙发限时 9 折' });
  const presentation = offer.getByRole('complementary');
  await presentation.waitFor();
  const title = await presentation.getByRole('heading').textContent();
  const index = variants.findIndex(([t]) => t === title);
  expect(index).toBeGreaterThanOrEqual(0);
  await presentation.getByText(variants[index]![1]).waitFor();
  expect(await scrollsSideways(page)).toBe(false);
  await screenshot(page, 'customer-campaign-variant');
  await page.reload();
  expect(await page.getByRole('article', { name: '布艺沙发限时 9 折' }).getByRole('complementary').getByRole('heading').textContent()).toBe(title);
  return 'AB'[index]!;
}

describe('A/B variants', { timeout: 90_000 }, () => {
  it('the organizer writes two variants and the split while a draft, publishes, then reads the funnel per variant', async () => {
    const page = await signIn();
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'A/B 版本' }) });
    await card.getByText(/^还没有版本/).waitFor();

    await card.locator('summary', { hasText: '添加版本' }).click();
    for (const [title, text] of variants) {
      await card.getByLabel('标题').fill(title!);
      await card.getByLabel('文案').fill(text!);
      await card.getByRole('button', { name: '添加版本' }).click();
      await card.getByText(title!).waitFor();
    }
    await card.getByText('版本 A', { exact: true }).waitFor();
    await card.getByText('版本 B', { exact: true }).waitFor();
    expect(await card.getByRole('img').count()).toBe(0);

    await card.getByLabel('分组方式').selectOption({ label: '按客户分组：每位客户随机看到一个版本' });
    await card.getByRole('button', { name: '保存分组方式' }).click();
    await card.getByRole('status').getByText('分组方式已保存。').waitFor();
    await card.getByText('按客户分组：每位客户随机看到一个版本').first().waitFor();
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByRole('button', { name: '发布到所有社群' }).click();
    await page.getByText('活动已发布。').waitFor();
    // Published: the variants are fixed, and the results take the forms' place.
    await expect.poll(() => card.getByRole('button', { name: '添加版本' }).count()).toBe(0);
    expect(await card.getByRole('button', { name: '删除' }).count()).toBe(0);

    const shown = await customerSeesCampaign();
    const other = shown === 'A' ? 'B' : 'A';
    await page.reload();
    // One customer shown a variant is too few to publish: withheld, and nothing is compared.
    await card.getByRole('img', { name: `版本 ${shown} · 响应率 少于 5: 触达 少于 5, 感兴趣 0, 请求推荐 0, 客户同意 0, 成交 0` }).waitFor();
    await card.getByRole('img', { name: `版本 ${other} · 响应率 0.0%: 触达 0, 感兴趣 0, 请求推荐 0, 客户同意 0, 成交 0` }).waitFor();
    await card.getByText('版本 B 与 A 暂不比较：涉及客户少于 5 人，或尚未触达客户。').waitFor();
    await screenshot(page, 'merchant-campaign-variants');
  });
});

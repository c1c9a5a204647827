// The whole story in real browsers, through the web app only (the emailed and texted codes are
// read off the gateway stand-in): two shops form an alliance, a customer of the first shop (on a
// phone) shows interest in the second shop's offer, accepts only part of its referral request,
// then revokes; an admin hides a reported offer.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, nav, screenshot, scrollsSideways } from './harness.js';

const suite = browserSuite();
const { openPage } = suite;

const sofa = { shop: '舒适沙发馆', category: '沙发', owner: '王店长', email: 'wang@sofa.example.cn' };
const curtains = { shop: '明亮窗帘', category: '窗帘', owner: '赵店长', email: 'zhao@curtains.example.cn' };
const alliance = '温州家居联盟';
const community = '鹿城新房业主群';
const curtainOffer = '全屋窗帘 8 折';
const sofaOffer = '真皮沙发满减';
const customer = { name: '陈女士', phone: '13800138001', address: '温州市鹿城区江滨路 1 号', password: 'chen password 2026' };

let sofaPage: Page;
let curtainsPage: Page;
let phone: Page;
let communityLink: string;


async function signUp(page: Page, shop: typeof sofa) {
  await page.getByRole('link', { name: '还没有商户账号？立即注册' }).click();
  await page.getByLabel('店铺名称').fill(shop.shop);
  await page.getByLabel('经营品类').fill(shop.category);
  await page.getByLabel('城市').fill('温州');
  await page.getByLabel('姓名').fill(shop.owner);
  await page.getByLabel('邮箱', { exact: true }).fill(shop.email);
  await page.getByLabel('密码', { exact: true }).fill('shop password 123');
  await page.getByRole('button', { name: '获取邮箱验证码' }).click();
  // The countdown shows once the code is on its way: read it only then.
  await page.getByRole('button', { name: /^\d+ 秒后重新获取$/ }).waitFor();
  await page.getByLabel('邮箱验证码').fill(suite.platform.lastCode(shop.email));
  await page.getByRole('button', { name: '注册并进入控制台' }).click();
  await page.getByRole('heading', { name: '商户控制台' }).waitFor();
}

describe('the referral story', { timeout: 90_000 }, () => {
  it('a merchant signs up, founds an alliance and creates a community as its admin', async () => {
    sofaPage = await openPage('/');
    const page = sofaPage;
    await signUp(page, sofa);

    await nav(page, '联盟');
    await page.getByRole('heading', { name: '创建联盟' }).waitFor();
    await page.getByLabel('联盟名称').fill(alliance);
    await page.getByLabel('简介').fill('沙发、窗帘、灯具商户互相推荐');
    await page.getByRole('button', { name: '创建联盟' }).click();
    await page.getByRole('heading', { name: alliance }).waitFor();

    await nav(page, '联盟管理');
    await page.getByRole('link', { name: `${alliance} · 温州` }).click();
    await page.getByRole('heading', { name: '入盟申请' }).waitFor();
    await page.getByLabel('社群名称').fill(community);
    await page.getByLabel('社群规则').fill('只发布家居相关优惠，每家每天不超过 5 条。');
    await page.getByRole('button', { name: '创建社群' }).click();
    await page.getByRole('status').getByText(`已创建社群「${community}」。`).waitFor();
    await page.getByText(community, { exact: true }).waitFor();
  });

  it('a second merchant applies to the alliance and the admin approves it', async () => {
    curtainsPage = await openPage('/');
    await signUp(curtainsPage, curtains);
    await nav(curtainsPage, '联盟');
    const entry = curtainsPage.getByRole('listitem').filter({ hasText: alliance });
    await entry.getByRole('button', { name: '申请加入' }).click();
    await entry.getByLabel('给管理员的留言（可选）').fill('我们做窗帘和布艺，想加入。');
    await entry.getByRole('button', { name: '提交申请' }).click();
    await curtainsPage.getByText('已提交申请，等待管理员审核。').waitFor();

    const page = sofaPage;
    await page.reload();
    const application = page.getByRole('article', { name: curtains.shop });
    await application.getByText('我们做窗帘和布艺，想加入。').waitFor();
    await screenshot(page, 'admin-application');
    await application.getByRole('button', { name: '批准' }).click();
    await page.getByText('没有待审核的申请。').waitFor();
    await page.getByRole('article', { name: curtains.shop }).getByText('成员 · 已加入').waitFor();
    await page.getByText(`批准入盟 · ${curtains.shop}`).waitFor();
  });

  it('both merchants join the community and post offers; the second publishes its privacy notice', async () => {
    for (const [page, title] of [[sofaPage, sofaOffer], [curtainsPage, curtainOffer]] as const) {
      // Opening the page anew shows the approval that happened in the admin's browser.
      await nav(page, '店铺');
      await nav(page, '联盟');
      await page.getByRole('link', { name: alliance }).first().click();
      await page.getByRole('heading', { name: alliance }).waitFor();
      await page.getByRole('listitem').filter({ hasText: community }).getByRole('button', { name: '加入社群' }).click();
      await page.getByText('✓ 你已加入').waitFor();
      await page.getByRole('link', { name: community }).click();
      await page.getByRole('heading', { name: '发布优惠' }).waitFor();
      await page.getByLabel('标题').fill(title);
      await page.getByLabel('内容').fill(`${title}，联盟客户专享。`);
      await page.getByRole('button', { name: '发布优惠' }).click();
      await page.getByRole('status').getByText('优惠已发布。').waitFor();
      await page.getByRole('article', { name: title }).waitFor();
    }
    communityLink = (await sofaPage.locator('.share-link').first().textContent())!.trim();
    expect(new URL(communityLink).pathname).toBe('/customer/community');
    await screenshot(sofaPage, 'merchant-community-feed');

    await nav(curtainsPage, '隐私政策');
    await curtainsPage.getByLabel('政策内容').fill('明亮窗帘只用你授权的电话预约上门量尺寸，30 天后删除。');
    await curtainsPage.getByRole('button', { name: '发布新版本' }).click();
    await curtainsPage.getByRole('status').getByText('已发布第 1 版。').waitFor();
  });

  it('the first merchant adds a customer only with the consent checkbox and shows the invite QR code', async () => {
    const page = sofaPage;
    await nav(page, '客户');
    await page.getByLabel('姓名', { exact: true }).fill(customer.name);
    await page.getByLabel('手机号', { exact: true }).fill(customer.phone);
    await page.getByLabel('地址', { exact: true }).fill(customer.address);
    await page.getByRole('button', { name: '添加客户' }).click();
    await page.getByText('请先确认客户已同意。').waitFor();
    expect(await page.getByText('还没有客户。').isVisible()).toBe(true);

    await page.getByLabel('客户已同意本店保存其信息').check();
    await page.getByRole('button', { name: '添加客户' }).click();
    await page.getByRole('status').getByText(`已添加客户「${customer.name}」。`).waitFor();
    const qr = page.getByRole('img', { name: `${customer.name} 的邀请二维码` });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await page.getByRole('article', { name: customer.name }).getByText('未领取账号').waitFor();
    await screenshot(page, 'merchant-customer-invite-qr');
  });

  it('the customer claims the invite on a phone and joins the community through the shared link', async () => {
    const inviteUrl = (await sofaPage.locator('.invite-qr .share-link').textContent())!.trim();
    phone = await openPage(new URL(inviteUrl).pathname + new URL(inviteUrl).search, true);
    await phone.getByRole('button', { name: '获取短信验证码' }).click();
    // The countdown shows once the code is on its way: read it only then.
    await phone.getByRole('button', { name: /^\d+ 秒后重新获取$/ }).waitFor();
    await phone.getByLabel('短信验证码').fill(suite.platform.lastCode(`+86${customer.phone}`));
    await phone.getByLabel('设置密码').fill(customer.password);
    await phone.getByRole('button', { name: '领取账号' }).click();
    await phone.getByRole('heading', { name: '我的账户' }).waitFor();
    await phone.getByText('目前没有商户请求你的联系方式。').waitFor();

    await phone.goto(suite.platform.url + new URL(communityLink).pathname + new URL(communityLink).search);
    await phone.getByRole('heading', { name: community }).waitFor();
    await phone.getByText('加入社群后即可查看优惠。').waitFor();
    await phone.getByRole('button', { name: '加入社群' }).click();
    await phone.getByText('✓ 你已加入').waitFor();
    await phone.getByRole('article', { name: curtainOffer }).waitFor();

    await nav(phone, '社群');
    await phone.getByRole('link', { name: community }).waitFor();
  });

  it('the customer shows interest in the second merchant’s offer', async () => {
    await phone.getByRole('link', { name: community }).click();
    const offer = phone.getByRole('article', { name: curtainOffer });
    await offer.getByRole('button', { name: '我感兴趣' }).click();
    await offer.getByText('✓ 你已表示感兴趣。').waitFor();
    expect(await scrollsSideways(phone)).toBe(false);
    await screenshot(phone, 'customer-community-phone');
  });

  it('the second merchant sees a pseudonym and requests a referral for name, phone and address', async () => {
    const page = curtainsPage;
    await nav(page, '优惠');
    await page.getByRole('link', { name: curtainOffer }).click();
    const interest = page.getByRole('listitem').filter({ hasText: `来自 ${sofa.shop} 的客户` });
    await interest.waitFor();
    expect(await page.getByText(customer.name).count()).toBe(0);
    await interest.getByRole('button', { name: '请求推荐' }).click();
    await interest.getByRole('button', { name: '发送推荐请求' }).click();
    await interest.getByText('请填写此项。').waitFor();

    await interest.getByLabel('用途').fill('上门测量窗户尺寸并报价');
    for (const field of ['姓名', '电话', '地址']) expect(await interest.getByRole('checkbox', { name: field }).isChecked()).toBe(true);
    expect(await interest.getByRole('checkbox', { name: '微信' }).isChecked()).toBe(false);
    await interest.getByLabel('保存天数（1-365）').fill('30');
    await interest.getByLabel('留言').fill('陈女士您好，新房窗帘可以先免费量尺寸。');
    await interest.getByRole('button', { name: '发送推荐请求' }).click();
    await interest.getByText('已请求推荐').waitFor();
    await interest.getByText('待你回复').waitFor();
  });

  it('the customer sees the full disclosure and accepts only the phone', async () => {
    await nav(phone, '我的账户');
    const request = phone.getByRole('article', { name: `${curtains.shop} 想联系你` });
    await request.waitFor();
    for (const text of [`${curtains.shop} · ${curtains.category}`, sofa.shop, '上门测量窗户尺寸并报价', '陈女士您好，新房窗帘可以先免费量尺寸。', '姓名、电话和地址', '30 天，到期后对方不能再查看']) {
      await request.getByText(text).waitFor();
    }
    await request.getByText(`${curtains.shop} 的隐私政策`).click();
    await request.getByText('明亮窗帘只用你授权的电话预约上门量尺寸，30 天后删除。').waitFor();
    expect(await scrollsSideways(phone)).toBe(false);
    await screenshot(phone, 'customer-referral-disclosure-phone');

    await request.getByRole('button', { name: '同意并选择分享的信息' }).click();
    await request.getByRole('checkbox', { name: '姓名' }).uncheck();
    await request.getByRole('checkbox', { name: '地址' }).uncheck();
    expect(await request.getByRole('checkbox', { name: '电话' }).isChecked()).toBe(true);
    await request.getByRole('button', { name: '确认分享' }).click();
    await request.getByText('已同意').waitFor();
    expect(await request.locator('dd').filter({ hasText: /^电话$/ }).count()).toBe(1);
    await screenshot(phone, 'customer-referral-accepted-phone');
  });

  it('the second merchant sees the phone and not the name', async () => {
    const page = curtainsPage;
    await nav(page, '推荐');
    const referral = page.getByRole('listitem').filter({ hasText: '已同意' });
    await referral.getByText('客户授权：电话').waitFor();
    await referral.getByRole('button', { name: '查看联系方式' }).click();
    const card = page.getByRole('definition').filter({ hasText: '+8613800138001' });
    await card.waitFor();
    expect(await page.getByText(customer.name).count()).toBe(0);
    expect(await page.getByText(customer.address).count()).toBe(0);
    expect(await referral.getByText('客户未授权').count()).toBe(3);
    await screenshot(page, 'merchant-granted-contact');
  });

  it('the customer sees the read in the log and revokes; the contact disappears for the merchant', async () => {
    await nav(phone, '我的数据');
    // Each read is logged: a live refresh of the merchant's card can add a second line.
    await phone.getByText(`${curtains.shop} · ${curtains.owner}`).first().waitFor();
    await phone.getByText(/凭你的授权 · 电话/).first().waitFor();
    const grant = phone.getByRole('listitem').filter({ hasText: '上门测量窗户尺寸并报价' });
    await grant.getByRole('button', { name: '撤回授权' }).click();
    await grant.getByText(`撤回后，${curtains.shop} 将立即看不到你的联系方式。`).waitFor();
    await grant.getByRole('button', { name: '确认撤回' }).click();
    await grant.getByText(`已撤回，${curtains.shop} 不能再看到你的联系方式。`).waitFor();
    await grant.getByText(/^已于 .* 撤回$/).waitFor();
    expect(await scrollsSideways(phone)).toBe(false);
    await screenshot(phone, 'customer-my-data-phone');

    const page = curtainsPage;
    await page.reload();
    const referral = page.getByRole('listitem').filter({ hasText: '上门测量窗户尺寸并报价' });
    await referral.getByText('已撤回授权').waitFor();
    expect(await referral.getByRole('button', { name: '查看联系方式' }).count()).toBe(0);
    expect(await page.getByText('+8613800138001').count()).toBe(0);
  });

  it('the customer reports an offer and the admin hides it, so it leaves the feed', async () => {
    await nav(phone, '社群');
    await phone.getByRole('link', { name: community }).click();
    const offer = phone.getByRole('article', { name: curtainOffer });
    await offer.getByRole('button', { name: '举报' }).click();
    await offer.getByRole('button', { name: '提交举报' }).click();
    await offer.getByText('请填写此项。').waitFor();
    await offer.getByLabel('举报原因').fill('价格描述不清楚');
    await offer.getByRole('button', { name: '提交举报' }).click();
    await offer.getByText('已举报，谢谢。管理员会处理。').waitFor();

    const page = sofaPage;
    await nav(page, '联盟管理');
    await page.getByRole('link', { name: `${alliance} · 温州` }).click();
    const report = page.getByRole('article', { name: curtainOffer });
    await report.getByText('原因：价格描述不清楚').waitFor();
    expect(await page.getByText(customer.name).count()).toBe(0);
    await report.getByRole('button', { name: '隐藏优惠' }).click();
    await report.getByLabel('原因（会记入管理日志）').fill('价格描述误导客户');
    await report.getByRole('button', { name: '隐藏优惠' }).click();
    await page.getByText(`隐藏优惠 · ${curtainOffer}`).waitFor();
    await screenshot(page, 'admin-moderation');

    await phone.reload();
    await phone.getByRole('article', { name: sofaOffer }).waitFor();
    expect(await phone.getByRole('article', { name: curtainOffer }).count()).toBe(0);
  });

  it('the customer tightens their consent, checked before sending, and sees the new version in the history', async () => {
    await nav(phone, '授权设置');
    await phone.getByText(/^当前为第 \d+ 版/).waitFor();
    await phone.getByLabel('每周最多请求次数（0-7）').fill('9');
    await phone.getByRole('button', { name: '保存设置' }).click();
    await phone.getByText('请输入 0 到 7 之间的整数。').waitFor();
    await phone.getByLabel('每周最多请求次数（0-7）').fill('1');
    await phone.getByLabel('修改原因（可选）').fill('最近在装修，少打扰');
    await phone.getByRole('button', { name: '保存设置' }).click();
    await phone.getByRole('status').getByText(/^已保存为第 \d+ 版。$/).waitFor();
    await phone.getByText('原因：最近在装修，少打扰').waitFor();
    await phone.getByText(/每周 1 次/).first().waitFor();
    expect(await scrollsSideways(phone)).toBe(false);
    await screenshot(phone, 'customer-consent-phone');
  });

  it('the customer switches to English and back on a customer page', async () => {
    await nav(phone, '我的账户');
    await phone.getByRole('button', { name: 'English' }).click();
    await phone.getByRole('heading', { name: 'Referral requests' }).waitFor();
    await phone.getByRole('article', { name: `${curtains.shop} would like to contact you` }).getByText('Revoked').waitFor();
    expect(await phone.getByRole('navigation').getByRole('link').allTextContents()).toEqual(['My account', 'Communities', 'Consent', 'Shops with my number', 'My data']);
    expect(await scrollsSideways(phone)).toBe(false);
    await screenshot(phone, 'customer-home-en-phone');
    await phone.getByRole('button', { name: '中文' }).click();
    await phone.getByRole('heading', { name: '推荐请求' }).waitFor();
  });
});

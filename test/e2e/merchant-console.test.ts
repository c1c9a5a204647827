// A merchant signs up with the code emailed to it, opens the console, works in both languages,
// adds staff and publishes a privacy notice; the staff member gets the console without the owner's forms.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, gql, readStorage, screenshot, scrollsSideways, wrongCode, writeStorage } from './harness.js';

interface StoredSession {
  accessToken: string;
  refreshToken: string;
}

const suite = browserSuite();
const { openPage } = suite;

const owner = { name: '王店长', email: 'wang@sofa.example.cn', password: 'correct horse battery' };
const staff = { name: '李导购', email: 'li@sofa.example.cn', password: 'staff password 123' };
let ownerPage: Page;


describe('a merchant runs the console', () => {
  it('signs up with the code emailed to it (a wrong one is refused) and lands on the console in Chinese', async () => {
    ownerPage = await openPage('/');
    const page = ownerPage;
    await page.getByRole('heading', { name: '商户登录' }).waitFor();
    await page.getByRole('link', { name: '还没有商户账号？立即注册' }).click();
    await page.getByRole('heading', { name: '注册商户' }).waitFor();

    await page.getByLabel('店铺名称').fill('舒适沙发馆');
    await page.getByLabel('经营品类').fill('沙发');
    await page.getByLabel('城市').fill('温州');
    await page.getByLabel('姓名').fill(owner.name);
    await page.getByLabel('密码', { exact: true }).fill(owner.password);
    await page.getByLabel('邮箱', { exact: true }).fill(owner.email);
    await page.getByRole('button', { name: '注册并进入控制台' }).click();
    await page.getByText('请先获取验证码。').waitFor();

    await page.getByRole('button', { name: '获取邮箱验证码' }).click();
    await page.getByRole('status').getByText(`验证码已发到 ${owner.email}。如果这个邮箱已经注册过，收到的会是登录链接，而不是验证码。`).waitFor();
    expect(await page.getByRole('button', { name: /^\d+ 秒后重新获取$/ }).isDisabled()).toBe(true);
    const emailed = suite.platform.lastCode(owner.email);
    await page.getByLabel('邮箱验证码').fill(wrongCode(emailed));
    await page.getByRole('button', { name: '注册并进入控制台' }).click();
    await page.getByRole('alert').getByText('验证码不正确或已过期，请检查，或重新获取。').waitFor();
    await screenshot(page, 'merchant-sign-up-code');

    await page.getByLabel('邮箱验证码').fill(emailed);
    await page.getByRole('button', { name: '注册并进入控制台' }).click();

    await page.getByRole('heading', { name: '商户控制台' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/merchant');
    expect(await page.getByRole('heading', { name: '舒适沙发馆' }).isVisible()).toBe(true);
    expect(await page.getByText(`你好，${owner.name}`).isVisible()).toBe(true);
    expect(await page.getByText('尚未发布隐私政策').isVisible()).toBe(true);
    expect(await page.getByRole('navigation').getByRole('link').allTextContents()).toEqual(['店铺', '联盟', '优惠', '联合活动', '客户', '推荐', '洞察', '访问记录', '员工', '隐私政策']);
    await screenshot(page, 'merchant-console-zh');
  });

  it('switches to English, and the choice stays after a reload', async () => {
    const page = ownerPage;
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Merchant console' }).waitFor();
    expect(await page.getByText(`Hello, ${owner.name}`).isVisible()).toBe(true);
    expect(await page.getByRole('navigation').getByRole('link').allTextContents()).toEqual(['Business', 'Alliances', 'Offers', 'Campaigns', 'Customers', 'Referrals', 'Insights', 'Access log', 'Staff', 'Privacy notice']);
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);

    await page.reload();
    await page.getByRole('heading', { name: 'Merchant console' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await screenshot(page, 'merchant-console-en');
  });

  it('fits a phone screen too', async () => {
    const page = ownerPage;
    await page.setViewportSize({ width: 375, height: 812 });
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'merchant-console-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('checks the staff form before sending, then adds a staff member who may not see contacts', async () => {
    const page = ownerPage;
    await page.getByRole('navigation').getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('heading', { name: 'Add a staff member' }).waitFor();

    await page.getByLabel('Email', { exact: true }).fill('not an email');
    await page.getByRole('button', { name: 'Add staff member' }).click();
    expect(await page.getByText('Please fill this in.').count()).toBe(1);
    expect(await page.getByText('Enter a valid email address').isVisible()).toBe(true);
    expect(await page.getByText('Passwords are 8 to 128 characters.').count()).toBe(2); // the hint and the problem

    await page.getByLabel('Name', { exact: true }).fill(staff.name);
    await page.getByLabel('Email', { exact: true }).fill(staff.email);
    await page.getByLabel('Password', { exact: true }).fill(staff.password);
    expect(await page.getByLabel('May see customer contact details').isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Add staff member' }).click();

    await page.getByRole('status').getByText(`Added ${staff.name}.`).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('');
    await screenshot(page, 'merchant-staff-added');
  });

  it('adding the same email again is explained in plain words', async () => {
    const page = ownerPage;
    await page.getByLabel('Name', { exact: true }).fill('重复的人');
    await page.getByLabel('Email', { exact: true }).fill(staff.email);
    await page.getByLabel('Password', { exact: true }).fill(staff.password);
    await page.getByRole('button', { name: 'Add staff member' }).click();
    await page.getByRole('alert').getByText('This email is already registered.').waitFor();
  });

  it('publishes the first version of the privacy notice', async () => {
    const page = ownerPage;
    await page.getByRole('navigation').getByRole('link', { name: 'Privacy notice' }).click();
    await page.getByText('No privacy notice yet.').waitFor();
    await page.getByLabel('Notice text').fill('舒适沙发馆只在你同意后，把你授权的联系方式转给联盟商户，保存 30 天。');
    await page.getByRole('button', { name: 'Publish new version' }).click();

    await page.getByRole('status').getByText('Version 1 published.').waitFor();
    await page.getByText(/^Version 1, published /).waitFor();
    await screenshot(page, 'merchant-privacy-notice');

    await page.getByRole('navigation').getByRole('link', { name: 'Business' }).click();
    await page.getByText(/^Version 1, published /).waitFor();
  });

  it('after founding an alliance, finds the alliance admin section', async () => {
    const page = ownerPage;
    const { accessToken } = (await readStorage<StoredSession>(page, 'arp.session'))!;
    // Founding alliances has no page yet: the owner does it through the API.
    await gql(suite.platform, `mutation($input: CreateAllianceInput!) { createAlliance(input: $input) { id } }`, { input: { name: '温州家居联盟', city: '温州', description: '沙发、瓷砖、窗帘、灯具商户互相推荐' } }, accessToken);
    await page.reload();
    await page.getByRole('navigation').getByRole('link', { name: 'Alliance admin' }).click();
    await page.getByRole('heading', { name: 'Alliance admin' }).waitFor();
    await page.getByText('温州家居联盟 · 温州').waitFor();
    await screenshot(page, 'admin-home');
    await page.getByRole('navigation').getByRole('link', { name: 'Business' }).click();
  });

  it('keeps working when the access token stops working, by refreshing it once', async () => {
    const page = ownerPage;
    const before = (await readStorage<StoredSession>(page, 'arp.session'))!;
    await writeStorage(page, 'arp.session', { ...before, accessToken: 'no.longer.valid' });
    await page.reload();

    await page.getByRole('heading', { name: 'Merchant console' }).waitFor();
    const after = (await readStorage<StoredSession>(page, 'arp.session'))!;
    expect(after.accessToken).not.toBe('no.longer.valid');
    expect(after.refreshToken).not.toBe(before.refreshToken); // rotated, and the new one kept
  });

  it('refreshes before the access token expires', async () => {
    const page = ownerPage;
    const before = (await readStorage<StoredSession & { refreshAt: number }>(page, 'arp.session'))!;
    await writeStorage(page, 'arp.session', { ...before, refreshAt: Date.now() - 1 });
    await page.reload();

    await page.getByRole('heading', { name: 'Merchant console' }).waitFor();
    expect((await readStorage<StoredSession>(page, 'arp.session'))!.refreshToken).not.toBe(before.refreshToken);
  });
});

describe('a staff member uses the console', () => {
  let page: Page;

  it('signs in by email and sees the business without the owner-only pages', async () => {
    page = await openPage('/signin');
    await page.getByLabel('邮箱').fill(staff.email);
    await page.getByLabel('密码').fill(staff.password);
    await page.getByRole('button', { name: '登录' }).click();

    await page.getByRole('heading', { name: '商户控制台' }).waitFor();
    expect(await page.getByRole('heading', { name: '舒适沙发馆' }).isVisible()).toBe(true);
    expect(await page.getByText('你不能查看客户联系方式，只会看到客户化名。').isVisible()).toBe(true);
    for (const ownerOnly of ['员工', '隐私政策']) expect(await page.getByRole('link', { name: ownerOnly }).count()).toBe(0);
    await screenshot(page, 'merchant-console-staff');
  });

  it('opening an owner page by its address leads back to the console home', async () => {
    await page.goto(suite.platform.url + '/merchant/staff');
    await page.getByRole('heading', { name: '商户控制台' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/merchant');
    expect(await page.getByRole('button', { name: '添加员工' }).count()).toBe(0);
  });

  it('signs out, and a wrong password is answered in plain words', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '商户登录' }).waitFor();
    expect(await readStorage(page, 'arp.session')).toBeNull();

    await page.getByLabel('邮箱').fill(staff.email);
    await page.getByLabel('密码').fill('not the password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').getByText('账号或密码不正确，请重试。').waitFor();
    await screenshot(page, 'merchant-sign-in-wrong-password');
  });
});

describe('a session the server no longer accepts', () => {
  it('ends on the sign-in page with a plain-words notice', async () => {
    const page = ownerPage;
    const stored = (await readStorage<StoredSession>(page, 'arp.session'))!;
    await writeStorage(page, 'arp.session', { ...stored, accessToken: 'bad.access.token', refreshToken: 'revoked' });
    await page.reload();
    await page.getByRole('heading', { name: 'Merchant sign-in' }).waitFor();
    expect(await page.getByText('Your session has ended. Please sign in again.').isVisible()).toBe(true);
    expect(await readStorage(page, 'arp.session')).toBeNull();
  });
});

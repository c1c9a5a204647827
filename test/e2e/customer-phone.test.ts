// A customer on a phone claims the account a shop invited them to, then signs in with their number.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, gql, screenshot, scrollsSideways } from './harness.js';

let page: Page;
const suite = browserSuite(async ({ openPage }) => {
  page = await openPage('/', true);
});


describe('a customer on a 375 px wide phone', () => {
  it('sees the customer sign-in page without scrolling sideways', async () => {
    await page.goto(suite.platform.url + '/customer');
    await page.getByRole('heading', { name: '客户登录' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/customer/signin');
    expect(await page.getByLabel('手机号').getAttribute('type')).toBe('tel');
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'customer-sign-in-phone');
  });

  it('is told what is missing before anything is sent', async () => {
    await page.getByRole('button', { name: '登录' }).click();
    expect(await page.getByText('请填写此项。').count()).toBe(2);
    await page.getByLabel('手机号').fill('12345');
    expect(await page.getByText('请输入有效的手机号。').isVisible()).toBe(true);
    expect(await scrollsSideways(page)).toBe(false);
  });

  it('an unknown number and password get the plain-words sign-in error', async () => {
    await page.getByLabel('手机号').fill('138 0013 8000');
    await page.getByLabel('密码').fill('whatever password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').getByText('账号或密码不正确，请重试。').waitFor();
  });

  it('is told in plain words when the network is down', async () => {
    await page.route('**/graphql', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').getByText('无法连接服务器，请检查网络后重试。').waitFor();
    await page.unroute('**/graphql');
  });

  it('is told when to try again after too many attempts', async () => {
    // The server's answer to a rate-limited request, as the contract describes it.
    const body = { data: null, errors: [{ message: 'Too many attempts.', extensions: { code: 'RATE_LIMITED', retryAfter: 300 } }] };
    await page.route('**/graphql', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) }));
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').getByText('操作过于频繁，请5分钟后再试。').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('alert').getByText('Too many requests. Please try again in 5 minutes.').waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.unroute('**/graphql');
  });

  it('is told which field the server refused', async () => {
    const body = { data: null, errors: [{ message: 'must not be empty', extensions: { code: 'BAD_USER_INPUT', field: 'password' } }] };
    await page.route('**/graphql', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) }));
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').getByText('「密码」填写有误，请检查后重试。').waitFor();
    await page.unroute('**/graphql');
  });

  it('an invite code the shop never gave is explained in plain words', async () => {
    await page.goto(suite.platform.url + '/claim?code=NOSUCHCODE');
    await page.getByRole('heading', { name: '领取客户账号' }).waitFor();
    expect(await page.getByLabel('邀请码').inputValue()).toBe('NOSUCHCODE');
    await page.getByLabel('设置密码').fill('my new password');
    await page.getByRole('button', { name: '领取账号' }).click();
    await page.getByRole('alert').getByText('邀请码无效或已过期，请向商户索取新的邀请码。').waitFor();
  });

  it('claims the account from the shop’s invite link and sees which shops keep their details', async () => {
    const inviteUrl = await shopInvitesCustomer({ name: '陈女士', phone: '13800138001' });
    await page.goto(inviteUrl.replace(new URL(inviteUrl).origin, suite.platform.url));
    await page.getByRole('heading', { name: '领取客户账号' }).waitFor();
    expect(await page.getByLabel('邀请码').inputValue()).toBe(new URL(inviteUrl).searchParams.get('code'));
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'customer-claim-phone');

    await page.getByLabel('设置密码').fill('chen password 2026');
    await page.getByRole('button', { name: '领取账号' }).click();
    await page.getByRole('heading', { name: '我的账户' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/customer');
    await page.getByText('舒适沙发馆 · 沙发 · 温州').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'customer-home-phone');
  });

  it('signs out to the customer sign-in and back in with the mobile number', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '客户登录' }).waitFor();
    await page.getByLabel('手机号').fill('138 0013 8001');
    await page.getByLabel('密码').fill('chen password 2026');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '我的账户' }).waitFor();
  });

  it('opens a second shop’s invite while signed in and adds that shop with the same password', async () => {
    const inviteUrl = await shopInvitesCustomer({ name: '陈女士', phone: '+86 138 0013 8001' }, { merchantName: '明亮灯饰', category: '灯具', email: 'owner@lights.example.cn' });
    await page.goto(inviteUrl.replace(new URL(inviteUrl).origin, suite.platform.url));
    await page.getByRole('heading', { name: '领取客户账号' }).waitFor();

    await page.getByLabel('设置密码').fill('not my password');
    await page.getByRole('button', { name: '领取账号' }).click();
    await page.getByRole('alert').getByText('你已经有账号了：请输入那个账号的密码，把这家商户加进来。').waitFor();

    await page.getByLabel('设置密码').fill('chen password 2026');
    await page.getByRole('button', { name: '领取账号' }).click();
    await page.getByRole('heading', { name: '我的账户' }).waitFor();
    await page.getByText('明亮灯饰 · 灯具 · 温州').waitFor();
    expect(await page.getByText('舒适沙发馆 · 沙发 · 温州').isVisible()).toBe(true);
  });
});

/** A shop signs up and records a customer who agreed in store; the answer is the invite link for them. */
async function shopInvitesCustomer(customer: { name: string; phone: string }, shop = { merchantName: '舒适沙发馆', category: '沙发', email: 'owner@sofa.example.cn' }): Promise<string> {
  const { signUpMerchant } = await gql(
    suite.platform,
    `mutation($input: SignUpMerchantInput!) { signUpMerchant(input: $input) { accessToken } }`,
    { input: { password: 'shop password 123', displayName: '店主', city: '温州', ...shop } },
  );
  const { addCustomer } = await gql(
    suite.platform,
    `mutation($input: AddCustomerInput!) { addCustomer(input: $input) { inviteUrl } }`,
    { input: { ...customer, consentSource: 'IN_STORE', consentGiven: true } },
    signUpMerchant.accessToken,
  );
  return addCustomer.inviteUrl;
}

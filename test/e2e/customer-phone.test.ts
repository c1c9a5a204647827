// A customer on a phone claims the account a shop invited them to with the code texted to the
// phone on the shop's record, signs in with their number, and moves it to a new phone.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, gql, nav, screenshot, scrollsSideways, signUpMerchant, wrongCode } from './harness.js';

let page: Page;
const suite = browserSuite(async ({ openPage }) => {
  page = await openPage('/', true);
});

const password = 'chen password 2026';
const claimRefused = '邀请码、短信验证码或密码不正确。请检查后重试，或重新获取验证码。';
const claimCodeSent = '如果邀请码有效，验证码已通过短信发到商户登记的你的手机号。';
/** The seconds a "wait, then ask again" button shows. */
const secondsOn = async (button: Locator) => Number((await button.textContent())!.match(/\d+/)![0]);
/** The invite link the shop hands over, opened on the platform under test. */
const onPlatform = (url: string) => suite.platform.url + new URL(url).pathname + new URL(url).search;


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

  it('is told to try again shortly while the database is unreachable', async () => {
    // The server's answer while its database is down: 503 with Retry-After, as the contract describes it.
    const body = { data: null, errors: [{ message: 'The service is unavailable for now.', extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter: 5 } }] };
    await page.route('**/graphql', (route) =>
      route.fulfill({ status: 503, headers: { 'retry-after': '5' }, contentType: 'application/json', body: JSON.stringify(body) }),
    );
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').getByText(/^服务暂时不可用，请.+重试。$/).waitFor();
    await page.unroute('**/graphql');
  });

  it('is told which field the server refused', async () => {
    const body = { data: null, errors: [{ message: 'must not be empty', extensions: { code: 'BAD_USER_INPUT', field: 'password' } }] };
    await page.route('**/graphql', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) }));
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').getByText('「密码」填写有误，请检查后重试。').waitFor();
    await page.unroute('**/graphql');
  });

  it('an invite code the shop never gave gets the same answer as a real one, and the claim the neutral refusal', async () => {
    await page.goto(suite.platform.url + '/claim?code=NOSUCHCODE');
    await page.getByRole('heading', { name: '领取客户账号' }).waitFor();
    expect(await page.getByLabel('邀请码').inputValue()).toBe('NOSUCHCODE');
    const sentBefore = suite.platform.sent.length;
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    await page.getByRole('status').getByText(claimCodeSent).waitFor();
    expect(suite.platform.sent.length).toBe(sentBefore);

    await page.getByLabel('短信验证码').fill('123456');
    await page.getByLabel('设置密码').fill('my new password');
    await page.getByRole('button', { name: '领取账号' }).click();
    await page.getByRole('alert').getByText(claimRefused).waitFor();
  });

  it('is told to wait when asking for codes too often, the wait shown on the button in both languages', async () => {
    await page.goto(suite.platform.url + '/claim?code=ANOTHERCODE');
    const body = { data: null, errors: [{ message: 'Too many attempts.', extensions: { code: 'RATE_LIMITED', retryAfter: 90 } }] };
    await page.route('**/graphql', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) }));
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    await page.getByRole('alert').getByText('操作过于频繁，请2分钟后再试。').waitFor();
    const wait = page.getByRole('button', { name: /^1 分 \d+ 秒后重新获取$/ });
    expect(await wait.isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('alert').getByText('Too many requests. Please try again in 2 minutes.').waitFor();
    expect(await page.getByRole('button', { name: /^New code in 1 min \d+ s$/ }).isDisabled()).toBe(true);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'customer-claim-wait-en-phone');
    await page.getByRole('button', { name: '中文' }).click();
    await page.unroute('**/graphql');
  });

  it('claims from the shop’s invite link with the SMS code read off the phone, after a wrong code is refused', async () => {
    const inviteUrl = await shopInvitesCustomer({ name: '陈女士', phone: '13800138001' });
    await page.goto(onPlatform(inviteUrl));
    await page.getByRole('heading', { name: '领取客户账号' }).waitFor();
    expect(await page.getByLabel('邀请码').inputValue()).toBe(new URL(inviteUrl).searchParams.get('code'));
    // The first step only asks for the code: the password comes with it.
    expect(await page.getByLabel('设置密码').count()).toBe(0);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'customer-claim-phone');

    await page.getByRole('button', { name: '获取短信验证码' }).click();
    await page.getByRole('status').getByText(claimCodeSent).waitFor();
    const resend = page.getByRole('button', { name: /^\d+ 秒后重新获取$/ });
    expect(await resend.isDisabled()).toBe(true);
    const waitAtFirst = await secondsOn(resend);
    expect(waitAtFirst).toBeLessThanOrEqual(60);
    const code = page.getByLabel('短信验证码');
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'customer-claim-code-phone');

    const sms = suite.platform.lastCode('+8613800138001');
    await code.fill(wrongCode(sms));
    await page.getByLabel('设置密码').fill(password);
    await page.getByRole('button', { name: '领取账号' }).click();
    await page.getByRole('alert').getByText(claimRefused).waitFor();
    await expect.poll(() => secondsOn(resend)).toBeLessThan(waitAtFirst);
    await screenshot(page, 'customer-claim-refused-phone');

    await code.fill(sms);
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
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '我的账户' }).waitFor();
  });

  it('opens a second shop’s invite while signed in and adds that shop with the same password', async () => {
    const inviteUrl = await shopInvitesCustomer({ name: '陈女士', phone: '+86 138 0013 8001' }, { merchantName: '明亮灯饰', category: '灯具', email: 'owner@lights.example.cn' });
    await page.goto(onPlatform(inviteUrl));
    await page.getByRole('heading', { name: '领取客户账号' }).waitFor();
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    // The countdown shows once the code is on its way: read it only then.
    await page.getByRole('button', { name: /^\d+ 秒后重新获取$/ }).waitFor();
    await page.getByLabel('短信验证码').fill(suite.platform.lastCode('+8613800138001'));
    await page.getByText('已经有账号？请填写那个账号的密码，把这家商户加进来。').waitFor();

    await page.getByLabel('设置密码').fill('not my password');
    await page.getByRole('button', { name: '领取账号' }).click();
    // The SMS code was right, so the page may say why: this phone already has an account.
    await page.getByRole('alert').getByText('这个手机号已经有账号了。请填写那个账号的密码，把这家商户加进来。').waitFor();

    await page.getByLabel('设置密码').fill(password);
    await page.getByRole('button', { name: '领取账号' }).click();
    await page.getByRole('heading', { name: '我的账户' }).waitFor();
    await page.getByText('明亮灯饰 · 灯具 · 温州').waitFor();
    expect(await page.getByText('舒适沙发馆 · 沙发 · 温州').isVisible()).toBe(true);
  });

  it('corrects the address without a code, and moves to a new phone only with the code texted to it', async () => {
    await nav(page, '我的数据');
    await page.getByRole('heading', { name: '更正我的信息' }).waitFor();
    await page.getByLabel('地址', { exact: true }).fill('温州市鹿城区江滨路 2 号');
    await page.getByRole('button', { name: '提交更正' }).click();
    await page.getByRole('status').getByText('已更正。').waitFor();

    const newPhone = page.getByLabel('手机号', { exact: true });
    await newPhone.fill('139 0013 9002');
    await page.getByRole('button', { name: '提交更正' }).click();
    await page.getByText('请先获取验证码。').waitFor();
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    await page.getByRole('status').getByText('验证码已通过短信发到 13900139002。').waitFor();
    expect(await page.getByRole('button', { name: /^\d+ 秒后重新获取$/ }).isDisabled()).toBe(true);
    const sms = suite.platform.lastCode('+8613900139002');
    const code = page.getByLabel('短信验证码');
    await code.fill(wrongCode(sms));
    await page.getByRole('button', { name: '提交更正' }).click();
    await page.getByRole('alert').getByText('验证码不正确或已过期，请检查，或重新获取。').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'customer-change-phone');

    await code.fill(sms);
    await page.getByRole('button', { name: '提交更正' }).click();
    await page.getByRole('status').getByText('已更正。').waitFor();
    expect(await newPhone.inputValue()).toBe('');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('heading', { name: '客户登录' }).waitFor();
    await page.getByLabel('手机号').fill('13900139002');
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '我的账户' }).waitFor();
  });
});

/** A shop signs up and records a customer who agreed in store; the answer is the invite link for them. */
async function shopInvitesCustomer(customer: { name: string; phone: string }, shop = { merchantName: '舒适沙发馆', category: '沙发', email: 'owner@sofa.example.cn' }): Promise<string> {
  const token = await signUpMerchant(suite.platform, { password: 'shop password 123', displayName: '店主', city: '温州', ...shop });
  const { addCustomer } = await gql(
    suite.platform,
    `mutation($input: AddCustomerInput!) { addCustomer(input: $input) { inviteUrl } }`,
    { input: { ...customer, consentSource: 'IN_STORE', consentGiven: true } },
    token,
  );
  return addCustomer.inviteUrl;
}

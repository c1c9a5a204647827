// A phone a merchant types in proves nothing: the customer, on a 375 px phone, sees every shop
// that holds her number, confirms the one she is a customer of and disowns the one she never gave
// it to; the shop's owner sees which records are confirmed, a staff member's many contact reads
// and the per-account summary; an alliance admin sees the disowned shop's alert and clears it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityViolations, browserSuite, claimInvite, gql, nav, screenshot, scrollsSideways, signUpMerchant } from './harness.js';

// Small thresholds: two customers read raise a staff alert, one disowned record pauses a shop.
const suite = browserSuite(() => setUp(), { STAFF_CONTACT_READS_ALERT_COUNT: '2', DISOWNED_RECORDS_ALERT_THRESHOLD: '1' });
const { openPage } = suite;

const PASSWORD = 'shop password 123';
const sofa = { merchantName: '舒适沙发馆', category: '沙发', city: '温州', displayName: '王店长', email: 'wang@sofa.example.cn', password: PASSWORD };
const lights = { merchantName: '明亮灯饰', category: '灯具', city: '温州', displayName: '李店长', email: 'li@lights.example.cn', password: PASSWORD };
const tiles = { merchantName: '瓯江瓷砖', category: '瓷砖', city: '温州', displayName: '周店长', email: 'zhou@tiles.example.cn', password: PASSWORD };
const customer = { name: '陈女士', phone: '13800138001', password: 'chen password 2026' };
const alliance = '温州家居联盟';
const staff = { displayName: '店员小林', email: 'lin@sofa.example.cn', password: 'staff password 1' };

const tokens = { sofa: '', lights: '', tiles: '' };

const ADD_CUSTOMER = `mutation ($input: AddCustomerInput!) { addCustomer(input: $input) { id inviteCode } }`;

/**
 * The sofa shop founded the alliance the tile shop joined. The customer claimed the sofa shop's
 * invite; the lighting shop imported her number and the tile shop typed it in.
 */
async function setUp() {
  tokens.sofa = await signUpMerchant(suite.platform, sofa);
  tokens.lights = await signUpMerchant(suite.platform, lights);
  tokens.tiles = await signUpMerchant(suite.platform, tiles);
  const { createAlliance } = await gql(suite.platform, `mutation { createAlliance(input: { name: "${alliance}", city: "温州", description: "" }) { id } }`, {}, tokens.sofa);
  const { viewer } = await gql(suite.platform, `{ viewer { merchant { id } } }`, {}, tokens.tiles);
  await gql(suite.platform, `mutation ($a: ID!) { applyToAlliance(allianceId: $a) { status } }`, { a: createAlliance.id }, tokens.tiles);
  await gql(suite.platform, `mutation ($a: ID!, $m: ID!) { decideMembership(allianceId: $a, merchantId: $m, approve: true) { status } }`, { a: createAlliance.id, m: viewer.merchant.id }, tokens.sofa);

  const { addCustomer } = await gql(suite.platform, ADD_CUSTOMER, { input: { name: customer.name, phone: customer.phone, consentSource: 'IN_STORE', consentGiven: true } }, tokens.sofa);
  const other = await gql(suite.platform, ADD_CUSTOMER, { input: { name: '赵先生', phone: '13900139009', consentSource: 'IN_STORE', consentGiven: true } }, tokens.sofa);
  await claimInvite(suite.platform, { code: addCustomer.inviteCode, phone: `+86${customer.phone}`, password: customer.password });
  const imported = { consentSource: 'IMPORT', consentCollectedAt: '2026-03-14T02:00:00.000Z', consentCollectedWhere: '2026 温州家博会展位' };
  await gql(suite.platform, ADD_CUSTOMER, { input: { name: '陈小姐', phone: customer.phone, address: '温州市鹿城区', ...imported, consentGiven: true } }, tokens.lights);
  await gql(suite.platform, ADD_CUSTOMER, { input: { name: '陈', phone: customer.phone, consentSource: 'PHONE', consentGiven: true } }, tokens.tiles);

  // A staff member of the sofa shop reveals both its customers' phones: past the alert's count.
  await gql(suite.platform, `mutation ($input: AddStaffInput!) { addStaff(input: $input) { id } }`, { input: { ...staff, canViewContacts: true } }, tokens.sofa);
  const { signIn } = await gql(suite.platform, `mutation ($input: SignInInput!) { signIn(input: $input) { accessToken } }`, { input: { login: staff.email, password: staff.password } });
  for (const id of [addCustomer.id, other.addCustomer.id]) await gql(suite.platform, `query ($id: ID!) { customer(id: $id) { phone } }`, { id }, signIn.accessToken);
}

describe('shops that hold my number', { timeout: 90_000 }, () => {
  let phone: Page;

  it('the customer sees every shop holding her number, the ones that typed it in not confirmed', async () => {
    phone = await openPage('/customer/signin', true);
    await phone.getByLabel('手机号').fill(customer.phone);
    await phone.getByLabel('密码').fill(customer.password);
    await phone.getByRole('button', { name: '登录' }).click();
    await phone.getByRole('heading', { name: '我的账户' }).waitFor();
    await nav(phone, '收录我号码的商家');
    await phone.getByRole('heading', { name: '收录我号码的商家' }).waitFor();
    await phone.getByText('商家录入你的手机号，只是商家自己的说法，要你确认后才算数。').waitFor();

    const own = phone.getByRole('article', { name: sofa.merchantName });
    const imported = phone.getByRole('article', { name: lights.merchantName });
    const typedIn = phone.getByRole('article', { name: tiles.merchantName });
    await own.getByText('已确认', { exact: true }).waitFor();
    expect(await own.getByRole('button', { name: '是，我是这家店的顾客' }).count()).toBe(0);
    await imported.getByText('未确认', { exact: true }).waitFor();
    await imported.getByText('保存的信息：姓名、电话和地址').waitFor();
    await imported.getByText(/商家说明的来源：导入 · 商家称于 2026年3月14日 在「2026 温州家博会展位」取得你的同意/).waitFor();
    await typedIn.getByText('未确认', { exact: true }).waitFor();
    await typedIn.getByText('商家说明的来源：电话同意').waitFor();
    expect(await scrollsSideways(phone)).toBe(false);
    await screenshot(phone, 'held-records-phone');
    expect(await accessibilityViolations(phone)).toEqual([]);
  });

  it('confirms being the lighting shop’s customer', async () => {
    const imported = phone.getByRole('article', { name: lights.merchantName });
    await imported.getByRole('button', { name: '是，我是这家店的顾客' }).click();
    await phone.getByRole('status').getByText(`已确认你是「${lights.merchantName}」的顾客。`, { exact: false }).waitFor();
    await imported.getByText('已确认', { exact: true }).waitFor();
    expect(await imported.getByRole('button', { name: '我从未把号码给过这家店' }).count()).toBe(0);
  });

  it('disowns the tile shop after reading what it does, and the record is gone', async () => {
    const typedIn = phone.getByRole('article', { name: tiles.merchantName });
    await typedIn.getByRole('button', { name: '我从未把号码给过这家店' }).click();
    const dialog = typedIn.getByRole('group', { name: '我从未把号码给过这家店' });
    await dialog.getByText(`「${tiles.merchantName}」保存的你的记录将被删除，这家店会被报告给联盟管理员。此操作无法撤销。`).waitFor();
    expect(await dialog.getByRole('button', { name: '删除并报告这家店' }).getAttribute('class')).toContain('danger');
    expect(await scrollsSideways(phone)).toBe(false);
    await screenshot(phone, 'held-records-disown-phone');
    expect(await accessibilityViolations(phone)).toEqual([]);
    await dialog.getByRole('button', { name: '删除并报告这家店' }).click();
    await phone.getByRole('status').getByText(`已删除「${tiles.merchantName}」保存的记录，并报告给了联盟管理员。`).waitFor();
    await typedIn.waitFor({ state: 'detached' });
    expect(await phone.getByRole('article').count()).toBe(2);

    await phone.getByRole('button', { name: 'English' }).click();
    await phone.getByRole('heading', { name: 'Shops that hold my number' }).waitFor();
    await phone.getByRole('status').getByText(`${tiles.merchantName}'s record was erased and the shop reported to the alliance admins.`).waitFor();
    await phone.getByRole('article', { name: lights.merchantName }).getByText('Confirmed', { exact: true }).waitFor();
    expect(await scrollsSideways(phone)).toBe(false);
    await screenshot(phone, 'held-records-en-phone');
    await phone.getByRole('button', { name: '中文' }).click();
  });

  it('erases her data at the lighting shop, after being asked', async () => {
    const imported = phone.getByRole('article', { name: lights.merchantName });
    await imported.getByRole('button', { name: '在这家店删除我的信息' }).click();
    const dialog = imported.getByRole('group', { name: '在这家店删除我的信息' });
    await dialog.getByText(`确定要在 ${lights.merchantName} 删除你的个人信息吗？此操作无法撤销。`).waitFor();
    await dialog.getByRole('button', { name: '确认删除' }).click();
    await phone.getByRole('status').getByText(`已删除你在「${lights.merchantName}」的信息。`).waitFor();
    await imported.waitFor({ state: 'detached' });
    expect(await phone.getByRole('article').count()).toBe(1);
  });
});

describe('the shop owner and the alliance admin', { timeout: 90_000 }, () => {
  let page: Page;

  it('the owner sees which records are confirmed, and an import asks when and where the customer agreed', async () => {
    page = await openPage('/signin', true);
    await page.getByLabel('邮箱').fill(sofa.email);
    await page.getByLabel('密码').fill(sofa.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '商户控制台' }).waitFor();
    await nav(page, '客户');
    const confirmed = page.getByRole('article', { name: customer.name }).getByText('已确认', { exact: true });
    await confirmed.waitFor();
    expect(await confirmed.getAttribute('title')).toBe('本人已用手机验证码确认是本店顾客。');
    await page.getByRole('article', { name: '赵先生' }).getByText('未确认', { exact: true }).waitFor();

    expect(await page.getByLabel('取得同意的时间').count()).toBe(0);
    await page.getByLabel('同意方式').selectOption('IMPORT');
    await page.getByLabel('姓名', { exact: true }).fill('孙女士');
    await page.getByLabel('手机号', { exact: true }).fill('13700137007');
    await page.getByLabel('客户已同意本店保存其信息').check();
    const sent: string[] = [];
    page.on('request', (request) => request.url().endsWith('/graphql') && request.method() === 'POST' && sent.push(request.postData() ?? ''));
    await page.getByRole('button', { name: '添加客户' }).click();
    expect(await page.getByText('请填写此项。').count()).toBe(2);
    expect(sent.filter((body) => body.includes('AddCustomer'))).toEqual([]);
    await page.getByLabel('取得同意的时间').fill('2026-03-14');
    await page.getByLabel('取得同意的地点').fill('2026 温州家博会展位');
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'customers-import-phone');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The server's answer once the shop has added its customers for the day.
    const body = { data: null, errors: [{ message: 'Too many customers added today.', extensions: { code: 'RATE_LIMITED', retryAfter: 300 } }] };
    await page.route('**/graphql', (route) => (route.request().postData()?.includes('AddCustomer') ? route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) }) : route.continue()));
    await page.getByRole('button', { name: '添加客户' }).click();
    await page.getByRole('alert').getByText('本店今天添加的客户已达上限，请5分钟后再试。').waitFor();
    await page.unroute('**/graphql');
  });

  it('the owner sees the staff member’s many reads as an alert and in the per-account summary', async () => {
    await nav(page, '员工');
    const alert = page.getByRole('article', { name: `查看联系方式过多 · ${sofa.merchantName}` }).filter({ hasText: staff.displayName });
    await alert.getByText(new RegExp(`^「${staff.displayName}」在 .+ 查看了 2 位客户的联系方式。$`)).waitFor();
    const reads = page.getByRole('table', { name: '各账号查看客户联系方式的次数' });
    const row = reads.getByRole('row', { name: new RegExp(`^${staff.displayName}（员工） 2 2 2 `) });
    await row.waitFor();
    expect(await reads.getByRole('row', { name: new RegExp(`^${sofa.displayName}（店主）`) }).count()).toBe(1);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'staff-alerts-phone');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('the alliance admin sees the tile shop’s disowned record and clears the alert with a reason', async () => {
    await nav(page, '联盟管理');
    await page.getByRole('link', { name: `${alliance} · 温州` }).click();
    const alert = page.getByRole('article', { name: `顾客否认的记录 · ${tiles.merchantName}` });
    await alert.getByText(/^自 .+ 起，有 1 位顾客表示从未把号码给过这家店。/).waitFor();
    await alert.getByRole('button', { name: '解除提醒' }).click();
    const dialog = alert.getByRole('group', { name: '解除提醒' });
    await dialog.getByRole('button', { name: '解除提醒' }).click();
    await dialog.getByText('请填写此项。').waitFor();
    await dialog.getByLabel('解除原因').fill('已联系店主核实，号码为误录，已删除');
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'admin-alert-clear-phone');
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: '解除提醒' }).click();
    await page.getByRole('status').getByText('已解除提醒。').waitFor();
    await alert.waitFor({ state: 'detached' });
    await page.getByLabel('显示已解除的提醒').check();
    await alert.getByText(/^已于 .+ 解除，原因：已联系店主核实，号码为误录，已删除$/).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
  });
});

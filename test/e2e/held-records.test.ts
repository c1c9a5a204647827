// A phone a merchant types in proves nothing: the customer, on a 375 px phone, sees every shop
// that holds her number, confirms the one she is a customer of and disowns the one she never gave
// it to; the shop's owner sees which records are confirmed, a staff member's many contact reads
// and the per-account summary; an alliance admin sees the disowned shop's alert and clears it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, claimInvite, gql, nav, screenshot, scrollsSideways, signUpMerchant } from './harness.js';

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
  await claimInvite(suite.platform, { code: addCustomer.inviteCode, phone: `+86${customer.phone}`, password: customer.password });
  const imported = { consentSource: 'IMPORT', consentCollectedAt: '2026-03-14T02:00:00.000Z', consentCollectedWhere: '2026 温州家博会展位' };
  await gql(suite.platform, ADD_CUSTOMER, { input: { name: '陈小姐', phone: customer.phone, address: '温州市鹿城区', ...imported, consentGiven: true } }, tokens.lights);
  await gql(suite.platform, ADD_CUSTOMER, { input: { name: '陈', phone: customer.phone, consentSource: 'PHONE', consentGiven: true } }, tokens.tiles);
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
    await dialog.getByRole('button', { name: '删除并报告这家店' }).click();
    await phone.getByRole('status').getByText(`已删除「${tiles.merchantName}」保存的记录，并报告给了联盟管理员。`).waitFor();
    await typedIn.waitFor({ state: 'detached' });
    expect(await phone.getByRole('article').count()).toBe(2);

    await phone.getByRole('button', { name: 'English' }).click();
    await phone.getByRole('heading', { name: 'Shops that hold my number' }).waitFor();
    await phone.getByRole('article', { name: lights.merchantName }).getByText('Confirmed', { exact: true }).waitFor();
    expect(await scrollsSideways(phone)).toBe(false);
    await screenshot(phone, 'held-records-en-phone');
    await phone.getByRole('button', { name: '中文' }).click();
  });
});

// A campaign's reach in a real browser: a merchant uploads a poster for an offer from a phone
// (checked before sending, a preview at once, the upload's progress), makes a share channel and
// saves its share poster, and a scan of it counts and opens the public page of the offer on a
// signed-out phone; the organizer lists the campaign's livestream
// and activity links (a running livestream reads "live now"). The alliance, its community, the
// offer and the campaign are set up through the API; the merchant signs in on the page.
import { readFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TIMEOUT, WAIT, ensureWebBuilt, gql, launchChromium, screenshot, scrollsSideways, signUpMerchant, startPlatform, type RunningPlatform } from './harness.js';

/**
 * The server names share links by its public address (PUBLIC_URL), and a download
 * link works on the app's own origin only. So the browser reaches the server through a front
 * (as behind a deployment's proxy) whose address is the server's PUBLIC_URL, known before it starts.
 */
let front: Server;
let publicUrl = '';
let platform: RunningPlatform;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  front = createServer((req, res) => {
    const { hostname, port } = new URL(platform.url);
    const upstream = request({ hostname, port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  publicUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  platform = await startPlatform({ PUBLIC_URL: publicUrl });
  browser = await launchChromium();
  await setUp();
}, SETUP_TIMEOUT);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  front?.closeAllConnections();
  await new Promise((resolve) => front?.close(resolve));
  await platform?.close();
});

/** A page on a 375 px phone, opened at `path` of the public address. */
async function openPhonePage(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  await page.goto(publicUrl + path);
  return page;
}

const sofa = { merchantName: '舒适沙发馆', category: '沙发', city: '温州', displayName: '王店长', email: 'wang@sofa.example.cn', password: 'shop password 123' };
const campaign = '新房季沙发窗帘联合优惠';
const offer = '布艺沙发限时 9 折';
const ids = { alliance: '', community: '', campaign: '', offer: '' };
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
  token = await signUpMerchant(platform, sofa);
  ids.alliance = (await gql(platform, `mutation { createAlliance(input: { name: "温州家居联盟", city: "温州", description: "" }) { id } }`, {}, token)).createAlliance.id;
  ids.community = (
    await gql(platform, `mutation ($input: CreateCommunityInput!) { createCommunity(input: $input) { id } }`, { input: { allianceId: ids.alliance, name: '鹿城新房业主群', description: '', rules: '' } }, token)
  ).createCommunity.id;
  await gql(platform, `mutation ($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: ids.community }, token);
  const { createCampaign } = await gql(
    platform,
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
  const { postOffer } = await gql(
    platform,
    `mutation ($input: PostOfferInput!) { postOffer(input: $input) { id } }`,
    { input: { title: offer, body: '进店报平台名称再送抱枕', category: sofa.category, communityIds: [ids.community], startsAt: new Date(Date.now() - DAY).toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString() } },
    token,
  );
  ids.offer = postOffer.id;
}

async function signIn(): Promise<Page> {
  const page = await openPhonePage('/signin');
  await page.getByLabel('邮箱').fill(sofa.email);
  await page.getByLabel('密码').fill(sofa.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '商户控制台' }).waitFor();
  return page;
}

const openCampaign = async (page: Page) => {
  await page.goto(`${publicUrl}/merchant/campaign?id=${encodeURIComponent(ids.campaign)}`);
  await page.getByRole('heading', { name: campaign }).waitFor();
};

/** The width an <img> loaded at (0 while loading or when it failed to load). */
const loadedWidth = (image: Locator) => image.evaluate((img) => ((img as unknown as { complete: boolean }).complete ? (img as unknown as { naturalWidth: number }).naturalWidth : 0));

/** A phone photo stand-in: a 1200x1600 JPEG. */
const photo = () => sharp({ create: { width: 1200, height: 1600, channels: 3, background: { r: 180, g: 120, b: 80 } } }).jpeg({ quality: 90 }).toBuffer();

describe('posters', { timeout: 90_000 }, () => {
  it('a merchant uploads a poster for its offer from a phone: checked before sending, previewed, the progress to 100%, then shown', async () => {
    const page = await signIn();
    await page.goto(`${publicUrl}/merchant/offer?id=${encodeURIComponent(ids.offer)}`);
    await page.getByRole('heading', { name: offer, level: 1 }).waitFor();
    const card = page.locator('section', { has: page.getByRole('heading', { name: '海报' }) });
    await card.getByText('还没有海报。').waitFor();
    const picker = card.getByLabel('选择海报图片');
    expect(await picker.getAttribute('capture')).toBeNull();

    const uploads: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/media') && uploads.push(r.url()));
    // The preview is an object URL (blob:), which the content policy must let through.
    const refused: string[] = [];
    page.on('console', (m) => m.text().includes('Content Security Policy') && refused.push(m.text()));
    await picker.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
    await card.getByRole('alert').getByText('请选择 JPEG、PNG 或 WebP 格式的图片。').waitFor();
    await picker.setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
    await card.getByRole('alert').getByText('这张图片有 10.0 MB，超过了 10 MB 的上限。请换一张，或先压缩再上传。').waitFor();
    expect(uploads).toEqual([]);

    await picker.setInputFiles({ name: 'sofa.jpg', mimeType: 'image/jpeg', buffer: await photo() });
    await card.getByRole('status').getByText('海报已更新。').waitFor();
    expect(uploads).toHaveLength(1);
    expect(refused).toEqual([]);
    expect(await card.locator('progress').getAttribute('value')).toBe('100');
    await card.getByText('已上传 100%').waitFor();
    const poster = card.getByRole('img', { name: `「${offer}」的海报` });
    await poster.waitFor();
    // A path on the server: it works at whatever address the page was opened.
    expect(await poster.getAttribute('src')).toMatch(/^\/media\//);
    // The display rendition (inside 1080x1920), its size set before it loads so nothing jumps.
    expect([await poster.getAttribute('width'), await poster.getAttribute('height')]).toEqual(['1080', '1440']);
    await expect.poll(() => loadedWidth(poster)).toBe(1080);
    await card.getByText('更换海报').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'offer-poster-phone');

    // A share channel for the group the poster goes to: its link, its counts, its poster to save.
    const share = page.locator('section', { has: page.getByRole('heading', { name: '分享海报' }) });
    await share.getByText('还没有分享渠道。').waitFor();
    await share.getByLabel('渠道名称').fill('鹿城业主 1 群');
    await share.getByLabel('发到哪个社群（可不选）').selectOption({ label: '鹿城新房业主群' });
    await share.getByRole('button', { name: '生成分享海报' }).click();
    await share.getByRole('status').getByText('分享渠道已建好，可以下载海报了。').waitFor();
    const channel = share.getByRole('listitem').filter({ hasText: '鹿城业主 1 群' });
    await channel.getByText('鹿城新房业主群 · 扫码 0 次 · 访问 0 次').waitFor();
    const link = (await channel.locator('.share-link').textContent())!;
    expect(link).toMatch(new RegExp(`^${publicUrl}/s/\\w+$`));
    const preview = channel.getByRole('img', { name: '渠道「鹿城业主 1 群」的分享海报' });
    await expect.poll(() => loadedWidth(preview)).toBeGreaterThan(0);
    await screenshot(page, 'offer-share-poster-phone');

    const [download] = await Promise.all([page.waitForEvent('download'), channel.getByRole('link', { name: '下载分享海报' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^poster-\w+\.png$/);
    const saved = await readFile((await download.path())!);
    expect(saved.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect((await sharp(saved).metadata()).format).toBe('png');

    // Someone in the group scans the QR code on another phone, signed out: the scan is counted and
    // the channel's public page shows the offer (its poster, title, merchant and text), counted as
    // a visit once, a reload included; to show interest the visitor is asked to sign in.
    const visitor = await openPhonePage('/');
    const visits: string[] = [];
    visitor.on('request', (r) => r.postData()?.includes('recordShareVisit') && visits.push(r.url()));
    await visitor.goto(link);
    await visitor.waitForURL((url) => url.pathname === `/shared/${link.split('/').at(-1)}`);
    await visitor.getByRole('heading', { name: offer, level: 1 }).waitFor();
    await visitor.getByText(/^舒适沙发馆 · /).waitFor();
    await visitor.getByText('进店报平台名称再送抱枕').waitFor();
    await expect.poll(() => loadedWidth(visitor.getByRole('img', { name: `「${offer}」的海报` }))).toBe(1080);
    await expect.poll(() => visits.length).toBe(1);
    await visitor.reload();
    await visitor.getByRole('heading', { name: offer, level: 1 }).waitFor();
    expect(visits).toHaveLength(1);
    expect(await visitor.getByRole('link', { name: '客户登录' }).getAttribute('href')).toBe('/customer/signin');
    expect(await scrollsSideways(visitor)).toBe(false);
    await screenshot(visitor, 'shared-offer-phone');
    await page.reload();
    await channel.getByText('鹿城新房业主群 · 扫码 1 次 · 访问 1 次').waitFor();

    // The merchant's list of offers shows the thumbnail.
    await page.goto(`${publicUrl}/merchant/offers`);
    const thumbnail = page.getByRole('img', { name: `「${offer}」的海报` });
    await expect.poll(() => loadedWidth(thumbnail)).toBeGreaterThan(0);
    expect(await thumbnail.getAttribute('src')).toMatch(/thumb/);
  });
});

describe('campaign links', { timeout: 90_000 }, () => {
  it('the organizer adds a livestream that has started (live now) and an activity for tomorrow, https only, and removes one', async () => {
    const page = await signIn();
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

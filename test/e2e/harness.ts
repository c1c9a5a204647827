// Browser tests' setup: the built web app, the real server on a fresh database and a free port,
// and Debian's Chromium driven by playwright-core (never a downloaded browser).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { closeDb } from '../../db/client.js';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createDeps } from '../../server/deps.js';
import { startJobs } from '../../server/jobs/index.js';
import type { CodeMessage } from '../../services/notify/codes.js';
import { capturingCodeSender, dropRedisKeys, onFileEnd, onPostgres, postgresEnv } from '../fixtures.js';
import { CHROMIUM, testTempDir } from '../services.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const web = join(root, 'web');
const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** For beforeAll: it may build the web app and starts Chromium, slower than vitest's default allows. */
export const SETUP_TIMEOUT = 90_000;

const newestChange = (path: string): number => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
};

const builtIsFresh = () => {
  const built = join(web, 'dist', 'index.html');
  if (!existsSync(built)) return false;
  const sources = ['index.html', 'vite.config.ts', 'src'].map((p) => newestChange(join(web, p)));
  return statSync(built).mtimeMs > Math.max(...sources);
};

/**
 * Builds web/dist unless it is newer than every source. Test files run in parallel processes, so
 * a lock directory makes one of them build while the others wait.
 */
export async function ensureWebBuilt(): Promise<void> {
  if (builtIsFresh()) return;
  const lock = join(tmpdir(), `arp-web-build-${Buffer.from(root).toString('base64url').slice(-24)}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than a build can take was left by a killed run.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    if (!builtIsFresh()) {
      execFileSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', join(web, 'vite.config.ts'), '--logLevel', 'warn'], {
        cwd: root,
        stdio: 'inherit',
      });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface RunningPlatform {
  url: string;
  /** Every one-time code and sign-up notice sent: what the SMS and email gateway would deliver. */
  sent: CodeMessage[];
  /** The newest code sent to a phone (E.164) or an email address: what the person reads there. */
  lastCode(to: string): string;
  close(): Promise<void>;
}

/**
 * The real server, in this process, on a temporary database and a free port, with its background
 * jobs (live updates come from the notification worker) and a gateway stand-in keeping the codes.
 */
export async function startPlatform(env: Record<string, string> = {}): Promise<RunningPlatform> {
  const dir = testTempDir('e2e');
  onFileEnd(() => rmSync(dir, { recursive: true, force: true }));
  const pgDatabase = onPostgres ? await postgresEnv() : null;
  if (pgDatabase) onFileEnd(pgDatabase.drop);
  // Uploaded posters stay in the temporary directory too, never in ./data.
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_PATH: join(dir, 'e2e.db'), MEDIA_DIR: join(dir, 'media'), PORT: '0', ...pgDatabase?.env, ...env });
  const codes = capturingCodeSender();
  const deps = await createDeps(config, { codeSender: codes });
  const server = createServer(createApp(deps));
  const jobs = startJobs(deps);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent: codes.sent,
    lastCode: codes.lastCode,
    async close() {
      await jobs.stop();
      // Open live streams end, so the server can close.
      deps.pubsub.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await closeDb(deps.db);
      await deps.closeRedis();
      if (config.REDIS_URL) await dropRedisKeys(config.REDIS_URL, config.REDIS_KEY_PREFIX);
    },
  };
}

/** Sets up data the web app cannot create yet, through the same API the app uses. */
export async function gql<T = any>(platform: RunningPlatform, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const response = await fetch(`${platform.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A merchant signs up through the API with the code emailed to it; answers the owner's access token. */
export async function signUpMerchant(
  platform: RunningPlatform,
  input: { email: string; password: string; displayName: string; merchantName: string; category: string; city: string },
): Promise<string> {
  await gql(platform, `mutation ($email: String!) { sendSignUpCode(email: $email) { resendAfter } }`, { email: input.email });
  const emailCode = platform.lastCode(input.email);
  const { signUpMerchant } = await gql(platform, `mutation ($input: SignUpMerchantInput!) { signUpMerchant(input: $input) { accessToken } }`, {
    input: { ...input, emailCode },
  });
  return signUpMerchant.accessToken as string;
}

/** A customer claims an invite through the API with the code texted to `phone` (E.164); answers their access token. */
export async function claimInvite(platform: RunningPlatform, invite: { code: string; phone: string; password: string }): Promise<string> {
  await gql(platform, `mutation ($code: String!) { sendPhoneCode(input: { purpose: CLAIM_INVITE, inviteCode: $code }) { resendAfter } }`, { code: invite.code });
  const { claimCustomerInvite } = await gql(platform, `mutation ($input: ClaimCustomerInviteInput!) { claimCustomerInvite(input: $input) { accessToken } }`, {
    input: { code: invite.code, password: invite.password, phoneCode: platform.lastCode(invite.phone) },
  });
  return claimCustomerInvite.accessToken as string;
}

/** Any six digits but the code that was sent: a typo of the person reading it. */
export const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing (${CHROMIUM}). The browser tests use Debian's Chromium and never download one; \`npm test\` installs it ` +
        'when it runs as root (test/global-setup.ts). Otherwise run `apt-get install -y chromium fonts-wqy-microhei` as root, then run the tests again.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Saves what the user sees under test/e2e/screenshots/<name>.png (git-ignored) for a human to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

// The root tsconfig has no DOM types, so page-side code is passed as expressions.
export const readStorage = async <T>(page: Page, key: string): Promise<T | null> =>
  JSON.parse((await page.evaluate(`localStorage.getItem(${JSON.stringify(key)})`)) ?? 'null') as T | null;

export const writeStorage = (page: Page, key: string, value: unknown) =>
  page.evaluate(`localStorage.setItem(${JSON.stringify(key)}, ${JSON.stringify(JSON.stringify(value))})`);

/** Opens a tab of the face's navigation by its label; a badge beside it (a count) may follow the label. */
export const nav = (page: Page, label: string) =>
  page
    .getByRole('navigation')
    .getByRole('link', { name: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`) })
    .click();

/** Whether the page is wider than the screen (a horizontal scrollbar on a phone). */
export const scrollsSideways = async (page: Page) =>
  (await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth')) as boolean;

/** axe-core's source, evaluated in the page (the app's content policy rightly refuses an inline script tag). */
let axeSource: string | undefined;

/**
 * What axe-core finds against WCAG 2.1 A and AA on the page as it is now: each rule broken, with
 * the elements that break it, so a failing test says what to fix.
 */
export async function accessibilityViolations(page: Page): Promise<{ id: string; help: string; targets: string[] }[]> {
  axeSource ??= readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const results = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`)) as {
    violations: { id: string; help: string; nodes: { target: string[] }[] }[];
  };
  return results.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/** Generous waits: the whole suite runs in parallel on two cores. */
export const WAIT = 20_000;

export interface BrowserSuite {
  readonly platform: RunningPlatform;
  /** A page in a browser context of its own (desktop, or a 375 px phone), opened at `path`. */
  openPage(path: string, phone?: boolean): Promise<Page>;
}

/**
 * One file of browser tests: builds the web app, starts the server (with `env` over the test
 * configuration: small thresholds) and Chromium before the file (then runs `setUp` for data the
 * tests share) and closes everything after it.
 */
export function browserSuite(setUp?: (suite: BrowserSuite) => Promise<void>, env: Record<string, string> = {}): BrowserSuite {
  let platform: RunningPlatform | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const suite: BrowserSuite = {
    get platform() {
      if (!platform) throw new Error('the platform starts in beforeAll');
      return platform;
    },
    async openPage(path, phone = false) {
      const context = await browser!.newContext(
        phone
          ? { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'zh-CN' }
          : { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' },
      );
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(WAIT);
      await page.goto(suite.platform.url + path);
      return page;
    },
  };
  beforeAll(async () => {
    await ensureWebBuilt();
    platform = await startPlatform(env);
    browser = await launchChromium();
    await setUp?.(suite);
  }, SETUP_TIMEOUT);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await platform?.close();
  });
  return suite;
}

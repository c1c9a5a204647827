// Real server processes for the stress tests: start one (the bundle or the sources), wait until it
// answers, read the one-time codes it prints for want of a gateway, call its GraphQL endpoint, and
// follow a subscription over Server-Sent Events.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { GqlResult, TestPlatform } from '../fixtures.js';
import { messageText, type CodeMessage } from '../../services/notify/codes.js';
import type { CodePurpose } from '../../db/tables/index.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

/** A port nobody listens on right now. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** `npm run build:server`: dist/server.mjs, what `npm start` runs. */
export function buildServerBundle(): void {
  execFileSync('npm', ['run', '--silent', 'build:server'], { stdio: 'inherit' });
}

/** The Node flags `npm start` gives the server (package.json config.serverNodeFlags). */
export const serverNodeFlags = (JSON.parse(readFileSync('package.json', 'utf8')) as { config: { serverNodeFlags: string } }).config.serverNodeFlags.split(' ').filter(Boolean);

export interface ServerProcess {
  name: string;
  port: number;
  /** http://127.0.0.1:port */
  base: string;
  proc: ChildProcess;
  /** Everything it wrote to stdout (one-time codes, log lines at LOG_LEVEL). */
  readonly printed: string;
  /** Everything it wrote to stderr. */
  readonly errors: string;
  /** The one-time codes it printed, as the gateway would have received them. */
  codes: CodeMessage[];
  /** Settles when the process has exited. */
  exited: Promise<void>;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  name?: string;
  port?: number;
  /** dist/server.mjs (build it first with buildServerBundle) or server/main.ts through tsx. */
  entry: 'bundle' | 'source';
  env: Record<string, string>;
  /** How long to wait for /readyz (a fresh database is migrated first). */
  readyTimeoutMs?: number;
}

/** The printed line of a code sender without a gateway (services/notify/codes.ts). */
const PRINTED = /^\[development: no gateway\] (SMS|EMAIL) to (\S+): (.*)$/;
const PURPOSES: CodePurpose[] = ['CLAIM_INVITE', 'CHANGE_PHONE', 'SIGN_UP'];

function parseCodeLine(line: string): CodeMessage | null {
  const m = PRINTED.exec(line);
  if (!m) return null;
  const [, channel, to, text] = m as unknown as [string, 'SMS' | 'EMAIL', string, string];
  const code = /验证码 (\d{6})/.exec(text)?.[1];
  if (!code) return { id: '', channel: 'EMAIL', to, kind: 'ACCOUNT_EXISTS', link: text };
  // The purpose is told by the words before the code.
  const purpose = PURPOSES.find((p) => text.startsWith(messageText({ id: '', channel, to, kind: 'CODE', purpose: p, code: '\u0000', expiresAt: '' }).split('\u0000')[0]!))!;
  return { id: '', channel, to, kind: 'CODE', purpose, code, expiresAt: '' };
}

/** Starts a server process on `port` (a free one by default) and resolves once /readyz answers. */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const args = options.entry === 'bundle' ? [...serverNodeFlags, 'dist/server.mjs'] : ['--import', 'tsx', 'server/main.ts'];
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'silent', ...options.env },
    // stdout carries the one-time codes a server without a gateway prints.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  let errors = '';
  let partial = '';
  const codes: CodeMessage[] = [];
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    printed += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      const code = parseCodeLine(line);
      if (code) codes.push(code);
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  let running = true;
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  const server: ServerProcess = {
    name: options.name ?? `:${port}`,
    port,
    base: `http://127.0.0.1:${port}`,
    proc,
    get printed() {
      return printed;
    },
    get errors() {
      return errors;
    },
    codes,
    exited,
    alive: () => running,
    async stop(signal = 'SIGKILL') {
      if (running) proc.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    if (!running) throw new Error(`server ${server.name} exited at start: ${errors || printed}`);
    try {
      if ((await fetch(`${server.base}/readyz`)).ok) return server;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  await server.stop();
  throw new Error(`server ${server.name} did not answer /readyz in time: ${errors || printed}`);
}

/** Waits until `server` has printed more than `before` codes; the newest one. */
export async function nextPrintedCode(server: ServerProcess, before: number, timeoutMs = 5_000): Promise<CodeMessage> {
  const deadline = Date.now() + timeoutMs;
  while (server.codes.length <= before) {
    if (Date.now() > deadline) throw new Error(`server ${server.name} printed no code`);
    await sleep(10);
  }
  return server.codes.at(-1)!;
}

/** One GraphQL call over HTTP (fetch errors, such as a refused connection, propagate). */
export async function gqlAt<T = any>(
  server: Pick<ServerProcess, 'base'>,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GqlResult<T>> {
  const res = await fetch(`${server.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GqlResult['errors'] };
  return { status: res.status, data: body.data as T, errors: body.errors, body };
}

const SENDS_CODE = /\b(sendPhoneCode|sendSignUpCode)\b/;

/**
 * The API of one server process as the story helpers (test/story.ts, test/factories.ts) use a
 * TestPlatform: gql, and the codes sent (read off what the process prints). A call that sends a
 * code returns once the code has been read, as with the in-process gateway stand-in; so calls
 * that send codes must not overlap on one process.
 */
export function apiOf(server: ServerProcess): TestPlatform {
  const api: Pick<TestPlatform, 'gql' | 'sent' | 'lastCode'> = {
    sent: server.codes,
    async gql(query, variables, token) {
      const before = server.codes.length;
      const r = await gqlAt(server, query, variables, token);
      if (SENDS_CODE.test(query) && !r.errors) await nextPrintedCode(server, before);
      return r;
    },
    lastCode(to) {
      const message = server.codes.findLast((m) => m.to === to && m.kind === 'CODE');
      if (!message || message.kind !== 'CODE') throw new Error(`${server.name} printed no code for ${to}`);
      return message.code;
    },
  };
  // The story helpers use only these three members; deps, app and sql belong to an in-process platform.
  return api as TestPlatform;
}

/**
 * Referrals whose grant does not match their status: an acceptance without a live grant, a
 * revocation without a revoked grant, or a grant on a request never accepted. Portable SQL.
 */
export const MISMATCHED_GRANTS_SQL = `select r.id, r.status, g.revoked_at from referral_requests r left join contact_grants g on g.referral_id = r.id
   where (r.status = 'ACCEPTED' and (g.id is null or g.revoked_at is not null))
      or (r.status = 'REVOKED' and (g.id is null or g.revoked_at is null))
      or (r.status in ('PENDING', 'DECLINED', 'WITHDRAWN', 'EXPIRED') and g.id is not null)`;

// A server under write load is killed with SIGKILL at random moments, at least 20 times. After
// each restart every mutation that had answered success is present and integrity_check passes.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const KILLS = Number(process.env.STRESS_KILLS ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'arp-crash-'));
const dbPath = join(dir, 'crash.db');
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let printed = '';

/** The newest code the server printed, once it has. */
async function printedCode(): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const codes = [...printed.matchAll(/验证码 (\d{6})/g)];
    if (codes.length) return codes.at(-1)![1]!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the server printed no code');
}

async function start(port: number): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATABASE_PATH: dbPath, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'never', LOG_LEVEL: 'silent', NODE_ENV: 'development' },
    // stdout carries the one-time codes a development server prints for want of a gateway.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return proc;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

const gql = async (port: number, query: string, variables: object, token?: string) => {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
};

describe('crash safety', () => {
  it(`${KILLS} SIGKILLs under write load lose no acknowledged write and leave a sound database`, async () => {
    const port = await freePort();
    child = await start(port);
    await gql(port, `mutation { sendSignUpCode(email: "crash@example.cn") { resendAfter } }`, {});
    const signUp = await gql(port, `mutation($i: SignUpMerchantInput!) { signUpMerchant(input: $i) { accessToken } }`, {
      i: { email: 'crash@example.cn', password: 'crash test pw', displayName: '测试', merchantName: '崩溃测试店', category: 'sofa', city: '温州', emailCode: await printedCode() },
    });
    const token = signUp.data.signUpMerchant.accessToken as string;
    const acknowledged = new Set<number>();

    for (let round = 0; round < KILLS; round++) {
      if (round > 0) child = await start(port);
      let running = true;
      const writers = Array.from({ length: 4 }, async () => {
        while (running) {
          try {
            const r = await gql(port, `mutation($t: String!) { publishPrivacyNotice(text: $t) { version } }`, { t: `第 ${round} 轮的隐私声明` }, token);
            if (r.data?.publishPrivacyNotice) acknowledged.add(r.data.publishPrivacyNotice.version);
          } catch {
            return; // the server died under us: this write was never acknowledged
          }
        }
      });
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 500));
      const exited = new Promise((r) => child!.once('exit', r));
      child!.kill('SIGKILL');
      await exited;
      running = false;
      await Promise.all(writers);

      const db = new Database(dbPath);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const stored = new Set((db.prepare('select version from privacy_notices').all() as { version: number }[]).map((r) => r.version));
        const lost = [...acknowledged].filter((v) => !stored.has(v));
        expect(lost, `round ${round}`).toEqual([]);
      } finally {
        db.close();
      }
    }
    expect(acknowledged.size).toBeGreaterThan(KILLS);
  });
});

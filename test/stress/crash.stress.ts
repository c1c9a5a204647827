// A server under write load is killed with SIGKILL at random moments, at least 20 times. After
// each restart every mutation that had answered success is present and integrity_check passes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { apiOf, freePort, gqlAt, startServer, type ServerProcess } from './processes.js';

const KILLS = Number(process.env.STRESS_KILLS ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'arp-crash-'));
const dbPath = join(dir, 'crash.db');
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

// A development server without a gateway prints the one-time codes (read off its stdout).
const start = (port: number) => startServer({ port, entry: 'source', env: { DATABASE_PATH: dbPath, NODE_ENV: 'development' } });

describe('crash safety', () => {
  it(`${KILLS} SIGKILLs under write load lose no acknowledged write and leave a sound database`, async () => {
    const port = await freePort();
    server = await start(port);
    const api = apiOf(server);
    await api.gql(`mutation { sendSignUpCode(email: "crash@example.cn") { resendAfter } }`, {});
    const signUp = await api.gql(`mutation($i: SignUpMerchantInput!) { signUpMerchant(input: $i) { accessToken } }`, {
      i: { email: 'crash@example.cn', password: 'crash test pw', displayName: '测试', merchantName: '崩溃测试店', category: 'sofa', city: '温州', emailCode: api.lastCode('crash@example.cn') },
    });
    const token = signUp.data.signUpMerchant.accessToken as string;
    const acknowledged = new Set<number>();

    for (let round = 0; round < KILLS; round++) {
      if (round > 0) server = await start(port);
      const current = server;
      let running = true;
      const writers = Array.from({ length: 4 }, async () => {
        while (running) {
          try {
            const r = await gqlAt(current, `mutation($t: String!) { publishPrivacyNotice(text: $t) { version } }`, { t: `第 ${round} 轮的隐私声明` }, token);
            if (r.data?.publishPrivacyNotice) acknowledged.add(r.data.publishPrivacyNotice.version);
          } catch {
            return; // the server died under us: this write was never acknowledged
          }
        }
      });
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 500));
      await current.stop('SIGKILL');
      running = false;
      await Promise.all(writers);

      const db = new Database(dbPath);
      try {
        expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
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

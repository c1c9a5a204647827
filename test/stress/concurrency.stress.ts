// 16 clients for 30 s against the real server, mixing requests, accepts, declines, withdrawals
// and revocations on shared referrals. Afterwards every referral has one outcome, grants match
// acceptances, no SQLITE_BUSY reached a client, and the database passes integrity_check.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createTestPlatform, type TestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, type Cast } from '../story.js';
import { MISMATCHED_GRANTS_SQL, pick } from './processes.js';

const SECONDS = Number(process.env.STRESS_SECONDS ?? 30);
const CLIENTS = 16;

let p: TestPlatform;
let cast: Cast;
let server: Server;
let url: string;
const customers: { id: string; token: string }[] = [];

beforeAll(async () => {
  p = await createTestPlatform({ REFERRAL_REQUESTS_PER_DAY: '100000' });
  cast = await createCast(p);
  for (let i = 0; i < 24; i++) {
    const c = await addCustomer(p, cast.sofa, { name: `并发客户${i}` });
    const token = await claim(p, c.inviteCode);
    // Generous caps so the run exercises answers, not refusals.
    await ok(p, `mutation { updateConsent(input: { maxRequestsPerWeek: 7, maxRequestsPerMonth: 30 }) { version } }`, {}, token);
    customers.push({ id: c.id, token });
  }
  server = createServer(createApp(p.deps)).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function call(query: string, variables: Record<string, unknown>, token: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('concurrency', () => {
  it(`${CLIENTS} clients for ${SECONDS} s leave one outcome per referral and grants matching acceptances`, async () => {
    const referrals: { id: string; customer: { id: string; token: string } }[] = [];
    const terminalSuccesses = new Map<string, number>();
    const problems: string[] = [];
    let calls = 0;
    const record = (r: Awaited<ReturnType<typeof call>>) => {
      calls++;
      if (r.status >= 500) problems.push(`HTTP ${r.status}`);
      for (const e of r.body.errors ?? []) {
        if (/SQLITE|busy|locked/i.test(e.message) || e.extensions?.code === 'INTERNAL_SERVER_ERROR') problems.push(e.message);
      }
    };
    const succeeded = (id: string) => terminalSuccesses.set(id, (terminalSuccesses.get(id) ?? 0) + 1);

    const actions = [
      async () => {
        const customer = pick(customers);
        const to = pick([cast.light, cast.curtain]);
        const r = await call(
          `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`,
          { i: { customerId: customer.id, toMerchantId: to.merchantId, purpose: '并发测试', fields: ['PHONE'], retentionDays: 7 } },
          cast.sofa.accessToken,
        );
        record(r);
        if (r.body.data?.proposeReferral) referrals.push({ id: r.body.data.proposeReferral.id, customer });
      },
      async () => {
        const ref = referrals.length ? pick(referrals) : null;
        if (!ref) return;
        const r = await call(`mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`, { i: { referralId: ref.id, accept: Math.random() < 0.6 } }, ref.customer.token);
        record(r);
        if (r.body.data?.respondToReferral) succeeded(ref.id);
      },
      async () => {
        const ref = referrals.length ? pick(referrals) : null;
        if (!ref) return;
        const r = await call(`mutation($id: ID!) { withdrawReferral(referralId: $id) { status } }`, { id: ref.id }, cast.sofa.accessToken);
        record(r);
        if (r.body.data?.withdrawReferral) succeeded(ref.id);
      },
      async () => {
        const ref = referrals.length ? pick(referrals) : null;
        if (!ref) return;
        record(await call(`mutation($id: ID!) { revokeGrant(referralId: $id) { status } }`, { id: ref.id }, ref.customer.token));
      },
    ];

    const deadline = Date.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < deadline) await pick(actions)();
      }),
    );

    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThan(SECONDS * 10);
    expect(referrals.length).toBeGreaterThan(10);
    // Every referral answered, declined or withdrawn at most once.
    expect([...terminalSuccesses.values()].every((n) => n === 1)).toBe(true);
    const db = p.deps.db.$client;
    expect(db.prepare(MISMATCHED_GRANTS_SQL).all()).toEqual([]);
    expect(db.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
  });
});

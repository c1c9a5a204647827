// Three server processes (the built bundle) on one PostgreSQL database and one Redis, started
// together (each migrates at start, under the advisory lock). Failed sign-ins spread over the
// three count together; a subscriber on A hears a change made through B; then 16 clients run the
// referral story for 30 s over the three, one process is SIGKILLed midway and its clients fail over
// (retrying with the same Idempotency-Key). Afterwards, by SQL: every acknowledged mutation's
// effect is in the database exactly once, no referral has two outcomes, caps held, every event was
// fanned out once, and the subscriber on A heard what the survivors delivered.
// Needs PostgreSQL and Redis (test/services.ts: the shared ones, or the run's own when they are down).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localId } from '../../schema/policies/global-id.js';
import { signUpMerchant } from '../factories.js';
import { freshPgDatabase, type FreshDatabase } from '../pg.js';
import { testRedisPrefix, testRedisUrl } from '../services.js';
import { addCustomer, claim, createCast, ok, type Cast } from '../story.js';
import { subscribe } from '../sse.js';
import { apiOf, buildServerBundle, gqlAt, MISMATCHED_GRANTS_SQL, pick, sleep, startServer, type ServerProcess } from './processes.js';

const SECONDS = Number(process.env.STRESS_SECONDS ?? 30);
const CLIENTS = 16;
const CUSTOMERS = 24;
/** Each customer's weekly cap (below the 2-per-requester × 2 requesters the story allows). */
const WEEKLY_CAP = 3;
const SIGN_IN_FAILURES = 3;
const REDIS_URL = testRedisUrl;
const REDIS_KEY_PREFIX = testRedisPrefix('stress-mp');

let database: FreshDatabase;
let servers: ServerProcess[] = [];
let redis: Redis;
let cast: Cast;
const customers: { id: string; token: string; interestId: string }[] = [];

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  buildServerBundle();
  database = await freshPgDatabase('stress_mp');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL,
    REDIS_KEY_PREFIX,
    JWT_PRIVATE_KEY: privateKey,
    JWT_PUBLIC_KEY: publicKey,
    PII_KEY: randomBytes(32).toString('base64'),
    SIGN_IN_FAILURES_PER_15_MIN: String(SIGN_IN_FAILURES),
    // Every client is 127.0.0.1: only the per-login limit is under test.
    CODES_PER_IP_PER_HOUR: '1000000',
    INVITE_CLAIMS_PER_15_MIN: '1000000',
    REFERRAL_REQUESTS_PER_DAY: '1000000',
    // Live updates wait for the worker's poll.
    NOTIFY_POLL_MS: '250',
  };
  // All three at once: each migrates the empty database at start, taking turns on the advisory lock.
  servers = await Promise.all(['A', 'B', 'C'].map((name) => startServer({ name, entry: 'bundle', env, readyTimeoutMs: 60_000 })));

  cast = await createCast(apiOf(servers[0]!));
  // Customers are added on all three processes at once, one after another on each (the codes are
  // read off each process's console).
  await Promise.all(
    servers.map(async (server, lane) => {
      const api = apiOf(server);
      for (let i = lane; i < CUSTOMERS; i += servers.length) {
        const c = await addCustomer(api, cast.sofa, { name: `多进程客户${i}` });
        const token = await claim(api, c.inviteCode);
        await ok(api, `mutation { updateConsent(input: { maxRequestsPerWeek: ${WEEKLY_CAP}, maxRequestsPerMonth: 30 }) { version } }`, {}, token);
        await ok(api, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: cast.communityId }, token);
        const { expressInterest } = await ok(api, `mutation($o: ID!) { expressInterest(offerId: $o) { id } }`, { o: cast.offerId }, token);
        customers[i] = { id: c.id, token, interestId: expressInterest.id };
      }
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(
    servers.map(async (s) => {
      const stopped = s.stop('SIGTERM');
      await Promise.race([stopped, sleep(5_000)]);
      await s.stop('SIGKILL');
    }),
  );
  await database?.drop();
  if (redis) {
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `${REDIS_KEY_PREFIX}*` })) keys.push(...(batch as string[]));
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
});

/** Redis drops what is published before a subscriber's channel exists: waits until a process subscribed this merchant's. */
const subscribedInRedis = (merchantId: string) =>
  vi.waitFor(async () => expect(await redis.pubsub('CHANNELS', `${REDIS_KEY_PREFIX}referralUpdated:merchant:${localId('Merchant', merchantId)}`)).toHaveLength(1), { timeout: 5_000 });

const sql = async <T = Record<string, any>>(text: string, params: unknown[] = []) => (await database.pool.query(text, params)).rows as T[];

describe('three server processes on one PostgreSQL and one Redis', () => {
  it('started together, they applied the migrations once', async () => {
    const [{ n }] = await sql<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    expect(n).toBe(readdirSync('db/migrations-pg', { withFileTypes: true }).filter((e) => e.isDirectory()).length);
    for (const s of servers) expect((await fetch(`${s.base}/readyz`)).ok).toBe(true);
  });

  it(`sign-in failures spread over A, B and C count together: the limit (${SIGN_IN_FAILURES}) trips at their total`, async () => {
    const victim = await signUpMerchant(apiOf(servers[1]!), { merchantName: '被猜密码的店' });
    const SIGN_IN = `mutation($l: String!, $p: String!) { signIn(input: { login: $l, password: $p }) { accessToken } }`;
    for (let i = 0; i < SIGN_IN_FAILURES; i++) {
      const r = await gqlAt(servers[i % servers.length]!, SIGN_IN, { l: victim.email, p: `wrong guess ${i}` });
      // Each process alone has seen one failure: none of them refuses yet.
      expect(r.errors?.[0]?.extensions?.code, `failure ${i + 1} on ${servers[i % servers.length]!.name}`).toBe('UNAUTHENTICATED');
    }
    for (const s of servers) {
      const locked = await gqlAt(s, SIGN_IN, { l: victim.email, p: victim.password });
      expect(locked.errors?.[0]?.extensions?.code, `right password on ${s.name}`).toBe('RATE_LIMITED');
      expect(locked.errors![0]!.extensions!.retryAfter).toBeGreaterThan(0);
    }
  });

  it('a subscription on A receives the event of a referral requested through B', async () => {
    const stream = await subscribe(servers[0]!, `subscription { referralUpdated { id status } }`, cast.curtain.accessToken);
    try {
      await subscribedInRedis(cast.curtain.merchantId);
      const { requestReferral } = await ok(
        apiOf(servers[1]!),
        `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`,
        { i: { interestId: cast.interestId, purpose: '上门测量窗帘尺寸', fields: ['NAME', 'PHONE'], retentionDays: 30 } },
        cast.curtain.accessToken,
      );
      await vi.waitFor(() => expect(stream.events.map((e) => e.payload)).toContainEqual({ data: { referralUpdated: { id: requestReferral.id, status: 'PENDING' } } }), {
        timeout: 10_000,
      });
    } finally {
      stream.close();
    }
  });

  it(`${CLIENTS} clients for ${SECONDS} s over the three, one SIGKILLed midway: nothing acknowledged is lost or doubled`, async () => {
    const [A, B, C] = servers as [ServerProcess, ServerProcess, ServerProcess];
    const requesters = { light: cast.light, curtain: cast.curtain };

    interface Referral {
      /** The database's key. */
      id: string;
      /** The API's global ID. */
      gid: string;
      customer: (typeof customers)[number];
      initiator: 'sofa' | 'curtain';
      requester: 'light' | 'curtain';
      via: string;
      ackedAt: number;
    }
    const referrals: Referral[] = [];
    /** Acknowledged answers (accept, decline, withdraw) per referral id. */
    const outcomes = new Map<string, string[]>();
    const accepted: Referral[] = [];
    const revoked = new Set<string>();
    /** Acknowledged sales by their (unique) amount. */
    const conversions = new Map<number, string>();
    // Mutations whose answer was lost with the killed process: their effect may or may not exist.
    const inDoubt = { creates: 0, outcomes: new Set<string>(), revokes: new Set<string>(), conversions: new Set<number>() };
    const stats = { calls: 0, acknowledged: 0, failovers: 0, callsPerProcess: new Map<string, number>(), ackedPerProcess: new Map<string, number>(), errorCodes: new Map<string, number>(), latencies: [] as number[] };
    const problems: string[] = [];
    let amountSeq = 1_000;

    type Result = { kind: 'ok'; data: any; via: string } | { kind: 'error'; code: string } | { kind: 'in-doubt' };

    const clients = Array.from({ length: CLIENTS }, (_, i) => ({ i, next: i, seq: 0, down: new Set<ServerProcess>() }));
    type Client = (typeof clients)[number];

    /** A mutation under an Idempotency-Key, round-robin over the processes; a process that does not answer is left for the next one, with the same key. */
    async function mutate(client: Client, field: string, query: string, variables: Record<string, unknown>, token: string): Promise<Result> {
      const key = `mp-${client.i}-${client.seq++}-${randomBytes(4).toString('hex')}`;
      for (let tries = 0; tries < servers.length * 2; tries++) {
        const server = servers[client.next++ % servers.length]!;
        if (client.down.has(server)) continue;
        const started = Date.now();
        let r;
        try {
          stats.calls++;
          stats.callsPerProcess.set(server.name, (stats.callsPerProcess.get(server.name) ?? 0) + 1);
          r = await gqlAt(server, query, variables, token, { 'idempotency-key': key });
        } catch {
          client.down.add(server);
          stats.failovers++;
          continue;
        }
        stats.latencies.push(Date.now() - started);
        if (r.status >= 500) problems.push(`HTTP ${r.status} from ${server.name}: ${JSON.stringify(r.body)}`);
        const error = r.errors?.[0];
        if (!error && r.data?.[field]) {
          stats.acknowledged++;
          stats.ackedPerProcess.set(server.name, (stats.ackedPerProcess.get(server.name) ?? 0) + 1);
          return { kind: 'ok', data: r.data[field], via: server.name };
        }
        const code = error?.extensions?.code ?? 'NO_DATA';
        const tally = `${code}: ${error?.message}`;
        stats.errorCodes.set(tally, (stats.errorCodes.get(tally) ?? 0) + 1);
        // The key of a request whose process died: still in its lease, or its work committed and only
        // the answer was lost (server/idempotency.ts). Either way the outcome is read from the database.
        if (code === 'CONFLICT' && /still being processed|carried out/.test(error!.message)) return { kind: 'in-doubt' };
        if (code !== 'CONFLICT' && code !== 'CONSENT_REFUSED') problems.push(`${field} on ${server.name}: ${code} ${error?.message}`);
        return { kind: 'error', code };
      }
      throw new Error(`client ${client.i}: no process answers`);
    }

    const created = (r: Result, ref: Omit<Referral, 'id' | 'gid' | 'via' | 'ackedAt'>) => {
      if (r.kind === 'ok') referrals.push({ ...ref, id: localId('ReferralRequest', r.data.id), gid: r.data.id, via: r.via, ackedAt: Date.now() });
      if (r.kind === 'in-doubt') inDoubt.creates++;
    };
    /** Mostly a referral not known to be answered yet (where answers race), sometimes any. */
    const pickToAnswer = () => {
      const open = referrals.filter((r) => !outcomes.has(r.id));
      return open.length && Math.random() < 0.7 ? pick(open) : pick(referrals);
    };
    const pickAccepted = () => {
      const open = accepted.filter((r) => !revoked.has(r.id));
      return open.length && Math.random() < 0.7 ? pick(open) : pick(accepted);
    };
    const answered = (ref: Referral, r: Result, outcome: string) => {
      if (r.kind === 'ok') {
        outcomes.set(ref.id, [...(outcomes.get(ref.id) ?? []), outcome]);
        if (outcome === 'ACCEPTED') accepted.push(ref);
      }
      if (r.kind === 'in-doubt') inDoubt.outcomes.add(ref.id);
    };

    const actions: [weight: number, run: (c: Client) => Promise<void>][] = [
      // The sofa shop introduces one of its customers to a partner.
      [
        3,
        async (c) => {
          const customer = pick(customers);
          const requester = pick(['light', 'curtain'] as const);
          const r = await mutate(
            c,
            'proposeReferral',
            `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`,
            { i: { customerId: customer.id, toMerchantId: requesters[requester].merchantId, purpose: '多进程测试', fields: ['PHONE'], retentionDays: 7 } },
            cast.sofa.accessToken,
          );
          created(r, { customer, initiator: 'sofa', requester });
        },
      ],
      // The curtain shop asks for a customer who showed interest in its offer (one request per interest).
      [
        1,
        async (c) => {
          const customer = pick(customers);
          const r = await mutate(
            c,
            'requestReferral',
            `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`,
            { i: { interestId: customer.interestId, purpose: '上门测量', fields: ['NAME', 'PHONE'], retentionDays: 30 } },
            cast.curtain.accessToken,
          );
          created(r, { customer, initiator: 'curtain', requester: 'curtain' });
        },
      ],
      [
        4,
        async (c) => {
          if (!referrals.length) return;
          const ref = pickToAnswer();
          const accept = Math.random() < 0.6;
          const r = await mutate(c, 'respondToReferral', `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { id } }`, { i: { referralId: ref.gid, accept } }, ref.customer.token);
          answered(ref, r, accept ? 'ACCEPTED' : 'DECLINED');
        },
      ],
      [
        1,
        async (c) => {
          if (!referrals.length) return;
          const ref = pickToAnswer();
          const token = ref.initiator === 'sofa' ? cast.sofa.accessToken : cast.curtain.accessToken;
          answered(ref, await mutate(c, 'withdrawReferral', `mutation($id: ID!) { withdrawReferral(referralId: $id) { id } }`, { id: ref.gid }, token), 'WITHDRAWN');
        },
      ],
      [
        1,
        async (c) => {
          if (!accepted.length) return;
          const ref = pickAccepted();
          const r = await mutate(c, 'revokeGrant', `mutation($id: ID!) { revokeGrant(referralId: $id) { id } }`, { id: ref.gid }, ref.customer.token);
          if (r.kind === 'ok') revoked.add(ref.id);
          if (r.kind === 'in-doubt') inDoubt.revokes.add(ref.id);
        },
      ],
      // The partner records a sale on an accepted referral: a new row per call, so a retry must not double it.
      [
        2,
        async (c) => {
          if (!accepted.length) return;
          const ref = pick(accepted);
          const amount = amountSeq++;
          const r = await mutate(
            c,
            'recordConversion',
            `mutation($id: ID!, $a: Int!) { recordConversion(referralId: $id, amount: $a) { id } }`,
            { id: ref.gid, a: amount },
            requesters[ref.requester].accessToken,
          );
          if (r.kind === 'ok') conversions.set(amount, ref.id);
          if (r.kind === 'in-doubt') inDoubt.conversions.add(amount);
        },
      ],
    ];
    // The caps allow CUSTOMERS × WEEKLY_CAP referrals: new ones are spread over the whole run (so
    // some are made after the kill), and while ahead of that pace a client answers instead.
    const capacity = CUSTOMERS * WEEKLY_CAP;
    let creating = 0;
    let started = Date.now();
    const mayCreate = () => referrals.length + creating < capacity * ((Date.now() - started) / (SECONDS * 1000)) + 4;
    const totalWeight = actions.reduce((n, [w]) => n + w, 0);
    const pickAction = (): ((c: Client) => Promise<void>) => {
      let x = Math.random() * totalWeight;
      const index = actions.findIndex(([w]) => (x -= w) < 0);
      const [, run] = actions[index < 0 ? 0 : index]!;
      if (index > 1) return run;
      if (!mayCreate()) return actions[2]![1];
      return async (c) => {
        creating++;
        try {
          await run(c);
        } finally {
          creating--;
        }
      };
    };

    const beforeLoad = new Set((await sql<{ id: string }>('select id from referral_requests')).map((r) => r.id));
    // The light shop follows its referrals live on A (never killed).
    const live = await subscribe(A, `subscription { referralUpdated { id } }`, cast.light.accessToken);
    await subscribedInRedis(cast.light.merchantId);
    started = Date.now();
    const deadline = started + SECONDS * 1000;
    let killedAt = Infinity;
    const killer = (async () => {
      await sleep((SECONDS * 1000) / 2);
      await C.stop('SIGKILL');
      killedAt = Date.now();
    })();
    await Promise.all(
      clients.map(async (c) => {
        while (Date.now() < deadline) {
          const calls = stats.calls;
          await pickAction()(c);
          // Nothing to answer yet: wait instead of spinning on the microtask queue.
          if (stats.calls === calls) await sleep(10);
        }
      }),
    );
    await killer;
    const elapsed = (Date.now() - started) / 1000;
    const sorted = [...stats.latencies].sort((a, b) => a - b);
    const summary: Record<string, unknown> = {
      seconds: Number(elapsed.toFixed(1)),
      killedAfterSeconds: Number(((killedAt - started) / 1000).toFixed(1)),
      calls: stats.calls,
      callsPerSecond: Math.round(stats.calls / elapsed),
      callsPerProcess: Object.fromEntries(stats.callsPerProcess),
      acknowledged: stats.acknowledged,
      acknowledgedPerProcess: Object.fromEntries(stats.ackedPerProcess),
      refusedOrConflict: Object.fromEntries(stats.errorCodes),
      failoversToAnotherProcess: stats.failovers,
      answersLostWithC: inDoubt.creates + inDoubt.outcomes.size + inDoubt.revokes.size + inDoubt.conversions.size,
      latencyMs: { p50: sorted[Math.floor(sorted.length / 2)], p99: sorted[Math.floor(sorted.length * 0.99)], max: sorted.at(-1) },
      referralsAcknowledged: referrals.length,
      referralsAcknowledgedByC: referrals.filter((r) => r.via === C.name).length,
      answersAcknowledged: outcomes.size,
      revocationsAcknowledged: revoked.size,
      salesAcknowledged: conversions.size,
    };
    try {
      // The survivors' workers fan out every event (C's share included).
      await vi.waitFor(async () => expect((await sql('select id from referral_events where dispatched_at is null')).length).toBe(0), { timeout: 15_000, interval: 200 });
      // Referrals to the light shop acknowledged after the kill were dispatched by A or B: A's subscriber heard each.
      const afterKill = referrals.filter((r) => r.requester === 'light' && r.ackedAt > killedAt).map((r) => r.id);
      const heard = () => new Set(live.events.map((e) => localId('ReferralRequest', e.payload.data.referralUpdated.id)));
      summary.lightReferralsAfterKill = afterKill.length;
      await vi.waitFor(() => expect(afterKill.filter((id) => !heard().has(id))).toEqual([]), { timeout: 10_000, interval: 100 });
      summary.liveEventsHeardOnA = live.events.length;
      live.close();

      expect(problems).toEqual([]);
      expect(A.alive() && B.alive() && !C.alive()).toBe(true);
      expect(clients.every((c) => c.down.has(C) && !c.down.has(A) && !c.down.has(B))).toBe(true);

      const stored = new Map((await sql<{ id: string; status: string }>('select id, status from referral_requests')).map((r) => [r.id, r]));
      const acknowledgedIds = new Set(referrals.map((r) => r.id));

      // Every acknowledged referral is stored, once (ids are keys); the unacknowledged ones stored are at most the answers lost.
      const lost = referrals.filter((r) => !stored.has(r.id)).map((r) => r.id);
      expect(lost).toEqual([]);
      expect(acknowledgedIds.size).toBe(referrals.length);
      const unacknowledged = [...stored.keys()].filter((id) => !acknowledgedIds.has(id) && !beforeLoad.has(id));
      expect(unacknowledged.length).toBeLessThanOrEqual(inDoubt.creates);

      // No referral was answered twice, and each stored outcome is the acknowledged one.
      const doubled = [...outcomes].filter(([, o]) => o.length > 1);
      expect(doubled).toEqual([]);
      const wrong: string[] = [];
      for (const [id, [outcome]] of outcomes) {
        const status = stored.get(id)!.status;
        const expected = outcome === 'ACCEPTED' ? (revoked.has(id) ? ['REVOKED'] : inDoubt.revokes.has(id) ? ['ACCEPTED', 'REVOKED'] : ['ACCEPTED']) : [outcome];
        if (!expected.includes(status!)) wrong.push(`${id}: acknowledged ${outcome}${revoked.has(id) ? ' then REVOKED' : ''}, stored ${status}`);
      }
      for (const [id, row] of stored) {
        if (row.status !== 'PENDING' && !outcomes.has(id) && !inDoubt.outcomes.has(id) && acknowledgedIds.has(id)) wrong.push(`${id}: stored ${row.status} with no answer given`);
        if (row.status === 'REVOKED' && !revoked.has(id) && !inDoubt.revokes.has(id)) wrong.push(`${id}: stored REVOKED, never revoked`);
      }
      expect(wrong).toEqual([]);

      // Outcomes in the outbox: one CREATED, at most one answer, a revocation only after an acceptance.
      const eventsOf = await sql<{ referral_id: string; kinds: string[] }>('select referral_id, array_agg(kind order by created_at, id) as kinds from referral_events group by referral_id');
      const badEvents = eventsOf.filter(({ referral_id, kinds }) => {
        const status = stored.get(referral_id)!.status;
        const expected = { PENDING: ['CREATED'], ACCEPTED: ['CREATED', 'ACCEPTED'], REVOKED: ['CREATED', 'ACCEPTED', 'REVOKED'], DECLINED: ['CREATED', 'DECLINED'], WITHDRAWN: ['CREATED', 'WITHDRAWN'] }[status];
        return JSON.stringify(kinds) !== JSON.stringify(expected);
      });
      expect(badEvents).toEqual([]);
      expect(eventsOf.length).toBe(stored.size);
      expect(await sql(MISMATCHED_GRANTS_SQL)).toEqual([]);

      // Caps held across processes: the weekly cap per customer, two per requester, one request per interest.
      const overCap = await sql(`select customer_id, count(*)::int as n from referral_requests group by customer_id having count(*) > $1`, [WEEKLY_CAP]);
      expect(overCap).toEqual([]);
      expect(await sql(`select customer_id, requester_merchant_id from referral_requests group by 1, 2 having count(*) > 2`)).toEqual([]);
      expect(await sql(`select interest_id from referral_requests where interest_id is not null group by 1 having count(*) > 1`)).toEqual([]);

      // Every acknowledged sale is stored exactly once, on its referral.
      const sales = await sql<{ amount: number; referral_id: string; n: number }>('select amount, min(referral_id) as referral_id, count(*)::int as n from conversions group by amount');
      const salesByAmount = new Map(sales.map((s) => [s.amount, s]));
      const badSales = [...conversions].filter(([amount, id]) => salesByAmount.get(amount)?.n !== 1 || salesByAmount.get(amount)?.referral_id !== id);
      expect(badSales).toEqual([]);
      expect(sales.filter((s) => s.n !== 1 || (!conversions.has(s.amount) && !inDoubt.conversions.has(s.amount)))).toEqual([]);

      // Of the mutations whose answer was lost with C, those that took effect all the same.
      summary.lostAnswersThatTookEffect =
        unacknowledged.length +
        [...inDoubt.outcomes].filter((id) => !outcomes.has(id) && stored.get(id)?.status !== 'PENDING').length +
        [...inDoubt.revokes].filter((id) => !revoked.has(id) && stored.get(id)?.status === 'REVOKED').length +
        [...inDoubt.conversions].filter((amount) => salesByAmount.has(amount)).length;

      // Every event was fanned out once: no recipient got one notification twice.
      expect(await sql(`select event_id, account_id, merchant_id, channel from notifications group by 1, 2, 3, 4 having count(*) > 1`)).toEqual([]);

      const statuses = await sql<{ status: string; n: number }>('select status, count(*)::int as n from referral_requests group by 1 order by 1');
      summary.referralsStored = Object.fromEntries(statuses.map((r) => [r.status, r.n]));
      summary.idempotencyKeysLeftInProgress = (await sql('select key from idempotency_keys where response is null')).length;

      // What the processes logged at LOG_LEVEL warn: no error (an unexpected failure is logged as one).
      const logged = servers.flatMap((s) => s.printed.split('\n').filter((l) => l.startsWith('{')).map((l) => ({ server: s.name, ...(JSON.parse(l) as { level: number; msg: string }) })));
      summary.warningsLogged = logged.length;
      expect(logged.filter((l) => l.level >= 50)).toEqual([]);

      // The survivors shut down cleanly; PostgreSQL's counters are final once their sessions end.
      await Promise.all([A.stop('SIGTERM'), B.stop('SIGTERM')]);
      expect([A.proc.exitCode, B.proc.exitCode]).toEqual([0, 0]);
      // Rollbacks: serialization failures retried, and refusals thrown inside a transaction.
      [summary.postgres] = await sql('select xact_commit::int as commits, xact_rollback::int as rollbacks from pg_stat_database where datname = current_database()');

      expect(stats.calls).toBeGreaterThan(SECONDS * 20);
      expect(referrals.length).toBeGreaterThan(CUSTOMERS);
      expect(outcomes.size).toBeGreaterThan(10);
      expect(conversions.size).toBeGreaterThan(10);
      expect(stats.failovers).toBeGreaterThanOrEqual(CLIENTS);
      expect(afterKill.length).toBeGreaterThan(0);
    } finally {
      console.log(`multi-process stress: ${JSON.stringify(summary, null, 2)}`);
    }
  });
});

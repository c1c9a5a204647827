// Redis fails under several processes: two app instances on one PostgreSQL database share a Redis
// of this test's own, which is stopped, restarted empty and restarted from a snapshot taken before
// a sign-out. A session signed out on A while Redis is down is refused on B at once, writes
// included, and stays refused whatever Redis comes back with: the database says who is signed in.
// Live updates caused on B during the outage reach a subscriber on A after Redis returns, in
// order, once, also when A subscribes again only after they went out. Needs PostgreSQL at 127.0.0.1:5432 (a database of the test's own) and redis-server.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { signUpMerchant, type MerchantSession } from '../factories.js';
import { codeOf, createTestPlatform, type TestPlatform } from '../fixtures.js';
import { subscribe } from '../sse.js';
import { createCast, ok } from '../story.js';
import { freePort } from './processes.js';

/** A redis-server of this test's own, snapshots in `dir` (only when told: SAVE). */
class OwnRedis {
  private proc?: ChildProcess;
  constructor(
    readonly port: number,
    private dir: string,
  ) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  /** Starts it from the snapshot in `dir`, if any; resolves once it answers. */
  async start(dir = this.dir) {
    this.dir = dir;
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await vi.waitFor(async () => expect(await this.command('PING')).toBe('PONG'), { timeout: 10_000, interval: 50 });
  }
  /** Killed, as a crash or a host going away: nothing is written on the way out. */
  async stop() {
    const proc = this.proc!;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  }
  async command(name: string, ...args: string[]): Promise<unknown> {
    const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on('error', () => {});
    try {
      await client.connect();
      return await client.call(name, ...args);
    } finally {
      client.disconnect();
    }
  }
}

const folder = mkdtempSync(join(tmpdir(), 'arp-redis-outage-'));
const redis = new OwnRedis(await freePort(), mkdirSync(join(folder, 'first'), { recursive: true })!);
await redis.start();
afterAll(async () => {
  await redis.stop();
  rmSync(folder, { recursive: true, force: true });
});

const REDIS_KEY_PREFIX = 'arp-outage:';
const a = await createTestPlatform({ REDIS_URL: redis.url, REDIS_KEY_PREFIX, LOG_LEVEL: 'silent' }, undefined, 'pg');
const b = await createTestPlatform({ REDIS_URL: redis.url, REDIS_KEY_PREFIX, LOG_LEVEL: 'silent', ...a.databaseEnv }, undefined, 'pg');

const VIEWER = `{ viewer { id displayName } }`;
const WRITE = `mutation { markNotificationsRead }`;
const GENERATION = `${REDIS_KEY_PREFIX}viewer-generation`;

/** Whether `p` looked the session up in the database to answer (rather than remembering it). */
async function readsSession(p: TestPlatform, token: string) {
  p.statements.length = 0;
  await ok(p, VIEWER, {}, token);
  return p.statements.some((s) => s.includes('"sessions"'));
}

/** B remembers the session: its second request does not look it up. */
async function rememberedOnB(shop: MerchantSession) {
  await readsSession(b, shop.accessToken);
  expect(await readsSession(b, shop.accessToken)).toBe(false);
}

async function refusedOnB(shop: MerchantSession) {
  expect(codeOf(await b.gql(VIEWER, {}, shop.accessToken))).toBe('UNAUTHENTICATED');
  expect(codeOf(await b.gql(WRITE, {}, shop.accessToken))).toBe('UNAUTHENTICATED');
}

/** Until B's connection to Redis is back and it may remember again. */
const bConnected = () => vi.waitFor(async () => expect(await b.deps.viewerCache.generation()).not.toBeNull(), { timeout: 15_000, interval: 50 });

const signOutOnA = (shop: MerchantSession) => ok(a, `mutation($r: String!) { signOut(refreshToken: $r) }`, { r: shop.refreshToken }, shop.accessToken);

describe('sign-out while Redis is down', () => {
  it('Redis restarted from a snapshot taken before the sign-out: B refuses the session during the outage and after', async () => {
    const shop = await signUpMerchant(a);
    const bystander = await signUpMerchant(a);
    await bConnected();
    await rememberedOnB(shop);
    await redis.command('SAVE');
    const saved = Number(await redis.command('GET', GENERATION));
    await redis.stop();

    await signOutOnA(shop);
    await refusedOnB(shop);
    // Others are served from the database meanwhile.
    expect((await ok(b, VIEWER, {}, bystander.accessToken)).viewer.id).toBe(bystander.accountId);

    await redis.start();
    await bConnected();
    await refusedOnB(shop);
    // A's bump, refused while Redis was down, is delivered once it is back.
    await vi.waitFor(async () => expect(Number(await redis.command('GET', GENERATION))).toBeGreaterThan(saved), { timeout: 15_000, interval: 50 });
    await refusedOnB(shop);
  });

  it('Redis restarted empty: B refuses the session signed out during the outage', async () => {
    const shop = await signUpMerchant(a);
    await bConnected();
    await rememberedOnB(shop);
    await redis.stop();
    await signOutOnA(shop);
    await refusedOnB(shop);

    await redis.start(mkdirSync(join(folder, 'empty'), { recursive: true })!);
    await bConnected();
    await refusedOnB(shop);
  });
});

describe('live updates while Redis is down', () => {
  it('two requests made through B during the outage reach the requester subscribed on A after Redis returns, in order, once; so does one published while A was subscribing again', async () => {
    const cast = await createCast(b);
    const { expressInterest } = await ok(b, `mutation($o: ID!) { expressInterest(offerId: $o) { id } }`, { o: cast.offerId }, cast.otherCustomerToken);
    const server: Server = createServer(a.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const stream = await subscribe({ base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, `subscription { referralUpdated { id status } }`, cast.curtain.accessToken);
    const received = (): { id: string; status: string }[] => stream.events.map((e) => e.payload.data.referralUpdated);
    try {
      const subscribed = () =>
        vi.waitFor(async () => expect(await redis.command('PUBSUB', 'CHANNELS', `${REDIS_KEY_PREFIX}referralUpdated:*`)).toHaveLength(1), { timeout: 15_000, interval: 50 });
      await subscribed();

      await redis.stop();
      const down = Date.now();
      const made: string[] = [];
      for (const interestId of [cast.interestId, expressInterest.id]) {
        const { requestReferral } = await ok(
          b,
          `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`,
          { i: { interestId, purpose: '上门测量窗帘尺寸', fields: ['NAME', 'PHONE'], retentionDays: 30 } },
          cast.curtain.accessToken,
        );
        made.push(requestReferral.id);
        // B's worker fans the event out; Redis does not take it, so it waits in the outbox.
        expect(await b.deps.notifier.deliverDue()).toMatchObject({ dispatched: 1, published: 0 });
      }

      // Longer than ioredis keeps a queued command while reconnecting (20 attempts, about 10 s):
      // an event handed to the client rather than kept in the outbox would be gone by now.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, down + 12_000 - Date.now())));
      await redis.start();
      // Published as soon as B's client takes it, whether or not A has subscribed again by then:
      // what A missed it reads back from the outbox once it has.
      await vi.waitFor(async () => expect((await b.deps.notifier.deliverDue()).published).toBe(2), { timeout: 15_000, interval: 100 });
      await vi.waitFor(() => expect(received()).toHaveLength(2), { timeout: 15_000 });
      expect(received().map((r) => r.id)).toEqual(made);

      // A's subscription alone drops, and B publishes before A has subscribed again.
      await subscribed();
      await ok(b, `mutation($r: ID!) { withdrawReferral(referralId: $r) { id } }`, { r: made[0] }, cast.curtain.accessToken);
      await redis.command('CLIENT', 'KILL', 'TYPE', 'pubsub');
      expect(await b.deps.notifier.deliverDue()).toMatchObject({ dispatched: 1, published: 1 });
      await vi.waitFor(() => expect(received()).toHaveLength(3), { timeout: 15_000 });
      expect(received()[2]).toEqual({ id: made[0], status: 'WITHDRAWN' });

      // Once: later polls of both workers hand out nothing again, and nothing is heard twice.
      expect((await a.deps.notifier.deliverDue()).published).toBe(0);
      expect((await b.deps.notifier.deliverDue()).published).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received()).toHaveLength(3);
    } finally {
      stream.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

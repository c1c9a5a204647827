// Several server processes on one Redis (here: two app instances on one database file): failed
// sign-ins counted on one refuse the next on another, a subscriber on one hears an event caused on
// the other, and with Redis unreachable requests still work under per-process limits.
// Needs the Redis at TEST_REDIS_URL (test/services.ts; `npm test` starts one when it is down): it
// fails, never skips, when Redis does not answer.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform, type TestPlatform } from '../fixtures.js';
import { testRedisPrefix, testRedisUrl as REDIS_URL } from '../services.js';
import { createCast, ok } from '../story.js';

// Every run has its own keys and channels, so runs sharing the Redis never meet.
const REDIS_KEY_PREFIX = testRedisPrefix('scale');

const redis = new Redis(REDIS_URL, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
// The connection's own error (e.g. ECONNREFUSED) says more than the command's "Connection is closed".
let connectionError: Error | undefined;
redis.on('error', (err: Error) => (connectionError = err));
try {
  await redis.connect();
  await redis.ping();
} catch (err) {
  const cause = (connectionError ?? err) as NodeJS.ErrnoException;
  throw new Error(`Redis does not answer at ${REDIS_URL} (${cause.message || cause.code}): these tests need it. Start it or set TEST_REDIS_URL.`);
}
afterAll(() => redis.quit());

/** Two processes of one platform: the same database file (and so the same signing keys), one Redis. */
async function twoInstances(): Promise<[TestPlatform, TestPlatform]> {
  const a = await createTestPlatform({ REDIS_URL, REDIS_KEY_PREFIX });
  const b = await createTestPlatform({ REDIS_URL, REDIS_KEY_PREFIX, ...a.databaseEnv });
  return [a, b];
}

const SIGN_IN = `mutation($l: String!, $p: String!) { signIn(input: { login: $l, password: $p }) { accessToken } }`;

describe('rate limits in Redis', () => {
  it('failed sign-ins on instance A count on instance B: B refuses the right password once A has seen 5 failures', async () => {
    const [a, b] = await twoInstances();
    const victim = await signUpMerchant(a);
    const bystander = await signUpMerchant(a);
    for (let i = 0; i < 5; i++) expect(codeOf(await a.gql(SIGN_IN, { l: victim.email, p: `guess ${i} wrong` }))).toBe('UNAUTHENTICATED');
    const locked = await b.gql(SIGN_IN, { l: victim.email, p: victim.password });
    expect(codeOf(locked)).toBe('RATE_LIMITED');
    expect(locked.errors![0]!.extensions!.retryAfter).toBeGreaterThan(0);
    // Per login: B still signs others in.
    expect((await b.gql(SIGN_IN, { l: bystander.email, p: bystander.password })).errors).toBeUndefined();
  });
});

describe('live updates through Redis', () => {
  it('a subscription on instance A receives the referral event caused and delivered on instance B', async () => {
    const [a, b] = await twoInstances();
    const cast = await createCast(b);
    const server: Server = createServer(a.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const controller = new AbortController();
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, {
        method: 'POST',
        headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: `Bearer ${cast.curtain.accessToken}` },
        body: JSON.stringify({ query: `subscription { referralUpdated { id status requester { name } } }` }),
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      const firstEvent = nextEvent(res.body!);
      // When an assertion below fails, the stream is aborted with this read still pending.
      firstEvent.catch(() => {});
      // Redis drops what is published before the subscription reaches it: wait until A has subscribed.
      const channels = `${REDIS_KEY_PREFIX}referralUpdated:merchant:*`;
      await vi.waitFor(async () => expect(await redis.pubsub('CHANNELS', channels)).toHaveLength(1), { timeout: 5_000 });

      const { requestReferral } = await ok(
        b,
        `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`,
        { i: { interestId: cast.interestId, purpose: '上门测量窗帘尺寸', fields: ['NAME', 'PHONE'], retentionDays: 30 } },
        cast.curtain.accessToken,
      );
      // Only B's worker runs: it fans the event out and publishes it.
      expect((await b.deps.notifier.deliverDue()).dispatched).toBe(1);
      expect(await firstEvent).toEqual({ data: { referralUpdated: { id: requestReferral.id, status: 'PENDING', requester: { name: '雅居窗帘' } } } });
    } finally {
      controller.abort();
      server.closeAllConnections();
      server.close();
    }
  });
});

/** The data of the first `event: next` frame of a Server-Sent Events stream. */
async function nextEvent(body: NonNullable<Response['body']>): Promise<unknown> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended before an event');
    buffer += value;
    for (const frame of buffer.split('\n\n').slice(0, -1)) {
      const lines = frame.split('\n');
      if (lines.includes('event: next')) return JSON.parse(lines.find((l) => l.startsWith('data:'))!.slice(5));
    }
  }
}

describe('Redis unreachable', () => {
  it('requests still work and limits count per process; the warning names Redis without its password', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const env = { REDIS_URL: `redis://ops:s3cret-pass@127.0.0.1:${port}`, REDIS_KEY_PREFIX, LOG_LEVEL: 'warn' };
    const logs: string[] = [];
    const a = await createTestPlatform(env, { write: (line: string) => logs.push(line) });
    const b = await createTestPlatform({ ...env, LOG_LEVEL: 'silent', ...a.databaseEnv });

    const victim = await signUpMerchant(a);
    for (let i = 0; i < 5; i++) expect(codeOf(await a.gql(SIGN_IN, { l: victim.email, p: `guess ${i} wrong` }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await a.gql(SIGN_IN, { l: victim.email, p: victim.password }))).toBe('RATE_LIMITED');
    // B never heard of A's failures: each process counts for itself until Redis is back.
    expect((await b.gql(SIGN_IN, { l: victim.email, p: victim.password })).errors).toBeUndefined();

    await vi.waitFor(() => expect(logs.join('')).toContain('Redis unreachable'));
    expect(logs.join('')).toContain(`127.0.0.1:${port}`);
    expect(logs.join('')).not.toContain('s3cret-pass');
  });
});

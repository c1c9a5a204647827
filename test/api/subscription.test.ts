// Live updates over Server-Sent Events through the real HTTP stack: each party of a referral
// request hears of its changes, a third merchant does not, and field rules hold per event.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, type Cast } from '../story.js';
import { readSse, type SseFrame } from '../sse.js';

const p = await createTestPlatform();
let cast: Cast;
let server: Server;
let base: string;
beforeAll(async () => {
  cast = await createCast(p);
  server = createServer(p.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}, 60_000);
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const UPDATES = `subscription { referralUpdated { id status requester { name } contact { phone } } }`;

interface Stream {
  /** The next `event: next` payload. */
  next(): Promise<any>;
  /** Resolves when the server completes the stream. */
  completed: Promise<void>;
  close(): void;
}

/** Opens a subscription as a browser would with fetch (POST, text/event-stream) and parses the SSE frames. */
async function subscribe(token: string | null, query = UPDATES, init: { method?: 'GET' | 'POST'; headers?: Record<string, string> } = {}): Promise<Stream & { status: number }> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...init.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const get = init.method === 'GET';
  const res = await fetch(get ? `${base}?query=${encodeURIComponent(query)}` : base, {
    method: init.method ?? 'POST',
    headers: get ? headers : { ...headers, 'content-type': 'application/json' },
    body: get ? undefined : JSON.stringify({ query }),
    signal: controller.signal,
  });
  const frames: SseFrame[] = [];
  let wake = () => {};
  let pinged!: () => void;
  let complete!: () => void;
  const completed = new Promise<void>((resolve) => (complete = resolve));
  const firstPing = new Promise<void>((resolve) => (pinged = resolve));
  readSse(res.body!, {
    onPing: () => pinged(),
    onFrame(frame) {
      frames.push(frame);
      if (frame.event === 'complete') complete();
      wake();
    },
  });
  // The server pings as soon as the stream opens, and subscribes right after: wait for it.
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) await firstPing;
  return {
    status: res.status,
    completed,
    async next() {
      while (!frames.some((f) => f.event === 'next')) await new Promise<void>((resolve) => (wake = resolve));
      const i = frames.findIndex((f) => f.event === 'next');
      return JSON.parse(frames.splice(i, 1)[0]!.data);
    },
    close: () => controller.abort(),
  };
}

const deliver = () => p.deps.notifier.deliverDue();

describe('referralUpdated over SSE', () => {
  it('the customer, the requester and the origin get the event; a third merchant does not; contact only for the requester and only while granted', async () => {
    const [customer, curtain, sofa, light] = await Promise.all([
      subscribe(cast.customerToken),
      subscribe(cast.curtain.accessToken),
      subscribe(cast.sofa.accessToken),
      subscribe(cast.light.accessToken),
    ]);
    const { requestReferral } = await ok(
      p,
      `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`,
      { i: { interestId: cast.interestId, purpose: '上门测量窗帘尺寸', fields: ['NAME', 'PHONE'], retentionDays: 30 } },
      cast.curtain.accessToken,
    );
    await deliver();
    const created = { id: requestReferral.id, status: 'PENDING', requester: { name: '雅居窗帘' }, contact: null };
    expect(await customer.next()).toEqual({ data: { referralUpdated: created } });
    expect(await curtain.next()).toEqual({ data: { referralUpdated: created } });
    expect(await sofa.next()).toEqual({ data: { referralUpdated: created } });

    await ok(p, `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { id } }`, { i: { referralId: requestReferral.id, accept: true, fields: ['PHONE'] } }, cast.customerToken);
    await deliver();
    expect((await curtain.next()).data.referralUpdated).toMatchObject({ status: 'ACCEPTED', contact: { phone: cast.customerPhone } });
    expect((await sofa.next()).data.referralUpdated).toMatchObject({ status: 'ACCEPTED', contact: null });
    expect((await customer.next()).data.referralUpdated).toMatchObject({ status: 'ACCEPTED', contact: null });

    // Nothing read for the earlier event is served again: after revocation the contact is gone.
    await ok(p, `mutation($r: ID!) { revokeGrant(referralId: $r) { id } }`, { r: requestReferral.id }, cast.customerToken);
    await deliver();
    expect((await curtain.next()).data.referralUpdated).toMatchObject({ status: 'REVOKED', contact: null });
    for (const party of [customer, sofa]) expect((await party.next()).data.referralUpdated.status).toBe('REVOKED');

    // A request the light shop is party to: the first event it ever gets is this one.
    const other = await addCustomer(p, cast.sofa, { name: '孙女士' });
    await claim(p, other.inviteCode);
    const { proposeReferral } = await ok(
      p,
      `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`,
      { i: { customerId: other.id, toMerchantId: cast.light.merchantId, purpose: '灯具搭配', fields: ['PHONE'], retentionDays: 7 } },
      cast.sofa.accessToken,
    );
    await deliver();
    expect(await light.next()).toEqual({ data: { referralUpdated: { id: proposeReferral.id, status: 'PENDING', requester: { name: '明亮灯饰' }, contact: null } } });
    // The first customer never heard of that other customer's request: their next event is their own.
    const { proposeReferral: own } = await ok(
      p,
      `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`,
      { i: { customerId: cast.customerId, toMerchantId: cast.light.merchantId, purpose: '灯具搭配', fields: ['PHONE'], retentionDays: 7 } },
      cast.sofa.accessToken,
    );
    await deliver();
    expect((await customer.next()).data.referralUpdated).toMatchObject({ id: own.id, status: 'PENDING' });
    expect((await light.next()).data.referralUpdated).toMatchObject({ id: own.id });
    for (const s of [customer, curtain, sofa, light]) s.close();
  });

  it('a signed-out session stops receiving: its stream ends', async () => {
    const session = await ok(p, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken refreshToken } }`, { i: { login: cast.curtain.email, password: cast.curtain.password } });
    const stream = await subscribe(session.signIn.accessToken);
    await ok(p, `mutation($t: String!) { signOut(refreshToken: $t) }`, { t: session.signIn.refreshToken });
    const c = await addCustomer(p, cast.sofa, { name: '李先生' });
    await claim(p, c.inviteCode);
    await ok(p, `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`, { i: { customerId: c.id, toMerchantId: cast.curtain.merchantId, purpose: '窗帘', fields: ['PHONE'], retentionDays: 7 } }, cast.sofa.accessToken);
    await deliver();
    expect(await Promise.race([stream.next().then(() => 'event'), stream.completed.then(() => 'completed')])).toBe('completed');
    stream.close();
  });

  it('anonymous subscribers get UNAUTHENTICATED', async () => {
    const stream = await subscribe(null);
    const first = await stream.next();
    expect(first.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(first.data ?? null).toBeNull();
    stream.close();
  });

  it('GET works with the preflight header; without it (a bare EventSource) the CSRF guard refuses', async () => {
    const bare = await subscribe(cast.customerToken, UPDATES, { method: 'GET' });
    expect(bare.status).toBe(400);
    bare.close();
    const withHeader = await subscribe(cast.customerToken, UPDATES, { method: 'GET', headers: { 'graphql-require-preflight': '1' } });
    expect(withHeader.status).toBe(200);
    withHeader.close();
  });
});

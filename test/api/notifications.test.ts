// The notification outbox: rows written atomically with the change, the in-app inbox, the signed
// webhook with retries, backoff and a dead letter, quiet hours, and payloads without personal data.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { announceEndedGrants, enqueueReferralEvent } from '../../db/commands/outbox.js';
import { expirePendingReferrals } from '../../db/commands/referrals.js';
import { drain, sweepExpired } from '../../server/jobs/expiry.js';
import { customerInvites, notifications, referralEvents } from '../../db/tables/index.js';
import { inTransaction } from '../../db/tx.js';
import { deleteExpiredInvites } from '../../db/commands/customers.js';
import { retryDelay } from '../../services/notify/worker.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, type Cast } from '../story.js';

// A local gateway (127.0.0.1 only) that records what it receives and answers as told.
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let answer = 200;
const gateway = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(answer).end();
  });
}).listen(0, '127.0.0.1');
await new Promise((resolve) => gateway.once('listening', resolve));
afterAll(() => void gateway.close());

const SECRET = 'a-test-secret-of-at-least-32-characters';
const BASE_MS = 1_000;
const p = await createTestPlatform({
  NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/notify`,
  NOTIFY_WEBHOOK_SECRET: SECRET,
  NOTIFY_MAX_ATTEMPTS: '4',
  NOTIFY_RETRY_BASE_MS: String(BASE_MS),
});
const db = p.deps.db;
let cast: Cast;
beforeAll(async () => {
  cast = await createCast(p);
}, 60_000);
beforeEach(() => {
  received.length = 0;
  answer = 200;
});

const PROPOSE = `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id } }`;
const RESPOND = `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { id status } }`;
const CONSENT = `mutation($i: UpdateConsentInput!) { updateConsent(input: $i) { version } }`;
const INBOX = `query($unread: Boolean) { unreadNotificationCount notifications(first: 10, unreadOnly: $unread) { edges { node { id kind urgent readAt referral { id status requester { name } } } } } }`;
const ask = { purpose: '灯具搭配方案', fields: ['NAME', 'PHONE'], retentionDays: 30 };
const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

/** A time of day in Shanghai (UTC+8, no daylight saving), `days` after today. */
const shanghai = (hhmm: string, days = 1) => {
  const [h, m] = hhmm.split(':').map(Number);
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days, h! - 8, m!));
};
const NOON = shanghai('12:00');

/** A fresh customer of the sofa shop with an account, reachable by SMS as well as in the app. */
async function smsCustomer(name = '钱女士') {
  const c = await addCustomer(p, cast.sofa, { name, wechat: `wx_${Date.now()}` });
  const token = await claim(p, c.inviteCode);
  await ok(p, CONSENT, { i: { channels: ['IN_APP', 'SMS'] } }, token);
  return { ...c, name, token };
}
const propose = async (customerId: string, to = cast.light) =>
  (await ok(p, PROPOSE, { i: { customerId, toMerchantId: to.merchantId, ...ask } }, cast.sofa.accessToken)).proposeReferral.id as string;
const eventsOf = (referralGlobalId: string) =>
  db.select().from(referralEvents).where(eq(referralEvents.referralId, localId(referralGlobalId))).orderBy(referralEvents.id);
const deliveriesOf = async (referralGlobalId: string) =>
  (await db.select().from(notifications).where(eq(notifications.referralId, localId(referralGlobalId)))).filter((n) => n.channel === 'SMS');

describe('the outbox is written with the change', () => {
  it('each command writes its event in its own transaction', async () => {
    const c = await smsCustomer();
    const id = await propose(c.id);
    await ok(p, RESPOND, { i: { referralId: id, accept: true } }, c.token);
    await ok(p, `mutation($r: ID!) { revokeGrant(referralId: $r) { id } }`, { r: id }, c.token);
    expect((await eventsOf(id)).map((e) => e.kind)).toEqual(['CREATED', 'ACCEPTED', 'REVOKED']);
  });

  it('a request refused by consent writes no notification', async () => {
    const c = await smsCustomer();
    await ok(p, CONSENT, { i: { allowReferrals: false } }, c.token);
    const before = (await db.select().from(referralEvents)).length;
    const r = await p.gql(PROPOSE, { i: { customerId: c.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.sofa.accessToken);
    expect(codeOf(r)).toBe('CONSENT_REFUSED');
    expect((await db.select().from(referralEvents)).length).toBe(before);
  });

  it('a transaction that fails after enqueueing leaves no event', async () => {
    const c = await smsCustomer();
    const id = localId(await propose(c.id));
    await expect(
      inTransaction(db, async (tx) => {
        await enqueueReferralEvent(tx, id, 'WITHDRAWN');
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect((await db.select().from(referralEvents).where(eq(referralEvents.referralId, id)).orderBy(referralEvents.id)).map((e) => e.kind)).toEqual(['CREATED']);
  });

  it('the sweeps announce expiry and ended grants once (idempotent)', async () => {
    const c = await smsCustomer();
    const pending = await propose(c.id);
    const accepted = await propose(c.id, cast.curtain);
    await ok(p, RESPOND, { i: { referralId: accepted, accept: true } }, c.token);
    const later = new Date(Date.now() + 400 * 86_400_000);
    expect(await expirePendingReferrals(db, later.toISOString())).toBeGreaterThanOrEqual(1);
    expect(await expirePendingReferrals(db, later.toISOString())).toBe(0);
    expect((await eventsOf(pending)).map((e) => e.kind)).toEqual(['CREATED', 'EXPIRED']);
    expect(await announceEndedGrants(db, later)).toBeGreaterThanOrEqual(1);
    expect(await announceEndedGrants(db, later)).toBe(0);
    expect((await eventsOf(accepted)).map((e) => e.kind)).toEqual(['CREATED', 'ACCEPTED', 'GRANT_ENDED']);
  });

  it('a backlog is worked off in short batches, each request and grant announced once', async () => {
    // Two customers, each with a request left pending and one accepted (the weekly cap is two).
    const pending: string[] = [];
    const accepted: string[] = [];
    for (let i = 0; i < 2; i++) {
      const c = await smsCustomer();
      pending.push(await propose(c.id));
      accepted.push(await propose(c.id, cast.curtain));
      await ok(p, RESPOND, { i: { referralId: accepted.at(-1), accept: true } }, c.token);
    }
    const later = new Date(Date.now() + 400 * 86_400_000);
    const batches: number[] = [];
    const counted = (sweep: (limit: number) => Promise<number>) => async (limit: number) => {
      const n = await sweep(limit);
      batches.push(n);
      return n;
    };
    expect(await drain(counted((limit) => expirePendingReferrals(db, later.toISOString(), limit)), 1)).toBeGreaterThanOrEqual(2);
    expect(batches.at(-1)).toBe(0);
    expect(batches.slice(0, -1).every((n) => n === 1)).toBe(true);
    expect(await drain(counted((limit) => announceEndedGrants(db, later, limit)), 1)).toBeGreaterThanOrEqual(2);
    for (const id of pending) expect((await eventsOf(id)).map((e) => e.kind)).toEqual(['CREATED', 'EXPIRED']);
    for (const id of accepted) expect((await eventsOf(id)).map((e) => e.kind)).toEqual(['CREATED', 'ACCEPTED', 'GRANT_ENDED']);
    expect(await sweepExpired(db, later)).toEqual({ expired: 0, endedGrants: 0 });
  });

  it('erasure and blocking announce the requests they end', async () => {
    const c = await smsCustomer();
    const fromLight = await propose(c.id);
    await ok(p, CONSENT, { i: { blockMerchantIds: [cast.light.merchantId] } }, c.token);
    expect((await eventsOf(fromLight)).map((e) => e.kind)).toEqual(['CREATED', 'DECLINED']);
    const fromCurtain = await propose(c.id, cast.curtain);
    await ok(p, `mutation { eraseMyData { __typename } }`, {}, c.token);
    expect((await eventsOf(fromCurtain)).map((e) => e.kind)).toEqual(['CREATED', 'DECLINED']);
    // The erased customer is not contacted again; the merchants are told.
    await p.deps.notifier.deliverDue(NOON);
    const told = await db.select().from(notifications).where(eq(notifications.referralId, localId(fromCurtain)));
    expect(told.filter((n) => n.kind === 'DECLINED').map((n) => n.merchantId ?? n.accountId).sort()).toEqual([localId(cast.curtain.merchantId), localId(cast.sofa.merchantId)].sort());
  });
});

describe('the in-app inbox', () => {
  it('the customer learns of a request, the requester of the answer; a third merchant sees nothing; read state is kept', async () => {
    await p.deps.notifier.deliverDue(NOON);
    const c = await smsCustomer('郑女士');
    const id = await propose(c.id, cast.curtain);
    await p.deps.notifier.deliverDue(NOON);
    const mine = await ok(p, INBOX, {}, c.token);
    expect(mine.unreadNotificationCount).toBe(1);
    expect(mine.notifications.edges.map((e: any) => e.node)).toMatchObject([{ kind: 'CREATED', urgent: false, readAt: null, referral: { id, status: 'PENDING', requester: { name: '雅居窗帘' } } }]);

    await ok(p, RESPOND, { i: { referralId: id, accept: true } }, c.token);
    await p.deps.notifier.deliverDue(NOON);
    const curtain = await ok(p, INBOX, { unread: true }, cast.curtain.accessToken);
    expect(curtain.notifications.edges.map((e: any) => [e.node.kind, e.node.referral.id])).toContainEqual(['ACCEPTED', id]);
    // The proposer is not told of its own proposal; the light shop of nothing at all here.
    const sofa = await ok(p, INBOX, {}, cast.sofa.accessToken);
    expect(sofa.notifications.edges.filter((e: any) => e.node.referral.id === id).map((e: any) => e.node.kind)).toEqual(['ACCEPTED']);
    const light = await ok(p, INBOX, {}, cast.light.accessToken);
    expect(light.notifications.edges.filter((e: any) => e.node.referral.id === id)).toEqual([]);
    const someoneElses = curtain.notifications.edges[0].node.id;
    expect(codeOf(await p.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: someoneElses }, cast.light.accessToken))).toBe('NOT_FOUND');

    // Marking someone else's notification read changes nothing; marking one's own does.
    const created = mine.notifications.edges[0].node.id;
    expect((await ok(p, `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, { ids: [someoneElses] }, c.token)).markNotificationsRead).toBe(2);
    expect((await ok(p, `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, { ids: [created] }, c.token)).markNotificationsRead).toBe(1);
    expect((await ok(p, `mutation { markNotificationsRead }`, {}, c.token)).markNotificationsRead).toBe(0);
    expect((await ok(p, INBOX, { unread: true }, c.token)).notifications.edges).toEqual([]);
  });
});

describe('the webhook gateway', () => {
  it('receives signed JSON with an idempotency key, a link and no personal information', async () => {
    await p.deps.notifier.deliverDue(NOON);
    received.length = 0;
    const c = await smsCustomer('王秀英');
    const id = await propose(c.id);
    const report = await p.deps.notifier.deliverDue(NOON);
    expect(report.delivered).toBe(1);
    expect(received).toHaveLength(1);
    const [{ headers, body }] = received as [(typeof received)[0]];
    const expected = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    expect(headers['x-notify-signature']).toBe(expected);
    expect(headers['content-type']).toBe('application/json');
    const payload = JSON.parse(body);
    expect(headers['idempotency-key']).toBe(payload.idempotencyKey);
    expect(payload).toMatchObject({ channel: 'SMS', event: 'CREATED', urgent: false, referral: { id, requesterName: '明亮灯饰' } });
    expect(payload.link).toBe(`http://localhost:4000/customer?referral=${encodeURIComponent(id)}`);
    expect(await deliveriesOf(id)).toMatchObject([{ status: 'DELIVERED', attempts: 1 }]);
    // A second run sends nothing again.
    expect((await p.deps.notifier.deliverDue(NOON)).delivered).toBe(0);
  });

  it('a failing gateway gets retries with growing, jittered delays, then the message is dead-lettered with its error', async () => {
    await p.deps.notifier.deliverDue(NOON);
    received.length = 0;
    answer = 503;
    const c = await smsCustomer();
    const id = await propose(c.id);
    let now = NOON;
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      await p.deps.notifier.deliverDue(now);
      const [row] = await deliveriesOf(id);
      expect(row!.attempts).toBe(attempt);
      expect(row!.lastError).toBe('gateway answered HTTP 503');
      if (attempt < 4) {
        const next = new Date(row!.nextAttemptAt!);
        delays.push(next.getTime() - now.getTime());
        // Not due before its time.
        expect((await p.deps.notifier.deliverDue(new Date(next.getTime() - 1))).retried).toBe(0);
        now = next;
      } else {
        expect(row).toMatchObject({ status: 'DEAD', nextAttemptAt: null });
      }
    }
    delays.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual((BASE_MS * 2 ** i) / 2);
      expect(d).toBeLessThanOrEqual(BASE_MS * 2 ** i);
    });
    expect(received).toHaveLength(4);
    // At-least-once with one key: every attempt carries the same idempotency key and body.
    expect(new Set(received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect((await p.deps.notifier.deliverDue(new Date(now.getTime() + 86_400_000))).retried).toBe(0);
  });

  it('backoff is exponential with jitter between half and all of the step, capped', () => {
    expect(retryDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelay(3, 1000, 60_000, () => 0.999_999)).toBeCloseTo(4000, 0);
    expect(retryDelay(20, 1000, 60_000, () => 0)).toBe(30_000);
  });

  it('quiet hours (21:00-09:00 Shanghai) delay a new request until morning; an urgent acceptance notice goes at once', async () => {
    await p.deps.notifier.deliverDue(NOON);
    received.length = 0;
    const c = await smsCustomer();
    const id = await propose(c.id);
    await p.deps.notifier.deliverDue(shanghai('22:00'));
    await p.deps.notifier.deliverDue(shanghai('08:59', 2));
    expect(received).toEqual([]);
    // The in-app notification is there already: quiet hours only hold back messages that disturb.
    expect((await ok(p, INBOX, {}, c.token)).unreadNotificationCount).toBe(1);

    const other = await propose(c.id, cast.curtain);
    await ok(p, RESPOND, { i: { referralId: other, accept: true } }, c.token);
    await p.deps.notifier.deliverDue(shanghai('22:30', 2));
    expect(received.map((r) => JSON.parse(r.body))).toMatchObject([{ event: 'ACCEPTED', urgent: true, referral: { id: other } }]);

    await p.deps.notifier.deliverDue(shanghai('09:00', 3));
    expect(received.map((r) => JSON.parse(r.body).referral.id)).toEqual([other, id, other]);
  });

  it('no payload or notification row ever holds a name, phone, address or WeChat id', async () => {
    const c = await smsCustomer('冯秀兰');
    const id = await propose(c.id);
    await ok(p, RESPOND, { i: { referralId: id, accept: true } }, c.token);
    await p.deps.notifier.deliverDue(NOON);
    const everything = [...received.map((r) => r.body), JSON.stringify(await db.select().from(notifications)), JSON.stringify(await db.select().from(referralEvents))].join('\n');
    expect(received.length).toBeGreaterThan(0);
    for (const secret of [c.phone, c.phone.replace('+86', ''), '冯秀兰', '赵雅琴', cast.customerPhone, '温州市鹿城区五马街', 'zhao_yaqin', 'wx_']) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('housekeeping', () => {
  it('expired unused invites are deleted; used and live ones stay', async () => {
    const c = await addCustomer(p, cast.sofa, { name: '陈先生' });
    const before = (await db.select().from(customerInvites)).length;
    const far = new Date(Date.now() + 365 * 86_400_000);
    const deleted = await deleteExpiredInvites(db, far);
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await db.select().from(customerInvites).where(eq(customerInvites.customerId, localId(c.id)))).toEqual([]);
    expect((await db.select().from(customerInvites)).length).toBe(before - deleted);
    expect(await deleteExpiredInvites(db, far)).toBe(0);
  });
});

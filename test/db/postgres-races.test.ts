// Races on PostgreSQL with a pool of several connections (and, for the outbox, two platform
// instances on one database): requests fired at once over HTTP, in rounds, and what is stored
// checked afterwards. Most guards here rest on db/tx.ts running each transaction SERIALIZABLE and
// retrying it on 40001/40P01: under READ COMMITTED the caps, the single outcome, token rotation,
// the outbox and the counter below break (each assertion is the one that would then fail). Two
// guards hold on any isolation level and are raced here all the same: an invite's SMS code is used
// by a compare-and-set, and a referral per interest is a unique key (23505 becomes CONFLICT).
// Set RACE_REPORT=1 to print the figures (rounds, who won, serialization retries).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { newId, nowIso } from '../../db/ids.js';
import { merchants } from '../../db/tables/index.js';
import { inTransaction, sqlState } from '../../db/tx.js';
import { hashRefreshToken } from '../../services/auth/tokens.js';
import { addAllianceMember, createCommunity, joinCommunity, offerInput, SESSION_FIELDS, signUpMerchant, type MerchantSession } from '../factories.js';
import { codeOf, createTestPlatform, type GqlResult } from '../fixtures.js';
import { addCustomer, createCast, ok, type Cast } from '../story.js';

// The SMS gateway both instances post to: it records every message it is handed.
const received: { key: string; body: string }[] = [];
const gateway = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    received.push({ key: String(req.headers['idempotency-key']), body });
    res.writeHead(200).end();
  });
}).listen(0, '127.0.0.1');
await new Promise((resolve) => gateway.once('listening', resolve));
afterAll(() => void gateway.close());

const notify = {
  NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/notify`,
  NOTIFY_WEBHOOK_SECRET: 'a-test-secret-of-at-least-32-characters',
};
// The product's request-rate limits are not what these tests are about: only the database's guards.
const p = await createTestPlatform(
  { DATABASE_POOL_SIZE: '8', REFERRAL_REQUESTS_PER_DAY: '100000', INVITE_CLAIMS_PER_15_MIN: '100000', ...notify },
  undefined,
  'pg',
);
// A second instance (another process, in production) on the same database.
const q = await createTestPlatform({ ...p.databaseEnv, DATABASE_POOL_SIZE: '8', ...notify }, undefined, 'pg');

/**
 * Serialization failures and deadlocks that db/tx.ts retried: each failed attempt fails one
 * statement with 40001 or 40P01 on the connection the transaction checked out.
 */
const retries = { n: 0 };
function countRetries(db: Db) {
  const pool = db.$client as unknown as { connect(...args: unknown[]): unknown };
  const connect = pool.connect.bind(pool);
  const watched = new WeakSet<object>();
  pool.connect = (...args: unknown[]) => {
    // pg-pool's own query() checks out with a callback: reads outside transactions are not counted.
    if (args.length > 0) return connect(...args);
    return (connect() as Promise<{ query(...a: unknown[]): Promise<unknown> }>).then((client) => {
      if (!watched.has(client)) {
        watched.add(client);
        const query = client.query.bind(client);
        client.query = (...a: unknown[]) => {
          const result = query(...a);
          // pg-pool's query() on a client given back uses a callback and gets no promise.
          if (typeof a.at(-1) !== 'function') result.catch((error) => ['40001', '40P01'].includes(sqlState(error) ?? '') && retries.n++);
          return result;
        };
      }
      return client;
    });
  };
}
countRetries(p.deps.db);
countRetries(q.deps.db);

const figures: string[] = [];
afterAll(() => {
  if (process.env.RACE_REPORT) console.log(`postgres races:\n  ${figures.join('\n  ')}`);
});
/** Runs a race test's body and notes how many retries it caused. */
async function measured(label: string, body: () => Promise<string>) {
  const before = retries.n;
  const started = Date.now();
  const note = await body();
  figures.push(`${label}: ${note}; ${retries.n - before} serialization retries; ${Date.now() - started} ms`);
  p.statements.length = 0;
  q.statements.length = 0;
}

const PROPOSE = `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id status } }`;
const REQUEST = `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id status } }`;
const RESPOND = `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { id status } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawReferral(referralId: $id) { id status } }`;
const REVOKE = `mutation($id: ID!) { revokeGrant(referralId: $id) { id status } }`;
const CONSENT = `mutation($i: UpdateConsentInput!) { updateConsent(input: $i) { version } }`;
const POST = `mutation($input: PostOfferInput!) { postOffer(input: $input) { id } }`;
const SIGN_IN = `mutation($input: SignInInput!) { signIn(input: $input) { ${SESSION_FIELDS} } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { ${SESSION_FIELDS} } }`;
const SEND_CODE = `mutation($i: SendPhoneCodeInput!) { sendPhoneCode(input: $i) { expiresAt } }`;
const CLAIM = `mutation($i: ClaimCustomerInviteInput!) { claimCustomerInvite(input: $i) { accessToken refreshToken viewer { id } } }`;
const VIEWER = `{ viewer { id } }`;
const ask = { purpose: '新房配套推荐', fields: ['NAME', 'PHONE'], retentionDays: 30 };

const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;
const count = async (text: string, ...params: unknown[]) => (await p.sql<{ n: number }>(text, ...params))[0]!.n;
/** The answer's code, or the status it returned. */
const answerOf = (r: GqlResult, field: string): string => (r.errors ? (codeOf(r) ?? r.errors[0]!.message) : (r.data[field].status ?? 'OK'));
const tally = (answers: string[]) => Object.entries(answers.reduce<Record<string, number>>((t, a) => ({ ...t, [a]: (t[a] ?? 0) + 1 }), {})).sort();
/** The referral's outbox, oldest first. */
const eventKinds = async (referralId: string) =>
  (await p.sql<{ kind: string }>('select kind from referral_events where referral_id = ? order by created_at, id', referralId)).map((e) => e.kind);

let cast: Cast;
/** Alliance partners of the sofa shop besides the curtain and light shops: requesters enough to race for one cap. */
const extra: MerchantSession[] = [];
beforeAll(async () => {
  cast = await createCast(p);
  for (let i = 0; i < 5; i++) {
    const m = await signUpMerchant(p, { merchantName: `伙伴${i}`, category: 'tiles' });
    await addAllianceMember(p, cast.sofa, cast.allianceId, m);
    extra.push(m);
  }
}, 60_000);

/** A customer of `shop` who claimed their account (the code read off the gateway by phone, so claims may run at once). */
async function claimedCustomer(shop: MerchantSession, over: Record<string, unknown> = {}) {
  const c = await addCustomer(p, shop, over);
  await ok(p, SEND_CODE, { i: { purpose: 'CLAIM_INVITE', inviteCode: c.inviteCode } });
  const d = await ok(p, CLAIM, { i: { code: c.inviteCode, password: 'customer password', phoneCode: p.lastCode(c.phone) } });
  return { ...c, token: d.claimCustomerInvite.accessToken as string };
}
const propose = (origin: MerchantSession, customerId: string, to: MerchantSession) =>
  p.gql(PROPOSE, { i: { customerId, toMerchantId: to.merchantId, ...ask } }, origin.accessToken);

describe('caps hold under concurrent requests', () => {
  it("a customer's weekly cap: requests from many merchants at once create exactly that many, the rest are CONSENT_REFUSED", async () => {
    await measured('weekly cap', async () => {
      const ROUNDS = 6;
      const notes: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const variant = round % 3;
        let records: string[];
        let cap: number;
        let racers: (() => Promise<GqlResult>)[];
        // Requests held on a record the person never confirmed: all accepted, none announced.
        let held = false;
        if (variant === 0) {
          // A record never confirmed: whatever the shop recorded, every request is held alike.
          const c = await addCustomer(p, cast.sofa, { name: `上限客户${round}` });
          records = [c.id];
          racers = [cast.curtain, cast.light, ...extra].map((to) => () => propose(cast.sofa, c.id, to));
          cap = racers.length;
          held = true;
        } else if (variant === 1) {
          // A customer who allows 3 a week.
          const c = await claimedCustomer(cast.sofa, { name: `上限客户${round}` });
          await ok(p, CONSENT, { i: { maxRequestsPerWeek: 3 } }, c.token);
          records = [c.id];
          cap = 3;
          racers = [cast.curtain, cast.light, ...extra].map((to) => () => propose(cast.sofa, c.id, to));
        } else {
          // One person who confirmed two shops' records of her phone: both propose at once, to three partners each.
          const atSofa = await claimedCustomer(cast.sofa, { name: `上限客户${round}` });
          const atLight = await addCustomer(p, cast.light, { name: `上限客户${round}`, phone: atSofa.phone });
          const { viewer } = await ok(p, `{ viewer { customer { heldRecords { id confirmed } } } }`, {}, atSofa.token);
          const unconfirmed = viewer.customer.heldRecords.find((h: { confirmed: boolean }) => !h.confirmed);
          await ok(p, `mutation($id: ID!) { confirmHeldRecord(id: $id) { confirmed } }`, { id: unconfirmed.id }, atSofa.token);
          records = [atSofa.id, atLight.id];
          cap = 2;
          racers = [
            ...[cast.curtain, extra[0]!, extra[1]!].map((to) => () => propose(cast.sofa, atSofa.id, to)),
            ...[extra[2]!, extra[3]!, extra[4]!].map((to) => () => propose(cast.light, atLight.id, to)),
          ];
        }
        const answers = (await Promise.all(racers.map((race) => race()))).map((r) => answerOf(r, 'proposeReferral'));
        expect(answers.filter((a) => a === 'PENDING')).toHaveLength(cap);
        expect(answers.filter((a) => a !== 'PENDING')).toEqual(Array(racers.length - cap).fill('CONSENT_REFUSED'));
        const local = records.map(localId);
        const placeholders = local.map(() => '?').join(', ');
        expect(await count(`select count(*) as n from referral_requests where customer_id in (${placeholders})`, ...local)).toBe(cap);
        expect(
          await count(
            `select count(*) as n from referral_events e join referral_requests r on r.id = e.referral_id where r.customer_id in (${placeholders}) and e.kind = 'CREATED'`,
            ...local,
          ),
        ).toBe(held ? 0 : cap);
        notes.push(`${racers.length}→${cap}`);
      }
      return `${ROUNDS} rounds (racers→created: ${notes.join(', ')})`;
    });
  }, 30_000);

  it('one referral per interest: the requester asking several times at once creates one request', async () => {
    await measured('one request per interest', async () => {
      const ROUNDS = 4;
      const N = 6;
      const answers: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // A customer who allows more than one request a week, interested in the curtain shop's offer.
        const c = await claimedCustomer(cast.sofa, { name: `意向客户${round}` });
        await ok(p, CONSENT, { i: { maxRequestsPerWeek: 7, maxRequestsPerMonth: 30 } }, c.token);
        await ok(p, `mutation($c: ID!) { joinCommunity(communityId: $c) { id } }`, { c: cast.communityId }, c.token);
        const interestId = (await ok(p, `mutation($o: ID!) { expressInterest(offerId: $o) { id } }`, { o: cast.offerId }, c.token)).expressInterest.id as string;
        const got = (await Promise.all(Array.from({ length: N }, () => p.gql(REQUEST, { i: { interestId, ...ask } }, cast.curtain.accessToken)))).map((r) =>
          answerOf(r, 'requestReferral'),
        );
        expect(got.filter((a) => a === 'PENDING')).toHaveLength(1);
        expect(got.filter((a) => a !== 'PENDING')).toEqual(Array(N - 1).fill('CONFLICT'));
        expect(await count('select count(*) as n from referral_requests where interest_id = ?', localId(interestId))).toBe(1);
        answers.push(...got);
      }
      return `${ROUNDS} rounds × ${N} at once: ${JSON.stringify(tally(answers))}`;
    });
  });

  it("a community's daily posting limit: offers posted at once beyond it are RATE_LIMITED and leave no offer behind", async () => {
    await measured('posting limit', async () => {
      const notes: string[] = [];
      for (const limit of [2, 3, 4]) {
        const communityId = await createCommunity(p, cast.sofa, cast.allianceId, { postLimitPerDay: limit });
        await joinCommunity(p, cast.curtain, communityId);
        const offersBefore = await count('select count(*) as n from offers where merchant_id = ?', localId(cast.curtain.merchantId));
        const N = 8;
        const answers = (await Promise.all(Array.from({ length: N }, () => p.gql(POST, { input: offerInput([communityId], { category: 'curtains' }) }, cast.curtain.accessToken)))).map(
          (r) => (r.errors ? codeOf(r) : 'POSTED'),
        );
        expect(answers.filter((a) => a === 'POSTED')).toHaveLength(limit);
        expect(answers.filter((a) => a !== 'POSTED')).toEqual(Array(N - limit).fill('RATE_LIMITED'));
        expect(await count('select count(*) as n from offer_placements where community_id = ?', localId(communityId))).toBe(limit);
        // A refused post leaves no offer without its placement.
        expect(await count('select count(*) as n from offers where merchant_id = ?', localId(cast.curtain.merchantId))).toBe(offersBefore + limit);
        notes.push(`${N}→${limit}`);
      }
      return `3 rounds (posted at once→stored: ${notes.join(', ')})`;
    });
  }, 30_000);
});

describe('one outcome per referral request', () => {
  /** Exactly one answer won; the others are CONFLICT; what is stored is the winner's, with one outcome event. */
  async function expectOneOutcome(referralId: string, answers: GqlResult[], field: (r: GqlResult) => string, priorKinds: string[]) {
    const winners = answers.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(answers.filter((r) => r.errors).map(codeOf)).toEqual(Array(answers.length - 1).fill('CONFLICT'));
    const status = winners[0]!.data[field(winners[0]!)].status as string;
    const id = localId(referralId);
    const [stored] = await p.sql<{ status: string }>('select status from referral_requests where id = ?', id);
    expect(stored!.status).toBe(status);
    const grants = await p.sql<{ revoked_at: string | null }>('select revoked_at from contact_grants where referral_id = ?', id);
    if (status === 'REVOKED') expect(grants.map((g) => g.revoked_at !== null)).toEqual([true]);
    else expect(grants).toHaveLength(status === 'ACCEPTED' ? 1 : 0);
    expect(await eventKinds(id)).toEqual([...priorKinds, status]);
    return status;
  }

  it('accept vs withdraw, accept vs decline, and three revokes at once: one wins each time, the grant and the outbox follow it', async () => {
    await measured('one outcome', async () => {
      const ROUNDS = 12;
      const won: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const c = await claimedCustomer(cast.sofa, { name: `并发客户${round}` });
        await ok(p, CONSENT, { i: { maxRequestsPerWeek: 3 } }, c.token);
        const [a, b, r] = (await Promise.all([propose(cast.sofa, c.id, cast.light), propose(cast.sofa, c.id, cast.curtain), propose(cast.sofa, c.id, extra[0]!)])).map(
          (res) => {
            expect(res.errors).toBeUndefined();
            return res.data.proposeReferral.id as string;
          },
        );
        await ok(p, RESPOND, { i: { referralId: r, accept: true } }, c.token);
        const races = [
          () => p.gql(RESPOND, { i: { referralId: a, accept: true } }, c.token),
          () => p.gql(WITHDRAW, { id: a }, cast.sofa.accessToken),
          () => p.gql(RESPOND, { i: { referralId: b, accept: true } }, c.token),
          () => p.gql(RESPOND, { i: { referralId: b, accept: false } }, c.token),
          () => p.gql(REVOKE, { id: r }, c.token),
          () => p.gql(REVOKE, { id: r }, c.token),
          () => p.gql(REVOKE, { id: r }, c.token),
        ];
        // Alternate which side of each pair is sent first.
        const order = round % 2 ? [1, 0, 3, 2, 4, 5, 6] : [0, 1, 2, 3, 4, 5, 6];
        const fired = await Promise.all(order.map((i) => races[i]!()));
        const answers: GqlResult[] = [];
        order.forEach((i, k) => (answers[i] = fired[k]!));
        const fieldOf = (res: GqlResult) => Object.keys(res.data)[0]!;
        won.push(`A:${await expectOneOutcome(a, answers.slice(0, 2), fieldOf, ['CREATED'])}`);
        won.push(`B:${await expectOneOutcome(b, answers.slice(2, 4), fieldOf, ['CREATED'])}`);
        await expectOneOutcome(r, answers.slice(4), fieldOf, ['CREATED', 'ACCEPTED']);
      }
      return `${ROUNDS} rounds; winners ${JSON.stringify(tally(won))} (A = accept vs withdraw, B = accept vs decline), revoke ×3 → 1 every round`;
    });
  }, 45_000);
});

describe('refresh-token rotation', () => {
  it('one refresh token presented several times at once: one rotation, the rest refused as reuse, which ends the session', async () => {
    await measured('refresh rotation', async () => {
      const owner = await signUpMerchant(p, { merchantName: '令牌测试店' });
      const ROUNDS = 5;
      const N = 6;
      let answeredWinner = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const session = (await ok(p, SIGN_IN, { input: { login: owner.email, password: owner.password } })).signIn;
        const presented = hashRefreshToken(session.refreshToken);
        const [row] = await p.sql<{ session_id: string }>('select session_id from refresh_tokens where token_hash = ?', presented);
        const sessionId = row!.session_id;
        const answers = await Promise.all(Array.from({ length: N }, () => p.gql(REFRESH, { t: session.refreshToken })));
        // Stored: the presented token used once and exactly one successor, whatever the answers say.
        const tokens = await p.sql<{ token_hash: string; used_at: string | null }>('select token_hash, used_at from refresh_tokens where session_id = ?', sessionId);
        expect(tokens).toHaveLength(2);
        expect(tokens.find((t) => t.token_hash === presented)!.used_at).not.toBeNull();
        const successor = tokens.find((t) => t.token_hash !== presented)!;
        expect(successor.used_at).toBeNull();
        // The losers saw the token used: reuse, so the session is ended.
        const [ended] = await p.sql<{ revoked_at: string | null }>('select revoked_at from sessions where id = ?', sessionId);
        expect(ended!.revoked_at).not.toBeNull();
        // At most one answer carries the new pair (the one stored). The winner's own answer is refused
        // too when a loser ended the session before the winner loaded its viewer: the pair was dead anyway.
        const winners = answers.filter((r) => !r.errors);
        expect(winners.length).toBeLessThanOrEqual(1);
        expect(answers.filter((r) => r.errors).map(codeOf)).toEqual(Array(N - winners.length).fill('UNAUTHENTICATED'));
        if (winners.length === 1) {
          answeredWinner++;
          const issued = winners[0]!.data.refreshSession;
          expect(hashRefreshToken(issued.refreshToken)).toBe(successor.token_hash);
          // As with a sequential replay: the reuse ends the winner's pair too.
          expect(codeOf(await p.gql(REFRESH, { t: issued.refreshToken }))).toBe('UNAUTHENTICATED');
          expect(codeOf(await p.gql(VIEWER, {}, issued.accessToken))).toBe('UNAUTHENTICATED');
        }
      }
      return `${ROUNDS} rounds × ${N} at once: 1 rotation stored and the session revoked each round; the new pair answered in ${answeredWinner} rounds (else all ${N} UNAUTHENTICATED)`;
    });
  });
});

describe('invite claims', () => {
  it('one invite claimed several times at once with the right SMS code: exactly one account claims it', async () => {
    await measured('invite claim', async () => {
      const ROUNDS = 4;
      const N = 6;
      const losers: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const c = await addCustomer(p, cast.sofa, { name: `认领客户${round}` });
        await ok(p, SEND_CODE, { i: { purpose: 'CLAIM_INVITE', inviteCode: c.inviteCode } });
        const phoneCode = p.lastCode(c.phone);
        const customersBefore = await count("select count(*) as n from accounts where kind = 'CUSTOMER'");
        const passwords = Array.from({ length: N }, (_, i) => `password number ${i} of round ${round}`);
        const answers = await Promise.all(passwords.map((password) => p.gql(CLAIM, { i: { code: c.inviteCode, password, phoneCode } })));
        const winners = answers.map((r, i) => ({ r, password: passwords[i]! })).filter(({ r }) => !r.errors);
        expect(winners).toHaveLength(1);
        const { r: winner, password } = winners[0]!;
        // A claim that lost inside its transaction is CONFLICT; one that came after finds the invite (or code) used.
        const lost = answers.filter((r) => r.errors).map((r) => codeOf(r)!);
        expect(lost.every((code) => code === 'CONFLICT' || code === 'UNAUTHENTICATED')).toBe(true);
        losers.push(...lost);
        const accountId = localId(winner.data.claimCustomerInvite.viewer.id);
        expect(await count("select count(*) as n from accounts where kind = 'CUSTOMER'")).toBe(customersBefore + 1);
        const [record] = await p.sql<{ account_id: string }>('select account_id from customers where id = ?', localId(c.id));
        expect(record!.account_id).toBe(accountId);
        expect(await count('select count(*) as n from sessions where account_id = ?', accountId)).toBe(1);
        expect(await count('select count(*) as n from customer_invites where customer_id = ? and used_at is not null', localId(c.id))).toBe(1);
        // The consent history was carried over once, not once per claimant.
        expect(await count('select count(*) as n from consent_versions where subject_id = ?', accountId)).toBe(
          await count('select count(*) as n from consent_versions where subject_id = ?', localId(c.id)),
        );
        // The account is the winner's: its token works and its password signs in.
        expect((await p.gql(VIEWER, {}, winner.data.claimCustomerInvite.accessToken)).data.viewer.id).toBe(winner.data.claimCustomerInvite.viewer.id);
        const signIn = await p.gql(SIGN_IN, { input: { login: c.phone, password } });
        expect(signIn.errors).toBeUndefined();
        expect(signIn.data.signIn.viewer.id).toBe(winner.data.claimCustomerInvite.viewer.id);
      }
      return `${ROUNDS} rounds × ${N} at once: 1 claim each; losers ${JSON.stringify(tally(losers))}`;
    });
  }, 30_000);
});

describe('the outbox is delivered once by two instances', () => {
  /** A fixed noon in Shanghai (outside quiet hours), tomorrow. */
  const d = new Date();
  const NOON = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1, 4, 0));

  it("both instances' notifiers run at once, while new events arrive: every gateway message is sent exactly once", async () => {
    await measured('outbox', async () => {
      // Whatever earlier tests left in the outbox is fanned out first, so this test counts its own messages.
      await p.deps.notifier.deliverDue(NOON);
      received.length = 0;
      const CUSTOMERS = 20;
      const reachable = await Promise.all(
        Array.from({ length: CUSTOMERS }, async (_, i) => {
          const c = await claimedCustomer(cast.sofa, { name: `短信客户${i}` });
          await ok(p, CONSENT, { i: { channels: ['IN_APP', 'SMS'] } }, c.token);
          return c;
        }),
      );
      // Two requests each (CREATED goes to the customer by SMS as well as in the app).
      const requests = await Promise.all(
        reachable.map(async (c) => {
          const ids: string[] = [];
          for (const to of [cast.light, cast.curtain]) ids.push((await ok(p, PROPOSE, { i: { customerId: c.id, toMerchantId: to.merchantId, ...ask } }, cast.sofa.accessToken)).proposeReferral.id);
          return { c, ids };
        }),
      );
      // Round 1: the customers accept one request each (urgent SMS), then the notifiers race for the
      // 60 events and messages (more than one claim batch of 50).
      await Promise.all(requests.map(({ c, ids }) => ok(p, RESPOND, { i: { referralId: ids[0], accept: true } }, c.token)));
      const workers = [q, p, q, p].map((x) => () => x.deps.notifier.deliverDue(NOON));
      const reports: { instance: string; delivered: number; dispatched: number }[] = [];
      const run = async () => {
        const done = await Promise.all(workers.map((w) => w()));
        reports.push(...done.map((r, i) => ({ instance: i % 2 ? 'A' : 'B', ...r })));
      };
      await run();
      // Round 2: the shop withdraws the other requests (SMS to the customers) while the notifiers run.
      await Promise.all([run(), ...requests.map(({ ids }) => ok(p, WITHDRAW, { id: ids[1] }, cast.sofa.accessToken))]);
      // Further rounds until a whole round finds nothing to do.
      let rounds = 2;
      for (;;) {
        const before = reports.length;
        await run();
        rounds++;
        if (reports.slice(before).every((r) => r.dispatched === 0 && r.delivered === 0)) break;
      }

      const sms = await p.sql<{ id: string; status: string; attempts: number }>(
        "select n.id, n.status, n.attempts from notifications n join referral_requests r on r.id = n.referral_id join customers c on c.id = r.customer_id where n.channel = 'SMS' and c.account_id is not null",
      );
      // 20 customers × (2 CREATED + 1 ACCEPTED + 1 WITHDRAWN).
      expect(sms).toHaveLength(CUSTOMERS * 4);
      expect(sms.every((n) => n.status === 'DELIVERED' && n.attempts === 1)).toBe(true);
      // Each message reached the gateway once: no key twice, none missing.
      expect(received.map((r) => r.key).sort()).toEqual(sms.map((n) => n.id).sort());
      expect(reports.reduce((sum, r) => sum + r.delivered, 0)).toBe(received.length);
      // Each event was fanned out once: one notification per event, channel and recipient.
      const duplicates = await p.sql(
        'select event_id, channel, account_id, merchant_id, count(*) as n from notifications group by event_id, channel, account_id, merchant_id having count(*) > 1',
      );
      expect(duplicates).toEqual([]);
      expect(await count('select count(*) as n from referral_events where dispatched_at is null')).toBe(0);
      const by = (instance: string) => reports.filter((r) => r.instance === instance).reduce((s, r) => s + r.delivered, 0);
      return `${rounds} rounds of 4 notifiers (2 per instance); ${received.length} messages, each once; delivered by instance A ${by('A')}, B ${by('B')}`;
    });
  }, 45_000);
});

describe('the transaction helper on PostgreSQL', () => {
  const db = p.deps.db;
  const merchant = (name: string, id = newId()) => ({ id, name, category: 'tiles', city: '温州', createdAt: nowIso() });
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
  const nameOf = async (id: string) => (await db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, id)))[0]?.name;

  it('writes with awaits between them roll back together on a failure', async () => {
    const ids = [newId(), newId()];
    const existing = newId();
    await inTransaction(db, async (tx) => {
      await tx.insert(merchants).values(merchant('原名', existing));
    });
    await expect(
      inTransaction(db, async (tx) => {
        await tx.insert(merchants).values(merchant('半途一', ids[0]));
        await tick();
        await tx.update(merchants).set({ name: '改过' }).where(eq(merchants.id, existing));
        await tick();
        await tx.insert(merchants).values(merchant('半途二', ids[1]));
        await tick();
        throw new Error('crash midway');
      }),
    ).rejects.toThrow('crash midway');
    expect(await count('select count(*) as n from merchants where id in (?, ?)', ...ids)).toBe(0);
    expect(await nameOf(existing)).toBe('原名');
  });

  it('a transaction started inside another is refused, and the outer one rolls back', async () => {
    const id = newId();
    await expect(
      inTransaction(db, async (tx) => {
        await tx.insert(merchants).values(merchant('外层', id));
        return inTransaction(db, async () => 'never');
      }),
    ).rejects.toThrow(/already inside a transaction/);
    expect(await nameOf(id)).toBeUndefined();
  });

  it('20 concurrent read-then-write increments of one counter all land (+20), after retries', async () => {
    await measured('counter', async () => {
      const id = newId();
      await inTransaction(db, async (tx) => {
        await tx.insert(merchants).values(merchant('0', id));
      });
      let attempts = 0;
      const before = retries.n;
      await Promise.all(
        Array.from({ length: 20 }, () =>
          inTransaction(db, async (tx) => {
            attempts++;
            const [row] = await tx.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, id));
            await tick();
            await tx.update(merchants).set({ name: String(Number(row!.name) + 1) }).where(eq(merchants.id, id));
          }),
        ),
      );
      expect(await nameOf(id)).toBe('20');
      // The increments overlapped (the pool holds 8 connections) and PostgreSQL refused some: they were run again.
      expect(retries.n - before).toBeGreaterThan(0);
      expect(attempts).toBe(20 + retries.n - before);
      return `20 increments in ${attempts} attempts`;
    });
  });

  it('two transactions that deadlock (rows taken in opposite order) both succeed: the victim is run again', async () => {
    await measured('deadlock', async () => {
      const [x, y] = [newId(), newId()];
      await inTransaction(db, async (tx) => {
        await tx.insert(merchants).values([merchant('x', x), merchant('y', y)]);
      });
      let attempts = 0;
      let locked = 0;
      const bothLocked = async () => {
        // Each waits until both hold their first row (first attempts only), so the second updates cross.
        locked++;
        for (let i = 0; i < 100 && locked < 2; i++) await tick();
      };
      const take = (first: string, second: string, label: string) =>
        inTransaction(db, async (tx) => {
          const attempt = ++attempts;
          await tx.update(merchants).set({ city: label }).where(eq(merchants.id, first));
          if (attempt <= 2) await bothLocked();
          await tx.update(merchants).set({ city: label }).where(eq(merchants.id, second));
          return label;
        });
      expect(await Promise.all([take(x, y, 'A'), take(y, x, 'B')])).toEqual(['A', 'B']);
      expect(attempts).toBeGreaterThan(2);
      const cities = await p.sql<{ city: string }>('select city from merchants where id in (?, ?)', x, y);
      // Whichever committed last set both rows: never one row from each.
      expect(new Set(cities.map((c) => c.city)).size).toBe(1);
      return `${attempts} attempts for 2 transactions`;
    });
  });

  it('a unique key taken by a committed transaction, or by a concurrent one, is a CONFLICT', async () => {
    const id = newId();
    await inTransaction(db, async (tx) => {
      await tx.insert(merchants).values(merchant('先到', id));
    });
    await expect(
      inTransaction(db, async (tx) => {
        await tx.insert(merchants).values(merchant('后到', id));
      }),
    ).rejects.toMatchObject({ name: 'AppError', code: 'CONFLICT' });
    const racing = newId();
    const results = await Promise.allSettled(
      ['甲', '乙', '丙'].map((name) =>
        inTransaction(db, async (tx) => {
          await tx.insert(merchants).values(merchant(name, racing));
          await tick();
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toMatchObject([
      { name: 'AppError', code: 'CONFLICT' },
      { name: 'AppError', code: 'CONFLICT' },
    ]);
    expect(await count('select count(*) as n from merchants where id = ?', racing)).toBe(1);
  });
});

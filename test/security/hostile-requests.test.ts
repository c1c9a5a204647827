// Requests an adversary sends on purpose: pages sized to dodge the cost rule, IDs, page arguments
// and documents built to crash the server or to learn which IDs exist, and merchant staff trying
// the alliance-admin rights of the owner they work for. Every one is answered with a clear client
// error over HTTP, nothing unexpected reaches the error log, and the owner keeps its rights.
import { Writable } from 'node:stream';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { beforeAll, describe, expect, it } from 'vitest';
import { decideMembership } from '../../db/commands/alliances.js';
import { moderateOffer } from '../../db/commands/moderation.js';
import { AppError } from '../../db/errors.js';
import { applyToAlliance, signUpMerchant, type MerchantSession } from '../factories.js';
import { codeOf, createTestPlatform, type GqlResult } from '../fixtures.js';
import { createCast, ok, type Cast } from '../story.js';

const logLines: string[] = [];
const p = await createTestPlatform({ LOG_LEVEL: 'warn' }, new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) }));
let cast: Cast;
let referralId: string;
let applicant: MerchantSession;
beforeAll(async () => {
  cast = await createCast(p);
  const d = await ok(
    p,
    `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`,
    { i: { interestId: cast.interestId, purpose: '上门测量', fields: ['NAME', 'PHONE'], retentionDays: 30 } },
    cast.curtain.accessToken,
  );
  referralId = d.requestReferral.id;
  applicant = await signUpMerchant(p, { merchantName: '好地板', category: 'flooring' });
  await applyToAlliance(p, applicant, cast.allianceId);
}, 60_000);

/** Runs a request and reports how many SQL statements it ran and which error-level lines it logged. */
async function attempt(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const statementsBefore = p.statements.length;
  const logsBefore = logLines.length;
  const r = await p.gql(query, variables, token);
  const errorLogs = logLines.slice(logsBefore).filter((line) => JSON.parse(line).level >= 50);
  return { ...r, statements: p.statements.length - statementsBefore, errorLogs };
}

/** A clear client error: the expected code, no stack, no SQL, and nothing in the error log. */
function refusedAs(r: GqlResult & { errorLogs: string[] }, code: string) {
  expect(codeOf(r), JSON.stringify(r.body)).toBe(code);
  expect(JSON.stringify(r.body)).not.toMatch(/\bat .*\.(ts|js):\d+|select |from "|sqlite|stack/i);
  expect(r.errorLogs).toEqual([]);
}

const tooMuch = (r: { errors?: { message: string }[]; statements: number }) => {
  expect(r.errors?.[0]?.message).toMatch(/asks for too much/);
  expect(r.statements).toBe(0);
};

describe('the cost rule counts the page that is really fetched', () => {
  const NESTED = (args: string) => `{ alliances(${args}) { edges { node { communities(${args}) { edges { node { name } } } } } } }`;

  it('a page asked for with last: 100 is costed as 100 edges, also when first is null beside it', async () => {
    tooMuch(await attempt(NESTED('last: 100')));
    tooMuch(await attempt(NESTED('first: null, last: 100')));
    const small = await attempt(NESTED('last: 5'), {}, cast.sofa.accessToken);
    expect(small.errors).toBeUndefined();
    expect(small.data.alliances.edges.length).toBeGreaterThan(0);
  });

  it('a page size from a variable counts, also when it is the variable\'s default', async () => {
    const q = (decl: string) => `query(${decl}) { alliances(last: $n) { edges { node { communities(last: $n) { edges { node { name } } } } } } }`;
    tooMuch(await attempt(q('$n: Int'), { n: 100 }));
    tooMuch(await attempt(q('$n: Int = 100')));
  });

  it('a page asked for with first: null is costed as the default page, like one with no size at all', async () => {
    const aliased = (n: number, args: string) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: alliances${args} { edges { node { communities${args} { edges { node { id name description } } } } } }`).join(' ')} }`;
    tooMuch(await attempt(aliased(3, '')));
    tooMuch(await attempt(aliased(3, '(first: null)')));
    expect((await attempt(aliased(2, '(first: null)'), {}, cast.sofa.accessToken)).errors).toBeUndefined();
  });
});

describe('malformed requests are clear client errors, never a crash', () => {
  const NODE = `query($id: ID!) { node(id: $id) { id } }`;

  it('node(id) answers NOT_FOUND alike for a malformed ID, an unknown type, a made-up referral and someone else\'s referral, signed in or not', async () => {
    const ids = [
      '!!!',
      'not base64 at all',
      encodeGlobalID('NoSuchType', '1'),
      encodeGlobalID('AllianceMember', '1'),
      encodeGlobalID('Query', '1'),
      encodeGlobalID(decodeGlobalID(referralId).typename, '0190a0a0-0000-7000-8000-000000000000'),
      referralId,
      cast.customerId,
    ];
    const answers = new Set<string>();
    for (const token of [cast.light.accessToken, undefined]) {
      for (const id of ids) {
        const r = await attempt(NODE, { id }, token);
        refusedAs(r, 'NOT_FOUND');
        expect(r.data?.node ?? null).toBeNull();
        answers.add(JSON.stringify(r.body));
      }
    }
    // One answer for all: nothing tells an ID that exists from one that does not.
    expect(answers.size).toBe(1);
    // The parties still read it.
    expect((await ok(p, NODE, { id: referralId }, cast.curtain.accessToken)).node.id).toBe(referralId);
  });

  it('a page of -1, a page with both first and last, and a cursor no list gave out are BAD_USER_INPUT naming the argument', async () => {
    const cursor = (text: string) => Buffer.from(text).toString('base64');
    const cases: [string, Record<string, unknown>, string][] = [
      [`{ alliances(first: -1) { edges { node { id } } } }`, {}, 'first'],
      [`{ alliances(last: -1) { edges { node { id } } } }`, {}, 'last'],
      [`query($n: Int) { alliances(first: $n) { edges { node { id } } } }`, { n: -5 }, 'first'],
      [`{ alliances(first: 1, last: 1) { edges { node { id } } } }`, {}, 'last'],
      [`{ alliances(after: "garbage") { edges { node { id } } } }`, {}, 'after'],
      [`{ alliances(before: "garbage") { edges { node { id } } } }`, {}, 'before'],
      [`query($c: String) { alliances(after: $c) { edges { node { id } } } }`, { c: cursor('DC:zzz') }, 'after'],
      [`query($c: String) { alliances(after: $c) { edges { node { id } } } }`, { c: cursor('DC:O:{"id":{"gt":""}}') }, 'after'],
      [`query($c: String) { alliances(after: $c) { edges { node { id } } } }`, { c: cursor('DC:T:[]') }, 'after'],
      [`query($a: ID!) { alliance(id: $a) { members(after: "xx") { edges { node { role } } } } }`, { a: cast.allianceId }, 'after'],
      [`query($c: ID!) { community(id: $c) { offers(after: "xx") { edges { node { id } } } } }`, { c: cast.communityId }, 'after'],
    ];
    // Anonymous, so that any statement run would be a resolver's.
    for (const [query, variables, field] of cases) {
      const r = await attempt(query, variables);
      refusedAs(r, 'BAD_USER_INPUT');
      expect(r.errors![0]!.extensions!.field, query).toBe(field);
      expect(r.statements, query).toBe(0);
    }
    // A well-formed cursor from a list ordered by two columns, sent to a list ordered by one.
    const feed = await ok(p, `query($c: ID!) { community(id: $c) { offers(first: 1) { pageInfo { endCursor } } } }`, { c: cast.communityId }, cast.sofa.accessToken);
    const elsewhere = await attempt(`query($c: String) { viewer { merchant { customers(first: 2, after: $c) { edges { node { id } } } } } }`, { c: feed.community.offers.pageInfo.endCursor }, cast.sofa.accessToken);
    refusedAs(elsewhere, 'BAD_USER_INPUT');
    // A cursor the list gave out still pages.
    const first = await ok(p, `{ alliances(first: 1) { pageInfo { endCursor } } }`, {});
    expect((await attempt(`query($c: String) { alliances(after: $c) { edges { node { id } } } }`, { c: first.alliances.pageInfo.endCursor })).errors).toBeUndefined();
  });

  it('a document of 3,000 nested brackets is refused as too much, not a crash, and the server answers on', async () => {
    for (const document of [`{ viewer(x: ${'['.repeat(3000)}) { id } }`, `{ viewer ${'{ a '.repeat(3000)} }`]) {
      const r = await attempt(document);
      expect([200, 400]).toContain(r.status);
      refusedAs(r, 'BAD_USER_INPUT');
      expect(r.errors![0]!.message).toMatch(/asks for too much/);
    }
    expect((await attempt(`{ viewer { id } }`, {}, cast.sofa.accessToken)).data.viewer.id).toBeTruthy();
  });
});

describe("alliance admin rights are the merchant owner's, never its staff's", () => {
  const DECIDE = `mutation($a: ID!, $m: ID!) { decideMembership(allianceId: $a, merchantId: $m, approve: true) { status } }`;
  const MODERATE = `mutation($o: ID!) { moderateOffer(offerId: $o, hide: true, reason: "引流广告") { status } }`;
  const ADMIN_VIEWS = ['pendingApplications { totalCount }', 'moderationQueue { edges { node { id } } }', 'moderationLog { edges { node { kind } } }'];
  const staffOfOwner = () => [
    ['staff with contact permission', cast.sofaStaffWithContacts.accessToken],
    ['staff without contact permission', cast.sofaStaffWithoutContacts.accessToken],
  ] as const;

  it('staff of the alliance owner, with or without contact permission, get FORBIDDEN deciding applications, moderating offers and reading admin views', async () => {
    for (const [who, token] of staffOfOwner()) {
      refusedAs(await attempt(DECIDE, { a: cast.allianceId, m: applicant.merchantId }, token), 'FORBIDDEN');
      refusedAs(await attempt(MODERATE, { o: cast.offerId }, token), 'FORBIDDEN');
      refusedAs(
        await attempt(`mutation($a: ID!) { createCommunity(input: { allianceId: $a, name: "店员建的群", description: "x", rules: "x" }) { id } }`, { a: cast.allianceId }, token),
        'FORBIDDEN',
      );
      refusedAs(await attempt(`mutation($a: ID!, $m: ID!) { setAllianceRole(allianceId: $a, merchantId: $m, role: ADMIN) { role } }`, { a: cast.allianceId, m: cast.light.merchantId }, token), 'FORBIDDEN');
      for (const view of ADMIN_VIEWS) refusedAs(await attempt(`query($a: ID!) { alliance(id: $a) { ${view} } }`, { a: cast.allianceId }, token), 'FORBIDDEN');
      const viewer = await ok(p, `{ viewer { roles adminOf { id } } }`, {}, token);
      expect(viewer.viewer, who).toEqual({ roles: ['MERCHANT_STAFF'], adminOf: [] });
    }
    // Nothing the staff tried happened.
    const views = await ok(p, `query($a: ID!) { alliance(id: $a) { ${ADMIN_VIEWS.join(' ')} } }`, { a: cast.allianceId }, cast.sofa.accessToken);
    expect(views.alliance.pendingApplications.totalCount).toBe(1);
    expect(views.alliance.moderationLog.edges.map((e: any) => e.node.kind)).not.toContain('HIDE_OFFER');
  });

  it('the owner still decides applications, moderates offers and is an ALLIANCE_ADMIN', async () => {
    expect((await ok(p, `{ viewer { roles } }`, {}, cast.sofa.accessToken)).viewer.roles).toEqual(['MERCHANT_OWNER', 'ALLIANCE_ADMIN']);
    expect((await ok(p, DECIDE, { a: cast.allianceId, m: applicant.merchantId }, cast.sofa.accessToken)).decideMembership.status).toBe('APPROVED');
    expect((await ok(p, MODERATE, { o: cast.offerId }, cast.sofa.accessToken)).moderateOffer.status).toBe('HIDDEN');
  });

  it('the commands refuse a staff account inside their transaction, whatever let the call through', async () => {
    const local = (id: string) => decodeGlobalID(id).id;
    const staff = await ok(p, `{ viewer { id } }`, {}, cast.sofaStaffWithContacts.accessToken);
    const actor = { accountId: local(staff.viewer.id), merchantId: local(cast.sofa.merchantId) };
    const late = await signUpMerchant(p, { merchantName: '晚来的瓷砖店', category: 'tiles' });
    await applyToAlliance(p, late, cast.allianceId);
    const refused = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        return error instanceof AppError ? error.code : error;
      }
      return 'allowed';
    };
    expect(await refused(() => decideMembership(p.deps.db, actor, local(cast.allianceId), local(late.merchantId), true, null))).toBe('FORBIDDEN');
    expect(await refused(() => moderateOffer(p.deps.db, actor, local(cast.offerId), false, '恢复'))).toBe('FORBIDDEN');
  });
});

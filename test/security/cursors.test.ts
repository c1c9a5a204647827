// Connection cursors are opaque and signed for the list that made them (server/cursors.ts): a
// cursor from another list, one made under other arguments, or a made-up one is BAD_USER_INPUT
// naming the argument before any statement runs; the cursors a list gave out page it, forwards and
// backwards, also in a mutation's answer replayed under an Idempotency-Key.
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { cursorKeyOf, openCursor, sealCursor } from '../../server/cursors.js';
import { postOffer } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, type Cast } from '../story.js';

const p = await createTestPlatform();
let cast: Cast;

const FEED = `query($c: ID!, $first: Int, $last: Int, $after: String, $before: String, $category: String) {
  community(id: $c) { offers(first: $first, last: $last, after: $after, before: $before, category: $category) {
    edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }`;
const CUSTOMERS = `query($first: Int, $after: String) { viewer { merchant { customers(first: $first, after: $after) {
  edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } } }`;

beforeAll(async () => {
  cast = await createCast(p);
  for (const category of ['curtains', 'sofa', 'curtains']) await postOffer(p, cast.curtain, [cast.communityId], { category });
}, 60_000);

const feed = (variables: Record<string, unknown>) => p.gql(FEED, { c: cast.communityId, ...variables }, cast.sofa.accessToken);
const customers = (variables: Record<string, unknown>) => p.gql(CUSTOMERS, variables, cast.sofa.accessToken);

/** A request refused before anything ran: BAD_USER_INPUT naming the argument, and no statement. */
async function refused(send: () => Promise<{ errors?: { message: string; extensions?: Record<string, unknown> }[]; data?: unknown; body: unknown }>, field = 'after') {
  const before = p.statements.length;
  const r = await send();
  expect(codeOf(r as never), JSON.stringify(r.body)).toBe('BAD_USER_INPUT');
  expect(r.errors![0]!.extensions!.field).toBe(field);
  expect(r.errors![0]!.message).toBe('This cursor does not come from this list. Start again from the first page.');
  expect(r.data ?? null).toBeNull();
  expect(p.statements.length - before).toBe(0);
}

/** Every node of a list, paged one at a time by its own cursors. */
async function pageThrough(read: (after: string | null) => Promise<{ edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>) {
  const ids: string[] = [];
  for (let after: string | null = null, pages = 0; pages < 20; pages++) {
    const page = await read(after);
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return ids;
}

describe('connection cursors', () => {
  it('page every list by the cursors it gave out, forwards and backwards', async () => {
    const all = (await feed({ first: 10 })).data.community.offers;
    expect(all.edges).toHaveLength(4);
    const paged = await pageThrough(async (after) => {
      const r = await feed({ first: 1, after });
      expect(r.errors).toBeUndefined();
      return r.data.community.offers;
    });
    expect(paged).toEqual(all.edges.map((e: any) => e.node.id));
    // Backwards from the last page's start.
    const last = (await feed({ last: 2 })).data.community.offers;
    const before = await feed({ last: 2, before: last.pageInfo.startCursor });
    expect(before.errors).toBeUndefined();
    expect([...before.data.community.offers.edges, ...last.edges].map((e: any) => e.node.id)).toEqual(paged);
    // A cursor in the document itself, and an edge's cursor, work as well as pageInfo's.
    const literal = await p.gql(`query($c: ID!) { community(id: $c) { offers(first: 1, after: "${all.edges[1].cursor}") { edges { node { id } } } } }`, { c: cast.communityId }, cast.sofa.accessToken);
    expect(literal.errors).toBeUndefined();
    expect(literal.data.community.offers.edges[0].node.id).toBe(paged[2]);

    const everyone = (await customers({ first: 10 })).data.viewer.merchant.customers.edges.map((e: any) => e.node.id);
    expect(everyone.length).toBeGreaterThanOrEqual(2);
    const customersPaged = await pageThrough(async (after) => {
      const r = await customers({ first: 1, after });
      expect(r.errors).toBeUndefined();
      return r.data.viewer.merchant.customers;
    });
    expect(customersPaged).toEqual(everyone);
  });

  it('are opaque: no cursor shows the row it points at', async () => {
    const page = (await feed({ first: 1 })).data.community.offers;
    expect(page.edges[0].cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(page.edges[0].cursor, 'base64url').toString('latin1')).not.toMatch(/^DC:/);
  });

  it("a cursor from another list is refused: a feed's sent to a merchant's customers, and the other way round", async () => {
    const feedCursor = (await feed({ first: 1 })).data.community.offers.pageInfo.endCursor;
    const customerCursor = (await customers({ first: 1 })).data.viewer.merchant.customers.pageInfo.endCursor;
    await refused(() => customers({ first: 2, after: feedCursor }));
    await refused(() => feed({ first: 2, after: customerCursor }));
    await refused(() => feed({ last: 2, before: customerCursor }), 'before');
    // Another list of the same kind of rows: the alliances' list.
    await refused(() => p.gql(`query($c: String) { alliances(first: 1, after: $c) { edges { node { id } } } }`, { c: feedCursor }));
  });

  it('a cursor made under one category is refused under another, and pages under its own', async () => {
    const curtains = (await feed({ first: 1, category: 'curtains' })).data.community.offers.pageInfo.endCursor;
    await refused(() => feed({ first: 1, after: curtains, category: 'sofa' }));
    await refused(() => feed({ first: 1, after: curtains }));
    const next = await feed({ first: 1, after: curtains, category: 'curtains' });
    expect(next.errors).toBeUndefined();
    expect(next.data.community.offers.edges).toHaveLength(1);
    // And one made without the filter is refused with it.
    const unfiltered = (await feed({ first: 1 })).data.community.offers.pageInfo.endCursor;
    await refused(() => feed({ first: 1, after: unfiltered, category: 'curtains' }));
  });

  it('a forged cursor is refused: random bytes, the inner cursor without its signature, a tampered signature, another key', async () => {
    const list = 'Community.offers\u0000[]';
    const sealed: string = (await feed({ first: 1 })).data.community.offers.pageInfo.endCursor;
    const key = cursorKeyOf(p.deps.keys.piiKey);
    const inner = openCursor(key, list, sealed);
    // Inside: the row's place in the list's order (when it was posted here, then its id).
    expect(JSON.parse(inner!)).toEqual([expect.any(String), expect.any(String)]);
    // The signature checks out as the test computes it: the cases below differ only where they say.
    expect(sealCursor(key, list, inner!)).toBe(sealed);
    const bytes = Buffer.from(sealed, 'base64url');
    const tampered = Buffer.from(bytes);
    tampered[0]! ^= 1;
    const forged = [
      randomBytes(40).toString('base64url'),
      randomBytes(40).toString('base64'),
      inner!,
      Buffer.from(inner!).toString('base64url'),
      tampered.toString('base64url'),
      bytes.subarray(16).toString('base64url'),
      sealCursor(cursorKeyOf(randomBytes(32)), list, inner!),
      '',
      'x',
      `${sealed}=`,
    ];
    for (const after of forged) await refused(() => feed({ first: 1, after }));
    await refused(() => feed({ last: 1, before: tampered.toString('base64url') }), 'before');
  });

  it('in a fragment, and in a mutation answer replayed under an Idempotency-Key, cursors are checked and sealed alike', async () => {
    const after = (await feed({ first: 1 })).data.community.offers.pageInfo.endCursor;
    const fragment = `query($c: ID!, $after: String) { community(id: $c) { ...Feed } } fragment Feed on Community { offers(first: 1, after: $after) { edges { node { id } } } }`;
    expect((await p.gql(fragment, { c: cast.communityId, after }, cast.sofa.accessToken)).errors).toBeUndefined();
    const customerCursor = (await customers({ first: 1 })).data.viewer.merchant.customers.pageInfo.endCursor;
    await refused(() => p.gql(fragment, { c: cast.communityId, after: customerCursor }, cast.sofa.accessToken));

    const customer = await addCustomer(p, cast.sofa, { name: '孙女士' });
    const token = await claim(p, customer.inviteCode);
    const join = `mutation($c: ID!, $after: String) { joinCommunity(communityId: $c) { id offers(first: 1, after: $after) { edges { cursor node { id } } pageInfo { endCursor } } } }`;
    const keyed = (variables: Record<string, unknown>) =>
      request(p.app).post('/graphql').set('content-type', 'application/json').set('idempotency-key', 'cursor-join-0001').set('authorization', `Bearer ${token}`).send({ query: join, variables });
    const first = await keyed({ c: cast.communityId, after });
    expect(first.body.errors).toBeUndefined();
    const replay = await keyed({ c: cast.communityId, after });
    expect(replay.body).toEqual(first.body);
    const next = first.body.data.joinCommunity.offers.pageInfo.endCursor;
    expect((await p.gql(FEED, { c: cast.communityId, first: 1, after: next }, token)).errors).toBeUndefined();
    // A foreign cursor under a key is refused before the key is claimed.
    const before = p.statements.length;
    const foreign = await request(p.app).post('/graphql').set('content-type', 'application/json').set('idempotency-key', 'cursor-join-0002').set('authorization', `Bearer ${token}`).send({ query: join, variables: { c: cast.communityId, after: customerCursor } });
    expect(foreign.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(p.statements.length - before).toBe(0);
  });
});

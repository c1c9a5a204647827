import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../services/seed.js';
import { createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();

describe('the demo seed', () => {
  it('gives a first start an alliance with three members, communities with offers and a published joint campaign', async () => {
    const logins = await seedDemo(p.deps.db, p.deps.vault);
    expect(logins).not.toBeNull();
    const sofa = logins!.find((l) => l.login === 'sofa@demo.cn')!;
    const session = await p.gql(`mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, { i: { login: sofa.login, password: sofa.password } });
    const token = session.data.signIn.accessToken;
    const r = await p.gql(`{ viewer { roles adminOf { name members { totalCount } communities { edges { node { id merchantCount } } } } } }`, {}, token);
    expect(r.errors).toBeUndefined();
    expect(r.data.viewer.roles).toContain('ALLIANCE_ADMIN');
    const [alliance] = r.data.viewer.adminOf;
    expect(alliance.members.totalCount).toBe(3);
    const communities = alliance.communities.edges.map((e: any) => e.node);
    expect(communities).toHaveLength(2);
    expect(communities.every((c: any) => c.merchantCount === 3)).toBe(true);
    // Each feed separately: the whole tree in one document would exceed the depth limit.
    const feeds = await Promise.all(
      communities.map((c: any) => p.gql(`query($id: ID!) { community(id: $id) { offers { edges { node { title campaign { status stats { spent } } } } } } }`, { id: c.id }, token)),
    );
    const offers = feeds.flatMap((f) => f.data.community.offers.edges.map((e: any) => e.node));
    expect(offers.length).toBeGreaterThanOrEqual(4);
    expect(offers.some((o: any) => o.campaign?.status === 'PUBLISHED' && o.campaign.stats.spent === 48_000)).toBe(true);
    expect(await seedDemo(p.deps.db, p.deps.vault)).toBeNull();
  });

  it('gives the demo customer a pending request to answer, with the requester\'s disclosure', async () => {
    const customer = (await p.gql(`mutation { signIn(input: { login: "13800000001", password: "demo-pass-2026" }) { accessToken } }`)).data.signIn.accessToken;
    const r = await p.gql(`{ viewer { customer { displayName communities { name } referralRequests(first: 5, status: PENDING) { edges { node { purpose requestedFields requester { name } requesterNotice { version } } } } } } }`, {}, customer);
    expect(r.errors).toBeUndefined();
    expect(r.data.viewer.customer.displayName).toBe('赵雅琴');
    expect(r.data.viewer.customer.communities).toEqual([{ name: '滨江花园新房群' }]);
    expect(r.data.viewer.customer.referralRequests.edges.map((e: any) => e.node)).toEqual([
      { purpose: '上门测量窗帘尺寸并报价', requestedFields: ['NAME', 'PHONE', 'ADDRESS'], requester: { name: '雅居窗帘' }, requesterNotice: { version: 1 } },
    ]);
  });

  it('shows the demo customer a shop that imported her number, unconfirmed, whose proposal waits for her', async () => {
    const customer = (await p.gql(`mutation { signIn(input: { login: "13800000001", password: "demo-pass-2026" }) { accessToken } }`)).data.signIn.accessToken;
    const held = await p.gql(`{ viewer { customer { heldRecords { id merchant { name } source confirmed } } } }`, {}, customer);
    expect(held.data.viewer.customer.heldRecords.map((h: any) => [h.merchant.name, h.source, h.confirmed])).toEqual([
      ['舒适沙发馆', 'IN_STORE', true],
      ['明亮灯饰', 'IMPORT', false],
    ]);
    const lightRecord = held.data.viewer.customer.heldRecords[1].id;
    await p.gql(`mutation($id: ID!) { confirmHeldRecord(id: $id) { confirmed } }`, { id: lightRecord }, customer);
    const r = await p.gql(`{ viewer { customer { referralRequests(first: 5, status: PENDING) { edges { node { purpose } } } } } }`, {}, customer);
    expect(r.data.viewer.customer.referralRequests.edges.map((e: any) => e.node.purpose).sort()).toEqual(['上门测量窗帘尺寸并报价', '灯具与窗帘的搭配建议']);
  });
});

// The lists the web app starts from: a merchant's memberships, communities and campaigns, and the
// communities a customer could join. Each shows only what the viewer may see.
import { beforeAll, describe, expect, it } from 'vitest';
import { signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, ok, type Cast } from '../story.js';

const p = await createTestPlatform();
let cast: Cast;
let secondCommunity: string;
beforeAll(async () => {
  cast = await createCast(p);
  const d = await ok(p, `mutation($a: ID!) { createCommunity(input: { allianceId: $a, name: "第二个群", description: "", rules: "" }) { id } }`, { a: cast.allianceId }, cast.sofa.accessToken);
  secondCommunity = d.createCommunity.id;
}, 60_000);

describe('a merchant\'s own lists', () => {
  it('memberships, joined communities and campaigns', async () => {
    const now = Date.now();
    await ok(
      p,
      `mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { id } }`,
      {
        i: {
          allianceId: cast.allianceId, title: '联合促销', description: '', startsAt: new Date(now).toISOString(), endsAt: new Date(now + 86_400_000 * 10).toISOString(),
          budget: 1000, expectedResponses: 5, communityIds: [cast.communityId],
        },
      },
      cast.sofa.accessToken,
    );
    const d = await ok(p, `{ viewer { merchant { allianceMemberships { role status alliance { name } } joinedCommunities { name } campaigns { title } } } }`, {}, cast.sofa.accessToken);
    expect(d.viewer.merchant.allianceMemberships).toEqual([{ role: 'OWNER', status: 'APPROVED', alliance: { name: '鹿城家居联盟' } }]);
    expect(d.viewer.merchant.joinedCommunities).toEqual([{ name: '新房装修群' }]);
    expect(d.viewer.merchant.campaigns).toEqual([{ title: '联合促销' }]);
  });

  it('another merchant cannot read them', async () => {
    const r = await p.gql(`query($m: ID!) { node(id: $m) { ... on Merchant { campaigns { title } } } }`, { m: cast.sofa.merchantId }, cast.light.accessToken);
    expect(codeOf(r)).toBe('FORBIDDEN');
  });
});

describe('communities a customer could join', () => {
  it('lists the open communities of their shops\' alliances that they have not joined', async () => {
    const d = await ok(p, `{ viewer { customer { joinableCommunities { id name } communities { name } } } }`, {}, cast.customerToken);
    expect(d.viewer.customer.joinableCommunities).toEqual([{ id: secondCommunity, name: '第二个群' }]);
    expect(d.viewer.customer.communities).toEqual([{ name: '新房装修群' }]);
  });

  it('a customer of a shop outside any alliance has none', async () => {
    const lone = await signUpMerchant(p, { merchantName: '独立小店', category: 'tiles', city: '杭州' });
    const c = await addCustomer(p, lone);
    const token = await claim(p, c.inviteCode);
    const d = await ok(p, `{ viewer { customer { joinableCommunities { name } } } }`, {}, token);
    expect(d.viewer.customer.joinableCommunities).toEqual([]);
  });
});

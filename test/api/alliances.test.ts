import { describe, expect, it } from 'vitest';
import { addAllianceMember, allianceWithCommunity, applyToAlliance, createAlliance, postOffer, signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();

const ALLIANCE = `query($id: ID!) { alliance(id: $id) {
  name viewerRole
  members { totalCount edges { node { role status merchant { id } } } }
}}`;
const PENDING = `query($id: ID!) { alliance(id: $id) { pendingApplications { totalCount edges { node { status message merchant { id } } } } } }`;
const DECIDE = `mutation($a: ID!, $m: ID!, $approve: Boolean!) { decideMembership(allianceId: $a, merchantId: $m, approve: $approve, reason: "资料齐全") { role status joinedAt } }`;
const SET_ROLE = `mutation($a: ID!, $m: ID!, $role: AllianceRole!) { setAllianceRole(allianceId: $a, merchantId: $m, role: $role) { role } }`;
const SUSPEND = `mutation($a: ID!, $m: ID!, $s: Boolean!) { suspendMerchant(allianceId: $a, merchantId: $m, suspend: $s, reason: "多次发布无关广告") { status } }`;
const LOG = `query($id: ID!) { alliance(id: $id) { moderationLog { edges { node { kind actor reason merchant { id } } } } } }`;
const FEED = `query($c: ID!) { community(id: $c) { offers { edges { node { id } } } } }`;

const feedIds = async (token: string, communityId: string) => {
  const r = await p.gql(FEED, { c: communityId }, token);
  expect(r.errors).toBeUndefined();
  return r.data.community.offers.edges.map((e: { node: { id: string } }) => e.node.id);
};

describe('creating an alliance', () => {
  it("makes the creator's merchant its approved OWNER and an ALLIANCE_ADMIN", async () => {
    const owner = await signUpMerchant(p);
    const allianceId = await createAlliance(p, owner, { name: '鹿城家居联盟' });
    const r = await p.gql(ALLIANCE, { id: allianceId }, owner.accessToken);
    expect(r.data.alliance).toMatchObject({ name: '鹿城家居联盟', viewerRole: 'OWNER', members: { totalCount: 1 } });
    expect(r.data.alliance.members.edges[0].node).toEqual({ role: 'OWNER', status: 'APPROVED', merchant: { id: owner.merchantId } });
    const v = await p.gql(`{ viewer { roles adminOf { id name } } }`, {}, owner.accessToken);
    expect(v.data.viewer.roles).toEqual(['MERCHANT_OWNER', 'ALLIANCE_ADMIN']);
    expect(v.data.viewer.adminOf).toEqual([{ id: allianceId, name: '鹿城家居联盟' }]);
  });

  it('is listed in the public directory, searchable by name or city', async () => {
    const owner = await signUpMerchant(p);
    await createAlliance(p, owner, { name: '瓯海装修互助会', city: '瓯海' });
    const byCity = await p.gql(`{ alliances(search: "瓯海") { edges { node { name city viewerRole } } } }`);
    expect(byCity.errors).toBeUndefined();
    expect(byCity.data.alliances.edges.map((e: any) => e.node.name)).toEqual(['瓯海装修互助会']);
    const wildcard = await p.gql(`{ alliances(search: "%") { edges { node { name } } } }`);
    expect(wildcard.data.alliances.edges).toEqual([]);
  });

  it('an anonymous visitor sees the alliance but not its members', async () => {
    const owner = await signUpMerchant(p);
    const allianceId = await createAlliance(p, owner);
    const r = await p.gql(ALLIANCE, { id: allianceId });
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
    expect(r.body.errors[0].path).toEqual(['alliance', 'members']);
  });
});

describe('the membership workflow', () => {
  it('an application is PENDING, seen by the applicant and admins, and approval makes a member', async () => {
    const owner = await signUpMerchant(p);
    const applicant = await signUpMerchant(p, { category: 'curtains' });
    const allianceId = await createAlliance(p, owner);
    await applyToAlliance(p, applicant, allianceId);

    const pending = await p.gql(PENDING, { id: allianceId }, owner.accessToken);
    expect(pending.data.alliance.pendingApplications).toMatchObject({ totalCount: 1, edges: [{ node: { status: 'PENDING', message: '想加入', merchant: { id: applicant.merchantId } } }] });
    // Not yet a member: the member list is closed to the applicant, and so are the applications.
    expect(codeOf(await p.gql(ALLIANCE, { id: allianceId }, applicant.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(PENDING, { id: allianceId }, applicant.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(`mutation($a: ID!) { applyToAlliance(allianceId: $a) { status } }`, { a: allianceId }, applicant.accessToken))).toBe('CONFLICT');

    const approved = await p.gql(DECIDE, { a: allianceId, m: applicant.merchantId, approve: true }, owner.accessToken);
    expect(approved.data.decideMembership).toMatchObject({ role: 'MEMBER', status: 'APPROVED' });
    expect(approved.data.decideMembership.joinedAt).toBeTruthy();
    const seen = await p.gql(ALLIANCE, { id: allianceId }, applicant.accessToken);
    expect(seen.data.alliance).toMatchObject({ viewerRole: 'MEMBER', members: { totalCount: 2 } });
    expect(codeOf(await p.gql(DECIDE, { a: allianceId, m: applicant.merchantId, approve: false }, owner.accessToken))).toBe('CONFLICT');
  });

  it('a rejected merchant stays outside, may apply again, and both decisions are logged with the actor', async () => {
    const owner = await signUpMerchant(p, { displayName: '王店长' });
    const applicant = await signUpMerchant(p);
    const allianceId = await createAlliance(p, owner);
    await applyToAlliance(p, applicant, allianceId);
    const rejected = await p.gql(DECIDE, { a: allianceId, m: applicant.merchantId, approve: false }, owner.accessToken);
    expect(rejected.data.decideMembership.status).toBe('REJECTED');
    expect(codeOf(await p.gql(ALLIANCE, { id: allianceId }, applicant.accessToken))).toBe('FORBIDDEN');
    await addAllianceMember(p, owner, allianceId, applicant);

    const log = await p.gql(LOG, { id: allianceId }, owner.accessToken);
    expect(log.data.alliance.moderationLog.edges.map((e: any) => e.node)).toEqual([
      { kind: 'APPROVE_MEMBER', actor: '王店长', reason: '欢迎', merchant: { id: applicant.merchantId } },
      { kind: 'REJECT_MEMBER', actor: '王店长', reason: '资料齐全', merchant: { id: applicant.merchantId } },
    ]);
  });

  it('only admins decide applications', async () => {
    const owner = await signUpMerchant(p);
    const member = await signUpMerchant(p);
    const applicant = await signUpMerchant(p);
    const allianceId = await createAlliance(p, owner);
    await addAllianceMember(p, owner, allianceId, member);
    await applyToAlliance(p, applicant, allianceId);
    expect(codeOf(await p.gql(DECIDE, { a: allianceId, m: applicant.merchantId, approve: true }, member.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(DECIDE, { a: allianceId, m: applicant.merchantId, approve: true }, applicant.accessToken))).toBe('FORBIDDEN');
  });

  it('a merchant may belong to several alliances', async () => {
    const a = await signUpMerchant(p);
    const b = await signUpMerchant(p);
    const joiner = await signUpMerchant(p);
    const first = await createAlliance(p, a);
    const second = await createAlliance(p, b);
    await addAllianceMember(p, a, first, joiner);
    await addAllianceMember(p, b, second, joiner);
    for (const id of [first, second]) {
      expect((await p.gql(ALLIANCE, { id }, joiner.accessToken)).data.alliance.viewerRole).toBe('MEMBER');
    }
  });
});

describe('roles', () => {
  it('only the OWNER sets roles; a new ADMIN may then decide applications', async () => {
    const owner = await signUpMerchant(p);
    const deputy = await signUpMerchant(p);
    const other = await signUpMerchant(p);
    const allianceId = await createAlliance(p, owner);
    await addAllianceMember(p, owner, allianceId, deputy);
    await addAllianceMember(p, owner, allianceId, other);

    expect((await p.gql(SET_ROLE, { a: allianceId, m: deputy.merchantId, role: 'ADMIN' }, owner.accessToken)).data.setAllianceRole.role).toBe('ADMIN');
    // An admin is not the owner: it cannot hand out roles.
    expect(codeOf(await p.gql(SET_ROLE, { a: allianceId, m: other.merchantId, role: 'ADMIN' }, deputy.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(SET_ROLE, { a: allianceId, m: deputy.merchantId, role: 'OWNER' }, other.accessToken))).toBe('FORBIDDEN');

    const applicant = await signUpMerchant(p);
    await addAllianceMember(p, deputy, allianceId, applicant);
    const v = await p.gql(`{ viewer { roles adminOf { id } } }`, {}, deputy.accessToken);
    expect(v.data.viewer).toEqual({ roles: ['MERCHANT_OWNER', 'ALLIANCE_ADMIN'], adminOf: [{ id: allianceId }] });
  });

  it('making another member OWNER hands ownership over', async () => {
    const owner = await signUpMerchant(p);
    const heir = await signUpMerchant(p);
    const allianceId = await createAlliance(p, owner);
    await addAllianceMember(p, owner, allianceId, heir);
    await p.gql(SET_ROLE, { a: allianceId, m: heir.merchantId, role: 'OWNER' }, owner.accessToken);
    expect((await p.gql(ALLIANCE, { id: allianceId }, owner.accessToken)).data.alliance.viewerRole).toBe('ADMIN');
    expect((await p.gql(ALLIANCE, { id: allianceId }, heir.accessToken)).data.alliance.viewerRole).toBe('OWNER');
  });
});

describe('suspension', () => {
  it("a suspended merchant cannot post and its offers leave the alliance's feeds until reinstated", async () => {
    const owner = await signUpMerchant(p, { displayName: '王店长' });
    const spammer = await signUpMerchant(p);
    const { allianceId, communityId } = await allianceWithCommunity(p, owner, [spammer]);
    const offerId = await postOffer(p, spammer, [communityId]);
    expect(await feedIds(owner.accessToken, communityId)).toEqual([offerId]);

    const suspended = await p.gql(SUSPEND, { a: allianceId, m: spammer.merchantId, s: true }, owner.accessToken);
    expect(suspended.data.suspendMerchant.status).toBe('SUSPENDED');
    expect(await feedIds(owner.accessToken, communityId)).toEqual([]);
    const post = await p.gql(`mutation($input: PostOfferInput!) { postOffer(input: $input) { id } }`, {
      input: { title: '再发一条', body: '', category: 'sofa', startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString(), communityIds: [communityId] },
    }, spammer.accessToken);
    expect(codeOf(post)).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(SUSPEND, { a: allianceId, m: spammer.merchantId, s: true }, owner.accessToken))).toBe('CONFLICT');

    await p.gql(SUSPEND, { a: allianceId, m: spammer.merchantId, s: false }, owner.accessToken);
    expect(await feedIds(owner.accessToken, communityId)).toEqual([offerId]);
    const log = await p.gql(LOG, { id: allianceId }, owner.accessToken);
    expect(log.data.alliance.moderationLog.edges.slice(0, 2).map((e: any) => e.node.kind)).toEqual(['REINSTATE_MERCHANT', 'SUSPEND_MERCHANT']);
  });

  it('members cannot suspend, and nobody suspends the owner', async () => {
    const owner = await signUpMerchant(p);
    const admin = await signUpMerchant(p);
    const member = await signUpMerchant(p);
    const allianceId = await createAlliance(p, owner);
    await addAllianceMember(p, owner, allianceId, admin);
    await addAllianceMember(p, owner, allianceId, member);
    await p.gql(SET_ROLE, { a: allianceId, m: admin.merchantId, role: 'ADMIN' }, owner.accessToken);
    expect(codeOf(await p.gql(SUSPEND, { a: allianceId, m: admin.merchantId, s: true }, member.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(SUSPEND, { a: allianceId, m: owner.merchantId, s: true }, admin.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await p.gql(LOG, { id: allianceId }, member.accessToken))).toBe('FORBIDDEN');
  });
});

describe('IDs', () => {
  it('an ID of another type or an unknown ID reads as null or NOT_FOUND', async () => {
    const owner = await signUpMerchant(p);
    const r = await p.gql(`query($id: ID!) { alliance(id: $id) { id } }`, { id: owner.merchantId }, owner.accessToken);
    expect(r.errors).toBeUndefined();
    expect(r.data.alliance).toBeNull();
    const apply = await p.gql(`mutation($a: ID!) { applyToAlliance(allianceId: $a) { status } }`, { a: owner.merchantId }, owner.accessToken);
    expect(codeOf(apply)).toBe('NOT_FOUND');
    const garbage = await p.gql(`mutation($a: ID!) { applyToAlliance(allianceId: $a) { status } }`, { a: 'not-an-id' }, owner.accessToken);
    expect(codeOf(garbage)).toBe('NOT_FOUND');
  });
});

import { describe, expect, it } from 'vitest';
import { addAllianceMember, allianceWithCommunity, postOffer, signUpMerchant } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';

const p = await createTestPlatform();

const REPORT = `mutation($o: ID!, $reason: String!) { reportOffer(offerId: $o, reason: $reason) { id status reason offer { id } } }`;
const QUEUE = `query($a: ID!) { alliance(id: $a) { moderationQueue { edges { node { id reason status offer { id title } } } } } }`;
const MODERATE = `mutation($o: ID!, $hide: Boolean!, $reason: String!) { moderateOffer(offerId: $o, hide: $hide, reason: $reason) { status } }`;
const DISMISS = `mutation($r: ID!) { dismissReport(reportId: $r, reason: "正常优惠信息") { status } }`;
const LOG = `query($a: ID!) { alliance(id: $a) { moderationLog { edges { node { kind actor reason offer { id } } } } } }`;
const FEED = `query($c: ID!) { community(id: $c) { offers { edges { node { id } } } } }`;

async function scene() {
  const admin = await signUpMerchant(p, { displayName: '王店长' });
  const poster = await signUpMerchant(p);
  const reader = await signUpMerchant(p);
  const { allianceId, communityId } = await allianceWithCommunity(p, admin, [poster, reader]);
  const offerId = await postOffer(p, poster, [communityId], { title: '加微信领红包' });
  return { admin, poster, reader, allianceId, communityId, offerId };
}

const feedIds = async (token: string, communityId: string) =>
  (await p.gql(FEED, { c: communityId }, token)).data.community.offers.edges.map((e: any) => e.node.id);

describe('reports', () => {
  it('anyone who can see an offer reports it once; admins see it in the queue', async () => {
    const { admin, reader, allianceId, offerId } = await scene();
    const r = await p.gql(REPORT, { o: offerId, reason: '疑似引流广告' }, reader.accessToken);
    expect(r.data.reportOffer).toMatchObject({ status: 'OPEN', reason: '疑似引流广告', offer: { id: offerId } });
    expect(codeOf(await p.gql(REPORT, { o: offerId, reason: '再举报一次' }, reader.accessToken))).toBe('CONFLICT');

    const queue = await p.gql(QUEUE, { a: allianceId }, admin.accessToken);
    expect(queue.data.alliance.moderationQueue.edges.map((e: any) => e.node)).toEqual([
      { id: r.data.reportOffer.id, reason: '疑似引流广告', status: 'OPEN', offer: { id: offerId, title: '加微信领红包' } },
    ]);
    expect(codeOf(await p.gql(QUEUE, { a: allianceId }, reader.accessToken))).toBe('FORBIDDEN');
  });

  it('a merchant that cannot see the offer cannot report it', async () => {
    const { offerId } = await scene();
    const outsider = await signUpMerchant(p);
    expect(codeOf(await p.gql(REPORT, { o: offerId, reason: '看不到也举报' }, outsider.accessToken))).toBe('NOT_FOUND');
    expect(codeOf(await p.gql(REPORT, { o: offerId, reason: '匿名' }))).toBe('UNAUTHENTICATED');
  });

  it('an admin dismisses a report: it leaves the queue and the log says who and why', async () => {
    const { admin, reader, allianceId, offerId } = await scene();
    const report = (await p.gql(REPORT, { o: offerId, reason: '不喜欢' }, reader.accessToken)).data.reportOffer;
    expect(codeOf(await p.gql(DISMISS, { r: report.id }, reader.accessToken))).toBe('FORBIDDEN');
    expect((await p.gql(DISMISS, { r: report.id }, admin.accessToken)).data.dismissReport.status).toBe('DISMISSED');
    expect((await p.gql(QUEUE, { a: allianceId }, admin.accessToken)).data.alliance.moderationQueue.edges).toEqual([]);
    const log = await p.gql(LOG, { a: allianceId }, admin.accessToken);
    expect(log.data.alliance.moderationLog.edges[0].node).toEqual({ kind: 'DISMISS_REPORT', actor: '王店长', reason: '正常优惠信息', offer: { id: offerId } });
    // Dismissed, it may be reported again.
    expect((await p.gql(REPORT, { o: offerId, reason: '又出现了' }, reader.accessToken)).errors).toBeUndefined();
  });
});

describe('hiding offers', () => {
  it('a hidden offer leaves every feed and comes back on restore; both are logged', async () => {
    const { admin, poster, reader, allianceId, communityId, offerId } = await scene();
    await p.gql(REPORT, { o: offerId, reason: '引流' }, reader.accessToken);
    const hidden = await p.gql(MODERATE, { o: offerId, hide: true, reason: '站外引流' }, admin.accessToken);
    expect(hidden.data.moderateOffer.status).toBe('HIDDEN');
    expect(await feedIds(reader.accessToken, communityId)).toEqual([]);
    expect((await p.gql(`query($o: ID!) { offer(id: $o) { id } }`, { o: offerId }, reader.accessToken)).data.offer).toBeNull();
    // The merchant still sees its own offer, marked HIDDEN; the report was resolved.
    expect((await p.gql(`query($o: ID!) { offer(id: $o) { status } }`, { o: offerId }, poster.accessToken)).data.offer.status).toBe('HIDDEN');
    expect((await p.gql(QUEUE, { a: allianceId }, admin.accessToken)).data.alliance.moderationQueue.edges).toEqual([]);

    expect((await p.gql(MODERATE, { o: offerId, hide: false, reason: '已整改' }, admin.accessToken)).data.moderateOffer.status).toBe('PUBLISHED');
    expect(await feedIds(reader.accessToken, communityId)).toEqual([offerId]);
    const log = await p.gql(LOG, { a: allianceId }, admin.accessToken);
    expect(log.data.alliance.moderationLog.edges.slice(0, 2).map((e: any) => e.node)).toEqual([
      { kind: 'RESTORE_OFFER', actor: '王店长', reason: '已整改', offer: { id: offerId } },
      { kind: 'HIDE_OFFER', actor: '王店长', reason: '站外引流', offer: { id: offerId } },
    ]);
  });

  it('only admins of an alliance carrying the offer may hide it', async () => {
    const { poster, reader, offerId } = await scene();
    expect(codeOf(await p.gql(MODERATE, { o: offerId, hide: true, reason: '我是成员' }, reader.accessToken))).toBe('FORBIDDEN');
    const otherAdmin = await signUpMerchant(p);
    const other = await allianceWithCommunity(p, otherAdmin);
    await addAllianceMember(p, otherAdmin, other.allianceId, poster);
    expect(codeOf(await p.gql(MODERATE, { o: offerId, hide: true, reason: '别的联盟' }, otherAdmin.accessToken))).toBe('FORBIDDEN');
  });

  it('a reason is required', async () => {
    const { admin, offerId } = await scene();
    const r = await p.gql(MODERATE, { o: offerId, hide: true, reason: ' ' }, admin.accessToken);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.extensions!.field).toBe('reason');
  });
});

describe('archiving a community', () => {
  it('admins archive with a reason that is logged; nobody posts there any more', async () => {
    const { admin, poster, allianceId, communityId } = await scene();
    const ARCHIVE = `mutation($c: ID!) { archiveCommunity(communityId: $c, reason: "活动结束") { status } }`;
    expect(codeOf(await p.gql(ARCHIVE, { c: communityId }, poster.accessToken))).toBe('FORBIDDEN');
    expect((await p.gql(ARCHIVE, { c: communityId }, admin.accessToken)).data.archiveCommunity.status).toBe('ARCHIVED');
    const post = await p.gql(`mutation($input: PostOfferInput!) { postOffer(input: $input) { id } }`, {
      input: { title: '还想发', body: '', category: 'sofa', startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), communityIds: [communityId] },
    }, poster.accessToken);
    expect(codeOf(post)).toBe('CONFLICT');
    const log = await p.gql(LOG, { a: allianceId }, admin.accessToken);
    expect(log.data.alliance.moderationLog.edges[0].node).toMatchObject({ kind: 'ARCHIVE_COMMUNITY', reason: '活动结束' });
  });
});

// A phone a merchant types in proves nothing: a record is the shop's word until the person
// confirms it. Each attack below is one a shop made with the platform before records could be
// held: reading people's settings through proposals, using up a rival's customer's caps, keeping
// a number past her erasure. Through HTTP, as the shops and the customer would.
import { beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, createCast, nextPhone, ok, type Cast } from '../story.js';

const p = await createTestPlatform({ DISOWNED_RECORDS_ALERT_THRESHOLD: '2', CUSTOMERS_ADDED_PER_DAY: '40' });
let cast: Cast;
beforeAll(async () => {
  cast = await createCast(p);
}, 60_000);

type Shop = Cast['sofa'];
const PROPOSE = `mutation($i: ProposeReferralInput!) { proposeReferral(input: $i) { id status } }`;
const RESPOND = `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`;
const CONSENT = `mutation($i: UpdateConsentInput!) { updateConsent(input: $i) { version } }`;
const HELD = `{ viewer { customer { heldRecords { id merchant { name } fields source createdAt confirmed } } } }`;
const MY_REQUESTS = `{ viewer { customer { referralRequests(first: 50) { edges { node { id status requester { name } } } } } } }`;
const CONFIRM = `mutation($id: ID!) { confirmHeldRecord(id: $id) { id confirmed merchant { name } } }`;
const DISOWN = `mutation($id: ID!) { disownHeldRecord(id: $id) }`;
const ask = { purpose: '介绍窗帘搭配方案', fields: ['PHONE'], retentionDays: 30 };

const propose = (from: Shop, customerId: string, to: Shop) => p.gql(PROPOSE, { i: { customerId, toMerchantId: to.merchantId, ...ask } }, from.accessToken);

/** A customer of `shop` who claimed her record with the SMS code: a confirmed record. */
async function customerOf(shop: Shop, name = '周女士') {
  const c = await addCustomer(p, shop, { name });
  return { ...c, token: await claim(p, c.inviteCode) };
}

/** `shop` types a phone in as its own customer: an unconfirmed record. */
const typedIn = (shop: Shop, phone: string, name = '不知名') => addCustomer(p, shop, { name, phone });

const heldRecordsOf = async (token: string) => (await ok(p, HELD, {}, token)).viewer.customer.heldRecords as { id: string; merchant: { name: string }; fields: string[]; source: string; confirmed: boolean }[];
const requestsOf = async (token: string) =>
  (await ok(p, MY_REQUESTS, {}, token)).viewer.customer.referralRequests.edges.map((e: { node: { id: string; status: string; requester: { name: string } } }) => e.node);
const recordAt = async (token: string, shopName: string) => (await heldRecordsOf(token)).find((h) => h.merchant.name === shopName)!;

describe('a shop typing phones in learns nothing about the people behind them', () => {
  it('answers a proposal on a typed-in phone the same whatever the person set, and whether or not she is on the platform', async () => {
    const referralsOff = await customerOf(cast.sofa, '关闭推荐的顾客');
    await ok(p, CONSENT, { i: { allowReferrals: false } }, referralsOff.token);
    const blocksCurtain = await customerOf(cast.sofa, '屏蔽窗帘店的顾客');
    await ok(p, CONSENT, { i: { blockMerchantIds: [cast.curtain.merchantId] } }, blocksCurtain.token);
    // Asked twice this week already (her weekly cap), by other shops.
    const askedThisWeek = await customerOf(cast.sofa, '本周已被询问的顾客');
    for (let i = 0; i < 2; i++) {
      const { proposeReferral } = await ok(p, PROPOSE, { i: { customerId: askedThisWeek.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.sofa.accessToken);
      await ok(p, RESPOND, { i: { referralId: proposeReferral.id, accept: false } }, askedThisWeek.token);
    }
    expect(codeOf(await propose(cast.sofa, askedThisWeek.id, cast.light))).toBe('CONSENT_REFUSED');

    const answers = [];
    for (const phone of [referralsOff.phone, blocksCurtain.phone, askedThisWeek.phone, nextPhone()]) {
      const record = await typedIn(cast.light, phone);
      const r = await propose(cast.light, record.id, cast.curtain);
      answers.push({ errors: r.errors, status: r.data?.proposeReferral?.status });
    }
    expect(answers).toEqual(Array(4).fill({ errors: undefined, status: 'PENDING' }));
  });

  it('cannot use up a rival\'s customer\'s caps with requests she can never see', async () => {
    const customer = await customerOf(cast.sofa, '沙发店的老顾客');
    const copy = await typedIn(cast.curtain, customer.phone);
    for (let i = 0; i < 3; i++) expect((await propose(cast.curtain, copy.id, cast.light)).data.proposeReferral.status).toBe('PENDING');

    // The sofa shop's genuine introduction of its own customer still reaches her.
    const genuine = await propose(cast.sofa, customer.id, cast.light);
    expect(genuine.errors).toBeUndefined();
    expect((await requestsOf(customer.token)).map((r: { id: string }) => r.id)).toEqual([genuine.data.proposeReferral.id]);
  });

  it('holds a typed-in record\'s requests out of the person\'s sight until she confirms the record', async () => {
    const customer = await customerOf(cast.sofa, '谨慎的顾客');
    const copy = await typedIn(cast.light, customer.phone);
    const held = await ok(p, PROPOSE, { i: { customerId: copy.id, toMerchantId: cast.curtain.merchantId, ...ask } }, cast.light.accessToken);
    expect(await requestsOf(customer.token)).toEqual([]);
    const byNode = await p.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: held.proposeReferral.id }, customer.token);
    expect(byNode.data?.node ?? null).toBeNull();
    // Nor can she answer it.
    expect(codeOf(await p.gql(RESPOND, { i: { referralId: held.proposeReferral.id, accept: true } }, customer.token))).toBe('NOT_FOUND');
  });
});

describe('shops that hold my number', () => {
  it('lists every record with her verified phone, confirmed or not, without the values', async () => {
    const customer = await customerOf(cast.sofa, '赵雅琴');
    await typedIn(cast.light, customer.phone, '灯饰店记的名字');
    const held = await heldRecordsOf(customer.token);
    expect(held.map((h) => [h.merchant.name, h.confirmed]).sort()).toEqual([
      ['明亮灯饰', false],
      ['舒适沙发馆', true],
    ]);
    expect(held.find((h) => !h.confirmed)).toMatchObject({ fields: ['NAME', 'PHONE', 'ADDRESS', 'WECHAT'], source: 'IN_STORE' });
    expect(JSON.stringify(held)).not.toContain('灯饰店记的名字');
    // Another customer sees none of them, and can neither confirm nor disown them.
    const other = await customerOf(cast.curtain, '别人');
    expect((await heldRecordsOf(other.token)).map((h) => h.merchant.name)).toEqual(['雅居窗帘']);
    const lightRecord = held.find((h) => !h.confirmed)!;
    expect(codeOf(await p.gql(CONFIRM, { id: lightRecord.id }, other.token))).toBe('NOT_FOUND');
    expect(codeOf(await p.gql(DISOWN, { id: lightRecord.id }, other.token))).toBe('NOT_FOUND');
    // A merchant cannot ask at all.
    expect(codeOf(await p.gql(CONFIRM, { id: lightRecord.id }, cast.light.accessToken))).toBe('FORBIDDEN');
  });

  it('confirming a record delivers what was held on it, under her rules', async () => {
    const customer = await customerOf(cast.sofa, '钱女士');
    await ok(p, CONSENT, { i: { blockMerchantIds: [cast.light.merchantId] } }, customer.token);
    const copy = await typedIn(cast.curtain, customer.phone);
    const toSofa = await ok(p, PROPOSE, { i: { customerId: copy.id, toMerchantId: cast.sofa.merchantId, ...ask } }, cast.curtain.accessToken);
    const toLight = await ok(p, PROPOSE, { i: { customerId: copy.id, toMerchantId: cast.light.merchantId, ...ask } }, cast.curtain.accessToken);
    const fields = `{ customer(id: "${copy.id}") { confirmed } }`;
    expect((await ok(p, fields, {}, cast.curtain.accessToken)).customer.confirmed).toBe(false);

    const confirmed = await ok(p, CONFIRM, { id: (await recordAt(customer.token, '雅居窗帘')).id }, customer.token);
    expect(confirmed.confirmHeldRecord).toMatchObject({ confirmed: true, merchant: { name: '雅居窗帘' } });
    expect((await ok(p, fields, {}, cast.curtain.accessToken)).customer.confirmed).toBe(true);
    // The request to a shop she blocked is declined; the other reaches her and she can answer it.
    expect(await requestsOf(customer.token)).toEqual([{ id: toSofa.proposeReferral.id, status: 'PENDING', requester: { name: '舒适沙发馆' } }]);
    const statusOf = async (id: string) => (await ok(p, `query($id: ID!) { referralRequest(id: $id) { status } }`, { id }, cast.curtain.accessToken)).referralRequest.status;
    expect(await statusOf(toLight.proposeReferral.id)).toBe('DECLINED');
    await ok(p, RESPOND, { i: { referralId: toSofa.proposeReferral.id, accept: true, fields: ['PHONE'] } }, customer.token);
    expect(await statusOf(toSofa.proposeReferral.id)).toBe('ACCEPTED');
    // The step is in her consent history.
    const history = await ok(p, `{ viewer { customer { consentHistory(first: 20) { edges { node { reason } } } } } }`, {}, customer.token);
    expect(history.viewer.customer.consentHistory.edges.map((e: { node: { reason: string } }) => e.node.reason)).toContain('confirmed being a customer of 雅居窗帘');
  });

  it('erasing everywhere reaches the shops that typed her number in', async () => {
    const customer = await customerOf(cast.sofa, '孙女士');
    const copy = await typedIn(cast.light, customer.phone, '孙女士');
    const READ = `query($id: ID!) { customer(id: $id) { name phone erased } }`;
    expect((await ok(p, READ, { id: copy.id }, cast.light.accessToken)).customer.phone).toBe(customer.phone);

    await ok(p, `mutation { eraseMyData { id } }`, {}, customer.token);
    expect((await ok(p, READ, { id: copy.id }, cast.light.accessToken)).customer).toEqual({ name: null, phone: null, erased: true });
    const search = await ok(p, `query($m: ID!, $s: String) { node(id: $m) { ... on Merchant { customers(first: 5, search: $s) { totalCount } } } }`, { m: cast.light.merchantId, s: customer.phone }, cast.light.accessToken);
    expect(search.node.customers.totalCount).toBe(0);
  });

  it('erasing at one shop covers the record it typed in, and leaves the others', async () => {
    const customer = await customerOf(cast.sofa, '李女士');
    await typedIn(cast.light, customer.phone);
    await ok(p, `mutation($m: ID) { eraseMyData(merchantId: $m) { id } }`, { m: cast.light.merchantId }, customer.token);
    expect((await heldRecordsOf(customer.token)).map((h) => h.merchant.name)).toEqual(['舒适沙发馆']);
  });

  it('the data export names every shop holding her number', async () => {
    const customer = await customerOf(cast.sofa, '吴女士');
    await typedIn(cast.curtain, customer.phone);
    const exported = JSON.parse((await ok(p, `mutation { exportMyData }`, {}, customer.token)).exportMyData);
    expect(exported.shopsHoldingMyNumber.map((h: { merchant: string; confirmed: boolean }) => [h.merchant, h.confirmed]).sort()).toEqual([
      ['舒适沙发馆', true],
      ['雅居窗帘', false],
    ]);
  });
});

describe('disowning a record', () => {
  it('erases it, declines what was held on it, and past the threshold pauses the shop\'s new records', async () => {
    const harvester = await (await import('../factories.js')).signUpMerchant(p, { merchantName: '来路不明装修', category: 'renovation' });
    const victims = [await customerOf(cast.sofa, '受害人一'), await customerOf(cast.sofa, '受害人二')];
    const first = await typedIn(harvester, victims[0]!.phone);
    const READ = `query($id: ID!) { customer(id: $id) { phone erased confirmed } }`;

    await ok(p, DISOWN, { id: (await recordAt(victims[0]!.token, '来路不明装修')).id }, victims[0]!.token);
    expect((await ok(p, READ, { id: first.id }, harvester.accessToken)).customer).toEqual({ phone: null, erased: true, confirmed: false });
    expect((await heldRecordsOf(victims[0]!.token)).map((h) => h.merchant.name)).toEqual(['舒适沙发馆']);
    // One disowned record is under the threshold: the shop still adds customers.
    await typedIn(harvester, victims[1]!.phone);
    await ok(p, DISOWN, { id: (await recordAt(victims[1]!.token, '来路不明装修')).id }, victims[1]!.token);
    const paused = await p.gql(`mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id } }`, { i: { name: '新客户', phone: nextPhone(), consentSource: 'IN_STORE', consentGiven: true } }, harvester.accessToken);
    expect(codeOf(paused)).toBe('FORBIDDEN');
  });

  it('is refused on a record she confirmed (she erases it instead)', async () => {
    const customer = await customerOf(cast.sofa, '郑女士');
    expect(codeOf(await p.gql(DISOWN, { id: (await recordAt(customer.token, '舒适沙发馆')).id }, customer.token))).toBe('CONFLICT');
  });
});

describe('adding customers', () => {
  const ADD = `mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id consentSource confirmed } }`;
  const input = (over: Record<string, unknown> = {}) => ({ name: '导入客户', phone: nextPhone(), consentSource: 'IMPORT', consentGiven: true, ...over });

  it('an import must say where and when consent was collected', async () => {
    const noWhen = await p.gql(ADD, { i: input({ consentCollectedWhere: '2026 秋季家装展' }) }, cast.light.accessToken);
    expect(noWhen.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'consentCollectedAt' });
    const noWhere = await p.gql(ADD, { i: input({ consentCollectedAt: '2026-10-01T02:00:00Z' }) }, cast.light.accessToken);
    expect(noWhere.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'consentCollectedWhere' });
    const future = await p.gql(ADD, { i: input({ consentCollectedAt: '2099-01-01T00:00:00Z', consentCollectedWhere: '展会' }) }, cast.light.accessToken);
    expect(codeOf(future)).toBe('BAD_USER_INPUT');
    const done = await ok(p, ADD, { i: input({ consentCollectedAt: '2026-10-01T02:00:00Z', consentCollectedWhere: '2026 秋季家装展' }) }, cast.light.accessToken);
    expect(done.addCustomer).toMatchObject({ consentSource: 'IMPORT', confirmed: false });
  });

  it('is limited per shop per day', async () => {
    const shop = await (await import('../factories.js')).signUpMerchant(p, { merchantName: '批量录入的店', category: 'tiles' });
    for (let i = 0; i < 40; i++) await ok(p, ADD, { i: input({ consentSource: 'IN_STORE' }) }, shop.accessToken);
    const over = await p.gql(ADD, { i: input({ consentSource: 'IN_STORE' }) }, shop.accessToken);
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(over.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(86_000);
  });
});

// Anti-harvesting alerts, through the API: a staff member who reveals many customers' phones in a
// short time is reported to the shop's owner (and to no one else), and a shop whose records people
// disown is reported to its alliances' admins and paused until another admin clears it.
import { describe, expect, it } from 'vitest';
import { addAllianceMember, addStaff, allianceWithCommunity, createAlliance, signUpMerchant, type MerchantSession } from '../factories.js';
import { codeOf, createTestPlatform } from '../fixtures.js';
import { addCustomer, claim, ok } from '../story.js';

// Small thresholds, so a story of a few customers crosses them.
const p = await createTestPlatform({
  STAFF_CONTACT_READS_ALERT_COUNT: '3',
  STAFF_CONTACT_READS_ALERT_MINUTES: '60',
  DISOWNED_RECORDS_ALERT_THRESHOLD: '2',
});

// The sofa shop founded the alliance (so it is an admin); the light shop was made an admin too;
// the curtain shop is a plain member; the tile shop runs an alliance of its own.
const sofa = await signUpMerchant(p, { merchantName: '舒适沙发馆', category: 'sofa' });
const light = await signUpMerchant(p, { merchantName: '明亮灯饰', category: 'lighting' });
const curtain = await signUpMerchant(p, { merchantName: '雅居窗帘', category: 'curtains' });
const tiles = await signUpMerchant(p, { merchantName: '瓯江瓷砖', category: 'tiles' });
const { allianceId } = await allianceWithCommunity(p, sofa, [light, curtain]);
await ok(p, `mutation($a: ID!, $m: ID!) { setAllianceRole(allianceId: $a, merchantId: $m, role: ADMIN) { role } }`, { a: allianceId, m: light.merchantId }, sofa.accessToken);
const tilesAllianceId = await createAlliance(p, tiles);
await addAllianceMember(p, tiles, tilesAllianceId, curtain);

const ALERT = 'id kind merchant { id } staffName count windowStart createdAt updatedAt cleared clearedAt clearedReason';

const merchantAlerts = (shop: MerchantSession, token: string, includeCleared = false) =>
  p.gql(`query($m: ID!, $all: Boolean) { node(id: $m) { ... on Merchant { alerts(includeCleared: $all) { ${ALERT} } } } }`, { m: shop.merchantId, all: includeCleared }, token);
const allianceAlerts = (alliance: string, token: string, includeCleared = false) =>
  p.gql(`query($a: ID!, $all: Boolean) { alliance(id: $a) { harvestingAlerts(includeCleared: $all) { ${ALERT} } } }`, { a: alliance, all: includeCleared }, token);
const alertById = (id: string, token: string) => p.gql(`query($id: ID!) { node(id: $id) { ... on MerchantAlert { ${ALERT} } } }`, { id }, token);
const recordsPaused = (shop: MerchantSession, token: string) =>
  p.gql(`query($m: ID!) { node(id: $m) { ... on Merchant { recordsPaused } } }`, { m: shop.merchantId }, token);
const clearAlert = (id: string, reason: string, token: string) =>
  p.gql(`mutation($id: ID!, $r: String!) { clearMerchantAlert(id: $id, reason: $r) { ${ALERT} } }`, { id, r: reason }, token);
const readPhone = async (customerId: string, token: string) => (await ok(p, `query($id: ID!) { customer(id: $id) { phone } }`, { id: customerId }, token)).customer.phone as string;

describe('a staff member revealing many customers\' phones', async () => {
  const staff = await addStaff(p, sofa, true);
  const staffWithoutContacts = await addStaff(p, sofa, false);
  const customers: { id: string; phone: string }[] = [];
  for (let i = 0; i < 6; i++) customers.push(await addCustomer(p, sofa));
  const staffAlerts = async () => ((await merchantAlerts(sofa, sofa.accessToken, true)).data.node.alerts as any[]).filter((a) => a.kind === 'STAFF_CONTACT_READS');

  it('raises one alert for the owner once the count is reached, and keeps its figure up to date while open', async () => {
    for (const c of customers.slice(0, 2)) expect(await readPhone(c.id, staff.accessToken)).toBe(c.phone);
    // Reading the same customer again is not another customer.
    await readPhone(customers[0]!.id, staff.accessToken);
    expect(await staffAlerts()).toEqual([]);

    await readPhone(customers[2]!.id, staff.accessToken);
    const [raised] = await staffAlerts();
    expect(raised).toMatchObject({ kind: 'STAFF_CONTACT_READS', merchant: { id: sofa.merchantId }, staffName: '店员', count: 3, cleared: false, clearedAt: null });

    await readPhone(customers[3]!.id, staff.accessToken);
    const alerts = await staffAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ id: raised.id, count: 4, cleared: false });
    expect(Date.parse(alerts[0].windowStart)).toBeLessThanOrEqual(Date.parse(alerts[0].createdAt));
    expect(await alertById(raised.id, sofa.accessToken)).toMatchObject({ data: { node: { id: raised.id, count: 4 } } });
  });

  it('the owner sees each account\'s reads in one list, the busiest first', async () => {
    const { node } = await ok(
      p,
      `query($m: ID!) { node(id: $m) { ... on Merchant { staffContactReads { staffName role customersLastHour customersLast24Hours readsLast7Days lastReadAt } } } }`,
      { m: sofa.merchantId },
      sofa.accessToken,
    );
    const rows = node.staffContactReads as any[];
    expect(rows).toHaveLength(3);
    // Four customers, five reads (one of them read twice).
    expect(rows[0]).toMatchObject({ staffName: '店员', role: 'STAFF', customersLastHour: 4, customersLast24Hours: 4, readsLast7Days: 5 });
    expect(Date.now() - Date.parse(rows[0].lastReadAt)).toBeLessThan(60_000);
    expect(rows.slice(1).map((r) => [r.role, r.customersLastHour, r.readsLast7Days, r.lastReadAt]).sort()).toEqual([
      ['OWNER', 0, 0, null],
      ['STAFF', 0, 0, null],
    ]);
  });

  it('is shown to no one but the owner: not the staff, not another shop, not the alliance admins', async () => {
    const [alert] = await staffAlerts();
    for (const token of [staff.accessToken, staffWithoutContacts.accessToken]) {
      expect(codeOf(await merchantAlerts(sofa, token))).toBe('FORBIDDEN');
      expect(codeOf(await p.gql(`query($m: ID!) { node(id: $m) { ... on Merchant { staffContactReads { staffName } } } }`, { m: sofa.merchantId }, token))).toBe('FORBIDDEN');
    }
    for (const token of [staff.accessToken, curtain.accessToken, light.accessToken, tiles.accessToken]) {
      const byId = await alertById(alert.id, token);
      expect(codeOf(byId)).toBe('NOT_FOUND');
      expect(byId.data?.node ?? null).toBeNull();
    }
    // The light shop administers the sofa shop's alliance: staff reads are not its business.
    expect((await allianceAlerts(allianceId, light.accessToken, true)).data.alliance.harvestingAlerts).toEqual([]);
    expect(codeOf(await merchantAlerts(sofa, light.accessToken))).toBe('FORBIDDEN');
  });

  it('is cleared by the owner only (anyone else is told there is no such alert), and reads before clearing do not raise it again', async () => {
    const [alert] = await staffAlerts();
    for (const token of [staff.accessToken, light.accessToken, curtain.accessToken]) expect(codeOf(await clearAlert(alert.id, '我来处理', token))).toBe('NOT_FOUND');

    const cleared = await clearAlert(alert.id, '店员在核对送货地址，已确认', sofa.accessToken);
    expect(cleared.data.clearMerchantAlert).toMatchObject({ id: alert.id, cleared: true, clearedReason: '店员在核对送货地址，已确认' });
    expect(codeOf(await clearAlert(alert.id, '再清一次', sofa.accessToken))).toBe('CONFLICT');
    expect((await merchantAlerts(sofa, sofa.accessToken)).data.node.alerts.filter((a: any) => a.kind === 'STAFF_CONTACT_READS')).toEqual([]);

    await readPhone(customers[4]!.id, staff.accessToken);
    expect((await staffAlerts()).filter((a) => !a.cleared)).toEqual([]);
    // Three more customers since the owner looked: a new alert.
    await readPhone(customers[5]!.id, staff.accessToken);
    await readPhone(customers[0]!.id, staff.accessToken);
    const open = (await staffAlerts()).filter((a) => !a.cleared);
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ count: 3, staffName: '店员' });
  });
});

describe('records people disown', async () => {
  // Two people who are the curtain shop's customers (they proved their phones claiming there);
  // the sofa shop typed their numbers in too.
  const people: { token: string; phone: string }[] = [];
  for (let i = 0; i < 2; i++) {
    const honest = await addCustomer(p, curtain);
    const token = await claim(p, honest.inviteCode);
    await addCustomer(p, sofa, { phone: honest.phone, name: '业主' });
    people.push({ token, phone: honest.phone });
  }
  const disownSofaRecord = async (token: string) => {
    const { viewer } = await ok(p, `{ viewer { customer { heldRecords { id confirmed merchant { id } } } } }`, {}, token);
    const held = (viewer.customer.heldRecords as any[]).find((h) => h.merchant.id === sofa.merchantId);
    expect(held.confirmed).toBe(false);
    await ok(p, `mutation($id: ID!) { disownHeldRecord(id: $id) }`, { id: held.id }, token);
  };
  const disownedAlerts = async (token: string) =>
    ((await merchantAlerts(sofa, token, true)).data.node.alerts as any[]).filter((a) => a.kind === 'DISOWNED_RECORDS');

  it('alert the admins of the shop\'s alliance and pause the shop once enough people disown them', async () => {
    await disownSofaRecord(people[0]!.token);
    expect((await allianceAlerts(allianceId, light.accessToken)).data.alliance.harvestingAlerts).toEqual([]);
    expect((await recordsPaused(sofa, sofa.accessToken)).data.node.recordsPaused).toBe(false);

    await disownSofaRecord(people[1]!.token);
    const [alert] = (await allianceAlerts(allianceId, light.accessToken)).data.alliance.harvestingAlerts;
    expect(alert).toMatchObject({ kind: 'DISOWNED_RECORDS', merchant: { id: sofa.merchantId }, staffName: null, count: 2, cleared: false });
    expect(await alertById(alert.id, light.accessToken)).toMatchObject({ data: { node: { id: alert.id } } });

    // The flagged shop's owner sees it and knows why its new records are refused.
    expect(await disownedAlerts(sofa.accessToken)).toMatchObject([{ id: alert.id, cleared: false }]);
    for (const token of [sofa.accessToken, light.accessToken]) expect((await recordsPaused(sofa, token)).data.node.recordsPaused).toBe(true);
    const newCustomer = { name: '新客户', phone: '+8613900001111', consentSource: 'IN_STORE', consentGiven: true };
    expect(codeOf(await p.gql(`mutation($i: AddCustomerInput!) { addCustomer(input: $i) { id } }`, { i: newCustomer }, sofa.accessToken))).toBe('FORBIDDEN');
  });

  it('is not shown to another alliance\'s admin, a plain member or the shop\'s staff', async () => {
    const [alert] = (await allianceAlerts(allianceId, light.accessToken)).data.alliance.harvestingAlerts;
    const sofaStaff = await addStaff(p, sofa, true);
    for (const token of [tiles.accessToken, curtain.accessToken, sofaStaff.accessToken]) expect(codeOf(await alertById(alert.id, token))).toBe('NOT_FOUND');
    // Admin-only alliance fields answer FORBIDDEN to members; the tile shop's own alliance holds nothing about the sofa shop.
    expect(codeOf(await allianceAlerts(allianceId, curtain.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await allianceAlerts(allianceId, tiles.accessToken))).toBe('FORBIDDEN');
    expect((await allianceAlerts(tilesAllianceId, tiles.accessToken, true)).data.alliance.harvestingAlerts).toEqual([]);
    expect(codeOf(await recordsPaused(sofa, tiles.accessToken))).toBe('FORBIDDEN');
    expect(codeOf(await merchantAlerts(sofa, sofaStaff.accessToken))).toBe('FORBIDDEN');
  });

  it('cannot be cleared by the flagged shop, though it is an admin; another admin clears it and the shop adds customers again', async () => {
    const [alert] = (await allianceAlerts(allianceId, light.accessToken)).data.alliance.harvestingAlerts;
    expect(codeOf(await clearAlert(alert.id, '都是老客户', sofa.accessToken))).toBe('FORBIDDEN');
    for (const token of [tiles.accessToken, curtain.accessToken]) expect(codeOf(await clearAlert(alert.id, '没问题', token))).toBe('NOT_FOUND');
    expect((await recordsPaused(sofa, sofa.accessToken)).data.node.recordsPaused).toBe(true);

    const cleared = await clearAlert(alert.id, '已与店主核实：号码来自旧的送货单，已删除', light.accessToken);
    expect(cleared.data.clearMerchantAlert).toMatchObject({ id: alert.id, cleared: true, clearedReason: '已与店主核实：号码来自旧的送货单，已删除' });
    expect((await recordsPaused(sofa, sofa.accessToken)).data.node.recordsPaused).toBe(false);
    expect((await allianceAlerts(allianceId, light.accessToken)).data.alliance.harvestingAlerts).toEqual([]);
    expect((await allianceAlerts(allianceId, light.accessToken, true)).data.alliance.harvestingAlerts).toMatchObject([{ id: alert.id, cleared: true }]);
    await addCustomer(p, sofa);
  });
});

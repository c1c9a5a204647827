// Demo data for a first local start: only into an empty database.
import { asc, eq } from 'drizzle-orm';
import { hashPassword } from './auth/passwords.js';
import * as codes from '../db/commands/codes.js';
import type { Db } from '../db/client.js';
import * as accounts from '../db/commands/accounts.js';
import type { Actor } from '../db/commands/alliance-guards.js';
import * as alliances from '../db/commands/alliances.js';
import * as campaigns from '../db/commands/campaigns.js';
import * as communities from '../db/commands/communities.js';
import * as customerCommands from '../db/commands/customers.js';
import * as offers from '../db/commands/offers.js';
import { recordPurchase } from '../db/commands/purchases.js';
import * as referrals from '../db/commands/referrals.js';
import { accounts as accountRows, customers, merchantStaff } from '../db/tables/index.js';
import type { Vault } from '../db/vault.js';
import { hashRefreshToken, newRefreshToken } from './auth/tokens.js';

export interface DemoLogin {
  role: string;
  login: string;
  password: string;
}

const DEMO_PASSWORD = 'demo-pass-2026';

export async function seedDemo(db: Db, vault: Vault): Promise<DemoLogin[] | null> {
  const [existing] = await db.select({ id: accountRows.id }).from(accountRows).limit(1);
  if (existing) return null;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // Sign-up opens a session; the demo has no use for its refresh token.
  const token = () => {
    const t = newRefreshToken();
    return { refreshToken: t, refreshTokenHash: hashRefreshToken(t), refreshExpiresAt: new Date(Date.now() + 86_400_000).toISOString() };
  };
  const merchants = [
    { email: 'sofa@demo.cn', displayName: '王店长', merchantName: '舒适沙发馆', category: 'sofa', city: '温州' },
    { email: 'curtain@demo.cn', displayName: '李老板', merchantName: '雅居窗帘', category: 'curtains', city: '温州' },
    { email: 'light@demo.cn', displayName: '陈经理', merchantName: '明亮灯饰', category: 'lighting', city: '温州' },
  ];
  // The demo's addresses are the operator's own: it issues and uses their sign-up codes itself.
  const created = [];
  for (const m of merchants) {
    const { id } = await codes.issueCode(db, vault, codes.signUpCodeTarget(vault, m.email));
    created.push({ ...m, ...(await accounts.signUpMerchant(db, { ...m, passwordHash }, id, token())) });
  }
  const actors: Actor[] = [];
  for (const m of created) {
    const [staff] = await db.select({ merchantId: merchantStaff.merchantId }).from(merchantStaff).where(eq(merchantStaff.accountId, m.accountId));
    await accounts.publishPrivacyNotice(db, staff!.merchantId, `${m.merchantName}只在您同意的范围内使用您的联系方式，用于上门测量和售后服务；您可以随时撤回同意。`);
    actors.push({ accountId: m.accountId, merchantId: staff!.merchantId });
  }
  await accounts.addStaff(db, created[0]!.accountId, { email: 'staff@demo.cn', passwordHash, displayName: '小张（店员）', canViewContacts: false });
  const demo = await seedAlliance(db, actors as [Actor, Actor, Actor]);
  await seedCustomers(db, vault, actors as [Actor, Actor, Actor], demo, passwordHash);
  await seedPurchases(db, vault, actors[0]!);
  return [
    ...created.map((m) => ({ role: `merchant owner (${m.category})`, login: m.email, password: DEMO_PASSWORD })),
    { role: 'staff (no contacts)', login: 'staff@demo.cn', password: DEMO_PASSWORD },
    { role: 'customer (1 pending)', login: DEMO_CUSTOMER_PHONE, password: DEMO_PASSWORD },
  ];
}

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** The sofa shop's alliance with the other two shops, two communities, offers and a published joint campaign. */
async function seedAlliance(db: Db, [sofa, curtain, light]: [Actor, Actor, Actor]) {
  const alliance = await alliances.createAlliance(db, sofa, { name: '鹿城家居联盟', city: '温州', description: '鹿城区的家具、窗帘、灯饰商家：业主同意后才互相介绍，不交换客户名单。' });
  for (const member of [curtain, light]) {
    await alliances.applyToAlliance(db, member.merchantId, alliance.id, '希望加入联盟，一起服务新房业主。');
    await alliances.decideMembership(db, sofa, alliance.id, member.merchantId, true, '本地实体店，资料齐全');
  }
  const rules = '只发布家居相关的优惠；不得索要或发布业主电话；违规内容将被隐藏。';
  const estate = await communities.createCommunity(db, sofa, { allianceId: alliance.id, name: '滨江花园新房群', description: '滨江花园 2026 年交房业主的装修交流群。', rules });
  const city = await communities.createCommunity(db, sofa, { allianceId: alliance.id, name: '鹿城装修交流群', description: '鹿城区装修中的业主互相交流、领取联盟优惠。', rules });
  for (const m of [sofa, curtain, light]) for (const c of [estate, city]) await communities.joinCommunity(db, { merchantId: m.merchantId }, c.id);

  const offer = (m: Actor, title: string, body: string, category: string, communityIds: string[]) =>
    offers.postOffer(db, m, { title, body, category, startsAt: daysFromNow(-1), endsAt: daysFromNow(30) }, communityIds);
  await offer(sofa, '真皮沙发新房季八五折', '凭交房通知书到店，真皮沙发全场八五折，免费送货上楼。', 'sofa', [estate.id, city.id]);
  await offer(light, '全屋灯具套餐立减 800 元', '客厅、卧室、厨卫灯具一站配齐，含上门安装。', 'lighting', [city.id]);
  const curtainOffer = await offer(curtain, '窗帘免费上门测量', '预约即可免费上门测量，定制窗帘九折。', 'curtains', [estate.id]);
  const sofaCampaignOffer = await offer(sofa, '联合套餐：沙发 + 窗帘 + 灯具', '三家一起买，总价再减 1500 元。', 'sofa', [estate.id]);

  const campaign = await campaigns.createCampaign(db, sofa, {
    allianceId: alliance.id,
    title: '滨江花园交房季联合优惠',
    description: '沙发、窗帘、灯具三家联合，新房业主一站配齐。',
    startsAt: daysFromNow(-1),
    endsAt: daysFromNow(45),
    budget: 300_000,
    expectedResponses: 60,
    communityIds: [estate.id, city.id],
  });
  await campaigns.inviteToCampaign(db, sofa, campaign.id, [curtain.merchantId, light.merchantId]);
  await campaigns.respondToCampaignInvite(db, curtain.merchantId, campaign.id, true);
  await campaigns.respondToCampaignInvite(db, light.merchantId, campaign.id, true);
  await campaigns.addOfferToCampaign(db, sofa, campaign.id, sofaCampaignOffer.id);
  await campaigns.addOfferToCampaign(db, curtain, campaign.id, curtainOffer.id);
  await campaigns.publishCampaign(db, sofa, campaign.id);
  await campaigns.recordCampaignSpend(db, sofa, campaign.id, 48_000, '小区电梯海报');
  return { estateId: estate.id, curtainOfferId: curtainOffer.id };
}

const DEMO_CUSTOMER_PHONE = '+8613800000001';
/** The demo shops' records are written once, by the operator's seed: no daily limit applies. */
const SEED_LIMITS = { perDay: Number.POSITIVE_INFINITY };

/**
 * The sofa shop's customers (given in store, with consent). One has claimed an account, joined
 * the estate community and asked about the curtain offer; the curtain shop asked for her phone,
 * so her phone shows one pending request to accept or decline. The lighting shop imported her
 * number from a fair's list and proposed her to the curtain shop: that record is only its word,
 * so she finds it among the shops that hold her number, and the proposal waits until she confirms.
 */
async function seedCustomers(db: Db, vault: Vault, [sofa, curtain, light]: [Actor, Actor, Actor], demo: { estateId: string; curtainOfferId: string }, passwordHash: string) {
  const people = [
    { name: '赵雅琴', phone: DEMO_CUSTOMER_PHONE, address: '温州市鹿城区滨江花园 3 幢 1201', wechat: 'zhao_yaqin' },
    { name: '钱家豪', phone: '+8613800000002', address: '温州市鹿城区滨江花园 5 幢 801', wechat: null },
    { name: '孙丽娟', phone: '+8613800000003', address: '温州市鹿城区五马街 18 号', wechat: 'sun_lijuan' },
  ];
  const added = [];
  for (const [i, p] of people.entries()) {
    added.push(await customerCommands.addCustomer(db, vault, sofa.merchantId, { ...p, tags: i === 0 ? ['新房', 'VIP'] : ['新房'], consentSource: 'IN_STORE' }, SEED_LIMITS));
  }
  const target = await customerCommands.findClaimTargetByCustomer(db, vault, added[0]!.customerId);
  // The demo customer holds a verified phone: the seed stands in for her reading the SMS code.
  const { id: codeId } = await codes.issueCode(db, vault, customerCommands.claimCode(target));
  const token = newRefreshToken();
  const { accountId } = await customerCommands.claimInvite(db, target, codeId, passwordHash, { refreshToken: token, refreshTokenHash: hashRefreshToken(token), refreshExpiresAt: daysFromNow(1) });
  await communities.joinCommunity(db, { accountId }, demo.estateId);
  const interest = await referrals.expressInterest(db, accountId, demo.curtainOfferId, '想看看遮光窗帘的样品');
  await referrals.requestReferral(db, curtain.merchantId, interest.id, {
    purpose: '上门测量窗帘尺寸并报价',
    fields: ['NAME', 'PHONE', 'ADDRESS'],
    retentionDays: 30,
    message: '您好！我们可以免费上门测量，约好时间后再来。',
  });
  const imported = await customerCommands.addCustomer(
    db,
    vault,
    light.merchantId,
    { name: '赵女士', phone: DEMO_CUSTOMER_PHONE, address: null, wechat: null, tags: ['展会'], consentSource: 'IMPORT', consentCollected: { at: daysFromNow(-30), where: '2026 秋季家装展签到表' } },
    SEED_LIMITS,
  );
  await referrals.proposeReferral(db, light.merchantId, {
    customerId: imported.customerId,
    toMerchantId: curtain.merchantId,
    offerId: null,
    purpose: '灯具与窗帘的搭配建议',
    fields: ['PHONE'],
    retentionDays: 14,
    message: null,
  });
}

/** Purchases as [days ago, fen]: one history per segment shape, so the sofa shop's RFM view has every segment. */
const PURCHASE_HISTORIES: [number, number][][] = [
  [[1, 100_000], [30, 80_000], [60, 80_000], [90, 80_000], [120, 80_000], [150, 80_000]], // CHAMPIONS
  [[20, 20_000], [80, 20_000], [140, 20_000], [200, 20_000]], // LOYAL
  [[2, 12_000]], // NEW
  [[3, 80_000], [40, 80_000], [80, 80_000], [120, 80_000], [160, 80_000]], // CHAMPIONS
  [[6, 30_000], [100, 30_000]], // POTENTIAL
  [[40, 15_000]], // OTHER
  [[150, 30_000], [250, 30_000], [350, 30_000]], // AT_RISK
  [[200, 40_000], [280, 40_000], [340, 40_000]], // AT_RISK
  [[300, 8_000]], // LOST
  [[500, 50_000], [700, 20_000]], // LOST
];

/** The sofa shop's sales: its three customers above and seven more in-store buyers. */
async function seedPurchases(db: Db, vault: Vault, sofa: Actor) {
  for (const [i, name] of ['周建国', '吴晓梅', '郑志强', '冯秀英', '陈立新', '褚海燕', '卫明'].entries()) {
    await customerCommands.addCustomer(db, vault, sofa.merchantId, { name, phone: `+86138000001${String(i).padStart(2, '0')}`, address: null, wechat: null, tags: ['老客户'], consentSource: 'IN_STORE' }, SEED_LIMITS);
  }
  // Ids are time-ordered (UUIDv7): the three customers above first, then the seven buyers.
  const customerIds = (await db.select({ id: customers.id }).from(customers).where(eq(customers.merchantId, sofa.merchantId)).orderBy(asc(customers.id))).map((c) => c.id);
  for (const [i, history] of PURCHASE_HISTORIES.entries()) {
    for (const [days, amount] of history) await recordPurchase(db, sofa.merchantId, customerIds[i]!, amount, daysFromNow(-days - 1 / 24));
  }
}

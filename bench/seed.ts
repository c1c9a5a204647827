// Deterministic benchmark data (fixed seed), bulk-inserted with prepared statements in one
// transaction (prepared on the writer connection, where transactions run). Identities go through
// the vault's write function: the vault alone touches them.
// Sizes grow by adding alliances, as a real platform grows city by city: every community feed
// has the same depth at every size, so a feed that slows down with size is a missing index.
import type { Statement } from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/client.js';
import { DEFAULT_CONSENT } from '../db/commands/consent.js';
import { inTransaction, writerOf } from '../db/tx.js';
import type { Vault } from '../db/vault.js';

export const SIZES = { small: 1, medium: 10, large: 100 } as const;
export type Size = keyof typeof SIZES;

/** Per unit of scale (one alliance): small is one unit, large a hundred. */
const UNIT = {
  merchants: 20,
  communities: 5,
  campaigns: 5,
  offersPerMerchant: 50,
  customersPerMerchant: 100,
  /** One customer in ten has claimed an account. */
  claimedEvery: 10,
  historyReferralsPerMerchant: 50,
  ownReadsPerMerchant: 50,
  pendingPerAccount: 3,
  /** Fresh interests per customer account, each from another merchant: the write scenario's pool. */
  writePoolPerAccount: 8,
};

export interface Login {
  accountId: string;
  sessionId: string;
}

export interface WritePair {
  /** Raw key: the run encodes the global ID. */
  interestId: string;
  requester: Login;
  customer: Login;
}

export interface BenchFixture {
  size: Size;
  counts: Record<string, number>;
  /** A merchant owner (plain member) who is in every community of the first alliance. */
  merchant: Login;
  feedCommunityId: string;
  /** A customer account with pending requests. */
  customer: Login;
  writePool: WritePair[];
}

const DAY = 86_400_000;
const CATEGORIES = ['sofa', 'curtains', 'lighting', 'flooring', 'tiles', 'kitchen', 'bathroom', 'renovation'] as const;
const FIELDS = ['NAME', 'PHONE', 'ADDRESS', 'WECHAT'] as const;
// Never verified: bench accounts sign in with minted tokens, not passwords.
const NO_PASSWORD = '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2g$bm8tbG9naW4';

/** mulberry32: a small, fast, seedable PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    chance: (p: number) => next() < p,
    bytes: () => {
      const b = new Uint8Array(16);
      for (let i = 0; i < 16; i++) b[i] = int(256);
      return b;
    },
  };
}

/** Inserts through one cached prepared statement per table. */
function inserter(db: Db) {
  const statements = new Map<string, Statement>();
  const counts: Record<string, number> = {};
  return {
    counts,
    row(table: string, row: Record<string, string | number | null>) {
      const cols = Object.keys(row);
      const key = `${table}(${cols.join(',')})`;
      let stmt = statements.get(key);
      if (!stmt) {
        stmt = db.$client.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map((c) => `@${c}`).join(', ')})`);
        statements.set(key, stmt);
      }
      stmt.run(row);
      counts[table] = (counts[table] ?? 0) + 1;
    },
  };
}

export async function seedBench(db: Db, vault: Vault, size: Size, seed = 20261122): Promise<BenchFixture> {
  const rng = prng(seed);
  // Dates are relative to the start of today (UTC), so the data is the same all day and offers stay current.
  const today = Math.floor(Date.now() / DAY) * DAY;
  const at = (ms: number) => new Date(ms).toISOString();
  const id = (ms: number) => uuidv7({ msecs: ms, random: rng.bytes() });
  const ago = (maxDays: number, minDays = 0) => today - minDays * DAY - rng.int((maxDays - minDays) * DAY);
  const ins = inserter(writerOf(db));
  const units = SIZES[size];

  const login = (kind: 'MERCHANT' | 'CUSTOMER', email: string | null, displayName: string, createdMs: number): Login => {
    const accountId = id(createdMs);
    ins.row('accounts', { id: accountId, kind, email, password_hash: NO_PASSWORD, display_name: displayName, token_version: 0, created_at: at(createdMs) });
    const sessionId = id(createdMs);
    ins.row('sessions', { id: sessionId, account_id: accountId, created_at: at(createdMs) });
    return { accountId, sessionId };
  };

  let fixture: Omit<BenchFixture, 'counts' | 'writePool'> | null = null;
  const writePool: WritePair[] = [];
  let phoneSeq = 0;

  await inTransaction(db, async (tx) => {
    for (let u = 0; u < units; u++) {
      const founded = ago(800, 600);
      const allianceId = id(founded);
      ins.row('alliances', { id: allianceId, name: `联盟 ${u + 1}`, city: `城市 ${u % 40}`, description: 'Benchmark alliance', created_at: at(founded) });

      // Merchants: 0 owns the alliance, 1 administers it, the last one is suspended.
      const merchants = Array.from({ length: UNIT.merchants }, (_, i) => {
        const created = founded + i * DAY;
        const merchantId = id(created);
        ins.row('merchants', { id: merchantId, name: `商家 ${u + 1}-${i + 1}`, category: CATEGORIES[i % CATEGORIES.length]!, city: `城市 ${u % 40}`, created_at: at(created) });
        const owner = login('MERCHANT', `owner-${u}-${i}@bench.test`, `店长 ${u + 1}-${i + 1}`, created);
        ins.row('merchant_staff', { account_id: owner.accountId, merchant_id: merchantId, role: 'OWNER', can_view_contacts: 1, created_at: at(created) });
        const noticeId = id(created);
        ins.row('privacy_notices', { id: noticeId, merchant_id: merchantId, version: 1, text: '仅在您同意的范围内使用您的联系方式。', published_at: at(created) });
        const role = i === 0 ? 'OWNER' : i === 1 ? 'ADMIN' : 'MEMBER';
        const status = i === UNIT.merchants - 1 ? 'SUSPENDED' : 'APPROVED';
        ins.row('alliance_members', { id: id(created), alliance_id: allianceId, merchant_id: merchantId, role, status, applied_at: at(created), joined_at: at(created), decided_at: at(created) });
        return { merchantId, owner, noticeId, offers: [] as { id: string; communityIds: string[] }[], customers: [] as string[] };
      });
      const approved = merchants.slice(0, -1);

      const communities = Array.from({ length: UNIT.communities }, (_, c) => {
        const created = founded + 30 * DAY + c * DAY;
        const communityId = id(created);
        ins.row('communities', { id: communityId, alliance_id: allianceId, name: `社群 ${u + 1}-${c + 1}`, description: 'Benchmark community', rules: '只发布家居相关的优惠。', status: 'OPEN', post_limit_per_day: 5, created_at: at(created) });
        for (const m of merchants) {
          ins.row('community_members', { id: id(created), community_id: communityId, kind: 'MERCHANT', merchant_id: m.merchantId, joined_at: at(created) });
        }
        return communityId;
      });

      // Campaigns: organiser i with three accepted partners and one that has not answered.
      const campaigns = Array.from({ length: UNIT.campaigns }, (_, k) => {
        const created = ago(120, 60);
        const campaignId = id(created);
        ins.row('campaigns', {
          id: campaignId, alliance_id: allianceId, organizer_merchant_id: merchants[k]!.merchantId, title: `联合活动 ${u + 1}-${k + 1}`,
          description: 'Benchmark campaign', starts_at: at(created), ends_at: at(today + 60 * DAY), status: 'PUBLISHED',
          budget: 100_000 + rng.int(400_000), expected_responses: 50 + rng.int(100), created_at: at(created), published_at: at(created + DAY),
        });
        const partners = [k, k + 5, k + 10, k + 15].map((i) => merchants[i % approved.length]!);
        partners.forEach((m, j) => {
          ins.row('campaign_participants', { id: id(created), campaign_id: campaignId, merchant_id: m.merchantId, status: 'ACCEPTED', is_organizer: j === 0 ? 1 : 0, invited_at: at(created), responded_at: at(created) });
        });
        ins.row('campaign_participants', { id: id(created), campaign_id: campaignId, merchant_id: merchants[(k + 7) % approved.length]!.merchantId, status: 'INVITED', is_organizer: 0, invited_at: at(created) });
        for (const c of [k, k + 1].map((i) => communities[i % communities.length]!)) ins.row('campaign_communities', { campaign_id: campaignId, community_id: c });
        return { campaignId, merchantIds: new Set(partners.map((m) => m.merchantId)) };
      });

      // Offers over the last 120 days, most published; a tenth belong to a campaign of their merchant.
      for (const m of merchants) {
        for (let o = 0; o < UNIT.offersPerMerchant; o++) {
          const created = ago(120);
          const offerId = id(created);
          const roll = rng.next();
          const status = roll < 0.85 ? 'PUBLISHED' : roll < 0.9 ? 'DRAFT' : roll < 0.95 ? 'HIDDEN' : 'WITHDRAWN';
          const campaign = rng.chance(0.1) ? campaigns.find((k) => k.merchantIds.has(m.merchantId)) : undefined;
          const category = rng.pick(CATEGORIES);
          ins.row('offers', {
            id: offerId, merchant_id: m.merchantId, title: `优惠 ${o + 1}: ${category} 限时八五折`, body: '到店出示本优惠，享受联盟会员价，含免费上门测量与安装。',
            category, starts_at: at(created), ends_at: at(created + (30 + rng.int(120)) * DAY), status, campaign_id: campaign?.campaignId ?? null,
            created_at: at(created), updated_at: at(created),
          });
          const first = rng.int(communities.length);
          const placedIn = status === 'DRAFT' ? [] : Array.from({ length: 1 + rng.int(3) }, (_, p) => communities[(first + p) % communities.length]!);
          placedIn.forEach((communityId, p) => {
            ins.row('offer_placements', {
              id: id(created), offer_id: offerId, community_id: communityId, alliance_id: allianceId,
              merchant_id: m.merchantId, campaign_id: campaign?.campaignId ?? null, posted_at: at(created + p * 60_000),
            });
          });
          if (status === 'PUBLISHED') m.offers.push({ id: offerId, communityIds: placedIn });
        }
      }

      // Customers; one in ten has an account (which joined a community) with high consent caps.
      const accounts: { login: Login; customerId: string; origin: (typeof merchants)[number]; communityId: string }[] = [];
      for (const m of merchants) {
        for (let c = 0; c < UNIT.customersPerMerchant; c++) {
          const created = ago(500, 10);
          const customerId = id(created);
          const claimed = c % UNIT.claimedEvery === 0;
          const account = claimed ? login('CUSTOMER', null, `顾客 ${phoneSeq}`, created + DAY) : null;
          ins.row('customers', {
            id: customerId, merchant_id: m.merchantId, account_id: account?.accountId ?? null, tags: JSON.stringify(rng.chance(0.5) ? [rng.pick(CATEGORIES)] : []),
            consent_source: rng.pick(['IN_STORE', 'ONLINE', 'PHONE', 'IMPORT'] as const), created_at: at(created), claimed_at: account ? at(created + DAY) : null,
          });
          const seq = phoneSeq++;
          await vault.writeIdentity(tx, customerId, m.merchantId, {
            name: `顾客${seq}`,
            phone: `+86138${String(seq).padStart(8, '0')}`,
            address: rng.chance(0.5) ? `温州市鹿城区滨江路 ${seq % 500} 号` : null,
            wechat: null,
          });
          ins.row('consent_versions', { id: id(created), subject_id: customerId, version: 1, settings: JSON.stringify(DEFAULT_CONSENT), changed_at: at(created), changed_by: 'MERCHANT:bench', reason: 'consent given (IN_STORE)' });
          if (account) {
            const settings = { ...DEFAULT_CONSENT, maxRequestsPerWeek: 1000, maxRequestsPerMonth: 1000 };
            ins.row('consent_versions', { id: id(created + DAY), subject_id: account.accountId, version: 1, settings: JSON.stringify(settings), changed_at: at(created + DAY), changed_by: 'CUSTOMER', reason: 'bench: many requests welcome' });
            const communityId = rng.pick(communities);
            ins.row('community_members', { id: id(created + DAY), community_id: communityId, kind: 'CUSTOMER', account_id: account.accountId, joined_at: at(created + DAY) });
            accounts.push({ login: account, customerId, origin: m, communityId });
          }
          m.customers.push(customerId);
        }
      }

      // Referral history, older than every consent window; accepted ones have grants and reads.
      const referral = (row: { requester: (typeof merchants)[number]; origin: (typeof merchants)[number]; customerId: string; status: string; created: number; offerId: string | null; interestId?: string }) => {
        const referralId = id(row.created);
        const fields = FIELDS.slice(0, 1 + rng.int(3));
        const decided = row.status === 'PENDING' || row.status === 'EXPIRED' ? null : row.created + rng.int(3 * DAY);
        ins.row('referral_requests', {
          id: referralId, status: row.status, requester_merchant_id: row.requester.merchantId, origin_merchant_id: row.origin.merchantId, customer_id: row.customerId,
          initiated_by: row.interestId ? 'REQUESTER' : 'ORIGIN', interest_id: row.interestId ?? null, offer_id: row.offerId, purpose: '上门测量并报价',
          requested_fields: JSON.stringify(fields), granted_fields: JSON.stringify(row.status === 'ACCEPTED' || row.status === 'REVOKED' ? fields : []),
          retention_days: 90, requester_notice_id: row.requester.noticeId, requester_notice_version: 1, created_at: at(row.created),
          expires_at: at(row.created + 7 * DAY), decided_at: decided ? at(decided) : null,
        });
        if (decided && (row.status === 'ACCEPTED' || row.status === 'REVOKED')) {
          ins.row('contact_grants', {
            id: id(decided), referral_id: referralId, merchant_id: row.requester.merchantId, customer_id: row.customerId, fields: JSON.stringify(fields),
            granted_at: at(decided), valid_until: at(decided + 90 * DAY), revoked_at: row.status === 'REVOKED' ? at(decided + DAY) : null,
          });
          // A running platform announced each ended grant when it ended: the data is a steady state, not a backlog.
          if (row.status === 'ACCEPTED' && decided + 90 * DAY <= today) {
            ins.row('referral_events', { id: id(decided + 90 * DAY), referral_id: referralId, kind: 'GRANT_ENDED', created_at: at(decided + 90 * DAY), dispatched_at: at(decided + 90 * DAY) });
          }
          for (let r = 0; r < 2; r++) {
            const readAt = decided + rng.int(30 * DAY);
            ins.row('access_log', {
              id: id(readAt), at: at(readAt), actor_account_id: row.requester.owner.accountId, actor_name: 'bench', merchant_id: row.requester.merchantId,
              kind: 'GRANT', fields: JSON.stringify(fields), customer_id: row.customerId, referral_id: referralId,
            });
          }
        }
      };
      for (const origin of approved) {
        for (let r = 0; r < UNIT.historyReferralsPerMerchant; r++) {
          const requester = rng.pick(approved.filter((m) => m !== origin));
          const roll = rng.next();
          const status = roll < 0.4 ? 'ACCEPTED' : roll < 0.7 ? 'DECLINED' : roll < 0.9 ? 'EXPIRED' : roll < 0.95 ? 'WITHDRAWN' : 'REVOKED';
          referral({ requester, origin, customerId: rng.pick(origin.customers), status, created: ago(400, 100), offerId: requester.offers.length ? rng.pick(requester.offers).id : null });
        }
        for (let r = 0; r < UNIT.ownReadsPerMerchant; r++) {
          const readAt = ago(200);
          ins.row('access_log', {
            id: id(readAt), at: at(readAt), actor_account_id: origin.owner.accountId, actor_name: 'bench', merchant_id: origin.merchantId,
            kind: 'OWN_RECORD', fields: JSON.stringify(['NAME', 'PHONE']), customer_id: rng.pick(origin.customers), referral_id: null,
          });
        }
      }

      // Each customer account: pending proposals from three partners, and fresh interests in
      // offers of other partners (never those three) that the write scenario turns into requests;
      // every offer is one the customer can see in their community.
      for (const a of accounts) {
        const seen = (m: (typeof merchants)[number]) => m.offers.filter((o) => o.communityIds.includes(a.communityId));
        if (a.origin === merchants[UNIT.merchants - 1]) continue;
        const others = approved.filter((m) => m !== a.origin && seen(m).length > 0);
        if (others.length < UNIT.pendingPerAccount + UNIT.writePoolPerAccount) continue;
        const start = rng.int(others.length);
        const partner = (k: number) => others[(start + k) % others.length]!;
        for (let k = 0; k < UNIT.pendingPerAccount; k++) {
          const requester = partner(k);
          referral({ requester, origin: a.origin, customerId: a.customerId, status: 'PENDING', created: today - rng.int(3 * DAY), offerId: rng.pick(seen(requester)).id });
        }
        for (let k = 0; k < UNIT.writePoolPerAccount; k++) {
          const requester = partner(UNIT.pendingPerAccount + k);
          const offer = rng.pick(seen(requester));
          const created = today - rng.int(5 * DAY);
          const interestId = id(created);
          ins.row('interests', {
            id: interestId, offer_id: offer.id, offer_merchant_id: requester.merchantId, account_id: a.login.accountId, customer_id: a.customerId,
            origin_merchant_id: a.origin.merchantId, note: null, created_at: at(created),
          });
          writePool.push({ interestId, requester: requester.owner, customer: a.login });
        }
      }

      if (u === 0) {
        fixture = { size, merchant: merchants[2]!.owner, feedCommunityId: communities[0]!, customer: accounts[0]!.login };
      }
    }
  });
  // Interleave the pool so consecutive pairs hit different customers and requesters.
  writePool.sort((a, b) => (a.interestId < b.interestId ? -1 : 1));
  // Fresh statistics for the planner, as a long-running database would have.
  db.$client.exec('pragma optimize');
  return { ...fixture!, counts: ins.counts, writePool };
}

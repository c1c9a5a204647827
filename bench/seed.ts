// Deterministic benchmark data (fixed seed), inserted in one transaction as multi-row statements
// through drizzle, the same on SQLite and PostgreSQL. Identities are sealed by the vault's write
// function: the vault alone builds them.
// Sizes grow by adding alliances, as a real platform grows city by city: every community feed
// has the same depth at every size, so a feed that slows down with size is a missing index.
import { getTableColumns, getTableName, type InferInsertModel } from 'drizzle-orm';
import { getTableConfig, type SQLiteInsertValue, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/client.js';
import { DEFAULT_CONSENT } from '../db/queries/consent.js';
import {
  accessLog,
  accounts,
  allianceMembers,
  alliances,
  campaignCommunities,
  campaignParticipants,
  campaigns,
  communities,
  communityMembers,
  consentVersions,
  contactGrants,
  customers,
  interests,
  merchantStaff,
  merchants,
  offerPlacements,
  offers,
  privacyNotices,
  referralEvents,
  referralRequests,
  sessions,
} from '../db/tables/index.js';
import { inTransaction, isPostgres, type Tx } from '../db/tx.js';
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

/**
 * Buffers rows per table and inserts them as multi-row statements through drizzle, on either
 * engine: parents before children (the foreign keys are checked per statement), each statement
 * under both engines' limit on bound parameters (SQLite 32,766, PostgreSQL 65,535).
 */
function inserter() {
  const buffers = new Map<SQLiteTable, Record<string, unknown>[]>();
  const counts: Record<string, number> = {};
  return {
    counts,
    row<T extends SQLiteTable>(table: T, row: InferInsertModel<T>) {
      let buffer = buffers.get(table);
      if (!buffer) buffers.set(table, (buffer = []));
      buffer.push(row as Record<string, unknown>);
      const name = getTableName(table);
      counts[name] = (counts[name] ?? 0) + 1;
    },
    async flush(tx: Tx) {
      for (const table of parentsFirst([...buffers.keys()])) {
        const rows = buffers.get(table)!;
        const perStatement = Math.floor(MAX_PARAMETERS / Object.keys(getTableColumns(table)).length);
        for (let i = 0; i < rows.length; i += perStatement) await tx.insert(table).values(rows.slice(i, i + perStatement) as SQLiteInsertValue<SQLiteTable>[]);
      }
      buffers.clear();
    },
  };
}

/** Bound parameters per statement: under SQLite's limit, and PostgreSQL's. */
const MAX_PARAMETERS = 30_000;

/** The tables in an order where every table comes after those its foreign keys reference. */
function parentsFirst(tables: SQLiteTable[]): SQLiteTable[] {
  const ordered: SQLiteTable[] = [];
  const visit = (table: SQLiteTable, path: SQLiteTable[]) => {
    if (ordered.includes(table)) return;
    if (path.includes(table)) throw new Error(`seed: foreign keys form a cycle through ${getTableName(table)}`);
    for (const fk of getTableConfig(table).foreignKeys) {
      const parent = fk.reference().foreignTable;
      if (parent !== table && tables.includes(parent)) visit(parent, [...path, table]);
    }
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}

export async function seedBench(db: Db, vault: Vault, size: Size, seed = 20261122): Promise<BenchFixture> {
  // Dates are relative to the start of today (UTC), so the data is the same all day and offers stay current.
  const today = Math.floor(Date.now() / DAY) * DAY;
  const at = (ms: number) => new Date(ms).toISOString();
  const units = SIZES[size];

  // Everything is generated inside the transaction: on PostgreSQL a transaction may be run again
  // from the start, and must then produce the same rows.
  const { fixture, counts, writePool } = await inTransaction(db, async (tx) => {
    const rng = prng(seed);
    const id = (ms: number) => uuidv7({ msecs: ms, random: rng.bytes() });
    const ago = (maxDays: number, minDays = 0) => today - minDays * DAY - rng.int((maxDays - minDays) * DAY);
    const ins = inserter();
    // The vault seals an identity and builds its row; the row joins its table's batch (after the customer's).
    // Only the vault names the identity table: the row is passed on as the vault built it.
    const identities = { insert: (table: SQLiteTable) => ({ values: async (row: Record<string, unknown>) => ins.row(table, row as never) }) } as unknown as Tx;

    const login = (kind: 'MERCHANT' | 'CUSTOMER', email: string | null, displayName: string, createdMs: number): Login => {
      const accountId = id(createdMs);
      ins.row(accounts, { id: accountId, kind, email, passwordHash: NO_PASSWORD, displayName, tokenVersion: 0, createdAt: at(createdMs) });
      const sessionId = id(createdMs);
      ins.row(sessions, { id: sessionId, accountId, createdAt: at(createdMs) });
      return { accountId, sessionId };
    };

    let fixture: Omit<BenchFixture, 'counts' | 'writePool'> | null = null;
    const writePool: WritePair[] = [];
    let phoneSeq = 0;

    for (let u = 0; u < units; u++) {
      const founded = ago(800, 600);
      const allianceId = id(founded);
      ins.row(alliances, { id: allianceId, name: `联盟 ${u + 1}`, city: `城市 ${u % 40}`, description: 'Benchmark alliance', createdAt: at(founded) });

      // Merchants: 0 owns the alliance, 1 administers it, the last one is suspended.
      const merchantList = Array.from({ length: UNIT.merchants }, (_, i) => {
        const created = founded + i * DAY;
        const merchantId = id(created);
        ins.row(merchants, { id: merchantId, name: `商家 ${u + 1}-${i + 1}`, category: CATEGORIES[i % CATEGORIES.length]!, city: `城市 ${u % 40}`, createdAt: at(created) });
        const owner = login('MERCHANT', `owner-${u}-${i}@bench.test`, `店长 ${u + 1}-${i + 1}`, created);
        ins.row(merchantStaff, { accountId: owner.accountId, merchantId, role: 'OWNER', canViewContacts: true, createdAt: at(created) });
        const noticeId = id(created);
        ins.row(privacyNotices, { id: noticeId, merchantId, version: 1, text: '仅在您同意的范围内使用您的联系方式。', publishedAt: at(created) });
        const role = i === 0 ? 'OWNER' : i === 1 ? 'ADMIN' : 'MEMBER';
        const status = i === UNIT.merchants - 1 ? 'SUSPENDED' : 'APPROVED';
        ins.row(allianceMembers, { id: id(created), allianceId, merchantId, role, status, appliedAt: at(created), joinedAt: at(created), decidedAt: at(created) });
        return { merchantId, owner, noticeId, offers: [] as { id: string; communityIds: string[] }[], customers: [] as string[] };
      });
      const approved = merchantList.slice(0, -1);

      const communityList = Array.from({ length: UNIT.communities }, (_, c) => {
        const created = founded + 30 * DAY + c * DAY;
        const communityId = id(created);
        ins.row(communities, { id: communityId, allianceId, name: `社群 ${u + 1}-${c + 1}`, description: 'Benchmark community', rules: '只发布家居相关的优惠。', status: 'OPEN', postLimitPerDay: 5, createdAt: at(created) });
        for (const m of merchantList) {
          ins.row(communityMembers, { id: id(created), communityId, kind: 'MERCHANT', merchantId: m.merchantId, joinedAt: at(created) });
        }
        return communityId;
      });

      // Campaigns: organiser i with three accepted partners and one that has not answered.
      const campaignList = Array.from({ length: UNIT.campaigns }, (_, k) => {
        const created = ago(120, 60);
        const campaignId = id(created);
        ins.row(campaigns, {
          id: campaignId, allianceId, organizerMerchantId: merchantList[k]!.merchantId, title: `联合活动 ${u + 1}-${k + 1}`,
          description: 'Benchmark campaign', startsAt: at(created), endsAt: at(today + 60 * DAY), status: 'PUBLISHED',
          budget: 100_000 + rng.int(400_000), expectedResponses: 50 + rng.int(100), createdAt: at(created), publishedAt: at(created + DAY),
        });
        const partners = [k, k + 5, k + 10, k + 15].map((i) => merchantList[i % approved.length]!);
        partners.forEach((m, j) => {
          ins.row(campaignParticipants, { id: id(created), campaignId, merchantId: m.merchantId, status: 'ACCEPTED', isOrganizer: j === 0, invitedAt: at(created), respondedAt: at(created) });
        });
        ins.row(campaignParticipants, { id: id(created), campaignId, merchantId: merchantList[(k + 7) % approved.length]!.merchantId, status: 'INVITED', isOrganizer: false, invitedAt: at(created) });
        for (const c of [k, k + 1].map((i) => communityList[i % communityList.length]!)) ins.row(campaignCommunities, { campaignId, communityId: c });
        return { campaignId, merchantIds: new Set(partners.map((m) => m.merchantId)) };
      });

      // Offers over the last 120 days, most published; a tenth belong to a campaign of their merchant.
      for (const m of merchantList) {
        for (let o = 0; o < UNIT.offersPerMerchant; o++) {
          const created = ago(120);
          const offerId = id(created);
          const roll = rng.next();
          const status = roll < 0.85 ? 'PUBLISHED' : roll < 0.9 ? 'DRAFT' : roll < 0.95 ? 'HIDDEN' : 'WITHDRAWN';
          const campaign = rng.chance(0.1) ? campaignList.find((k) => k.merchantIds.has(m.merchantId)) : undefined;
          const category = rng.pick(CATEGORIES);
          ins.row(offers, {
            id: offerId, merchantId: m.merchantId, title: `优惠 ${o + 1}: ${category} 限时八五折`, body: '到店出示本优惠，享受联盟会员价，含免费上门测量与安装。',
            category, startsAt: at(created), endsAt: at(created + (30 + rng.int(120)) * DAY), status, campaignId: campaign?.campaignId ?? null,
            createdAt: at(created), updatedAt: at(created),
          });
          const first = rng.int(communityList.length);
          const placedIn = status === 'DRAFT' ? [] : Array.from({ length: 1 + rng.int(3) }, (_, p) => communityList[(first + p) % communityList.length]!);
          placedIn.forEach((communityId, p) => {
            ins.row(offerPlacements, {
              id: id(created), offerId, communityId, allianceId,
              merchantId: m.merchantId, campaignId: campaign?.campaignId ?? null, postedAt: at(created + p * 60_000),
            });
          });
          if (status === 'PUBLISHED') m.offers.push({ id: offerId, communityIds: placedIn });
        }
      }

      // Customers; one in ten has an account (which joined a community) with high consent caps.
      const accountList: { login: Login; customerId: string; origin: (typeof merchantList)[number]; communityId: string }[] = [];
      for (const m of merchantList) {
        for (let c = 0; c < UNIT.customersPerMerchant; c++) {
          const created = ago(500, 10);
          const customerId = id(created);
          const claimed = c % UNIT.claimedEvery === 0;
          const account = claimed ? login('CUSTOMER', null, `顾客 ${phoneSeq}`, created + DAY) : null;
          ins.row(customers, {
            id: customerId, merchantId: m.merchantId, accountId: account?.accountId ?? null, tags: rng.chance(0.5) ? [rng.pick(CATEGORIES)] : [],
            consentSource: rng.pick(['IN_STORE', 'ONLINE', 'PHONE', 'IMPORT'] as const), createdAt: at(created), claimedAt: account ? at(created + DAY) : null,
          });
          const seq = phoneSeq++;
          await vault.writeIdentity(identities, customerId, m.merchantId, {
            name: `顾客${seq}`,
            phone: `+86138${String(seq).padStart(8, '0')}`,
            address: rng.chance(0.5) ? `温州市鹿城区滨江路 ${seq % 500} 号` : null,
            wechat: null,
          });
          ins.row(consentVersions, { id: id(created), subjectId: customerId, version: 1, settings: DEFAULT_CONSENT, changedAt: at(created), changedBy: 'MERCHANT:bench', reason: 'consent given (IN_STORE)' });
          if (account) {
            const settings = { ...DEFAULT_CONSENT, maxRequestsPerWeek: 1000, maxRequestsPerMonth: 1000 };
            ins.row(consentVersions, { id: id(created + DAY), subjectId: account.accountId, version: 1, settings, changedAt: at(created + DAY), changedBy: 'CUSTOMER', reason: 'bench: many requests welcome' });
            const communityId = rng.pick(communityList);
            ins.row(communityMembers, { id: id(created + DAY), communityId, kind: 'CUSTOMER', accountId: account.accountId, joinedAt: at(created + DAY) });
            accountList.push({ login: account, customerId, origin: m, communityId });
          }
          m.customers.push(customerId);
        }
      }

      // Referral history, older than every consent window; accepted ones have grants and reads.
      type ReferralStatus = (typeof referralRequests.$inferInsert)['status'];
      const referral = (row: { requester: (typeof merchantList)[number]; origin: (typeof merchantList)[number]; customerId: string; status: ReferralStatus; created: number; offerId: string | null; interestId?: string }) => {
        const referralId = id(row.created);
        const fields = FIELDS.slice(0, 1 + rng.int(3));
        const decided = row.status === 'PENDING' || row.status === 'EXPIRED' ? null : row.created + rng.int(3 * DAY);
        ins.row(referralRequests, {
          id: referralId, status: row.status, requesterMerchantId: row.requester.merchantId, originMerchantId: row.origin.merchantId, customerId: row.customerId,
          initiatedBy: row.interestId ? 'REQUESTER' : 'ORIGIN', interestId: row.interestId ?? null, offerId: row.offerId, purpose: '上门测量并报价',
          requestedFields: fields, grantedFields: row.status === 'ACCEPTED' || row.status === 'REVOKED' ? fields : [],
          retentionDays: 90, requesterNoticeId: row.requester.noticeId, requesterNoticeVersion: 1, createdAt: at(row.created), deliveredAt: at(row.created),
          expiresAt: at(row.created + 7 * DAY), decidedAt: decided ? at(decided) : null,
        });
        if (decided && (row.status === 'ACCEPTED' || row.status === 'REVOKED')) {
          ins.row(contactGrants, {
            id: id(decided), referralId, merchantId: row.requester.merchantId, customerId: row.customerId, fields,
            grantedAt: at(decided), validUntil: at(decided + 90 * DAY), revokedAt: row.status === 'REVOKED' ? at(decided + DAY) : null,
          });
          // A running platform announced each ended grant when it ended: the data is a steady state, not a backlog.
          if (row.status === 'ACCEPTED' && decided + 90 * DAY <= today) {
            ins.row(referralEvents, { id: id(decided + 90 * DAY), referralId, kind: 'GRANT_ENDED', createdAt: at(decided + 90 * DAY), dispatchedAt: at(decided + 90 * DAY) });
          }
          for (let r = 0; r < 2; r++) {
            const readAt = decided + rng.int(30 * DAY);
            ins.row(accessLog, {
              id: id(readAt), at: at(readAt), actorAccountId: row.requester.owner.accountId, actorName: 'bench', merchantId: row.requester.merchantId,
              kind: 'GRANT', fields, customerId: row.customerId, referralId,
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
          ins.row(accessLog, {
            id: id(readAt), at: at(readAt), actorAccountId: origin.owner.accountId, actorName: 'bench', merchantId: origin.merchantId,
            kind: 'OWN_RECORD', fields: ['NAME', 'PHONE'], customerId: rng.pick(origin.customers), referralId: null,
          });
        }
      }

      // Each customer account: pending proposals from three partners, and fresh interests in
      // offers of other partners (never those three) that the write scenario turns into requests;
      // every offer is one the customer can see in their community.
      for (const a of accountList) {
        const seen = (m: (typeof merchantList)[number]) => m.offers.filter((o) => o.communityIds.includes(a.communityId));
        if (a.origin === merchantList[UNIT.merchants - 1]) continue;
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
          ins.row(interests, {
            id: interestId, offerId: offer.id, offerMerchantId: requester.merchantId, accountId: a.login.accountId, customerId: a.customerId,
            originMerchantId: a.origin.merchantId, note: null, createdAt: at(created),
          });
          writePool.push({ interestId, requester: requester.owner, customer: a.login });
        }
      }

      if (u === 0) {
        fixture = { size, merchant: merchantList[2]!.owner, feedCommunityId: communityList[0]!, customer: accountList[0]!.login };
      }
      // One alliance's rows at a time (about 17,000): every reference stays inside its alliance.
      await ins.flush(tx);
    }
    return { fixture: fixture!, counts: ins.counts, writePool };
  });
  // Interleave the pool so consecutive pairs hit different customers and requesters.
  writePool.sort((a, b) => (a.interestId < b.interestId ? -1 : 1));
  // Fresh statistics for the planner, as a long-running database would have.
  if (isPostgres(db)) await (db.$client as unknown as pg.Pool).query('ANALYZE');
  else db.$client.exec('pragma optimize');
  return { ...fixture, counts, writePool };
}

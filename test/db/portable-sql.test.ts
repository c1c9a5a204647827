// The read queries' SQL runs on both engines. The API answers insights, referral attribution,
// campaign stats, RFM segments, the alliance search and a list filtered to nothing on SQLite;
// every statement it ran is then replayed, with the same parameters, on a fresh PostgreSQL
// database migrated from db/migrations-pg and holding the same rows, and must return the same
// columns and the same rows. The customer tag search, where the kit writes each engine its own SQL
// (JSON arrays), runs through drizzle on node-postgres itself.
import { join } from 'node:path';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pgKitConfig from '../../drizzle.pg.config.js';
import type { Db } from '../../db/client.js';
import { daysBefore, jsonArrayContains } from '../../db/dialect/kit.js';
import { relations } from '../../db/relations.js';
import { pgRelations } from '../../db/dialect/pg-tables.js';
import { createTestPlatform, numberedPlaceholders } from '../fixtures.js';
import { freshPgDatabase, type FreshDatabase } from '../pg.js';
import { addCustomer, createCast, ok, publishCurtainCampaign, type Cast } from '../story.js';

const root = new URL('../..', import.meta.url).pathname;
const p = await createTestPlatform();
const reader = p.deps.db.$client;
const prepare = reader.prepare.bind(reader);

/** What the API ran on the read connection, with its parameters. */
const ran: { text: string; params: unknown[] }[] = [];
reader.prepare = ((text: string) => {
  const statement = prepare(text);
  return new Proxy(statement, {
    get(target, prop, proxy) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'all' || prop === 'get' || prop === 'run' || prop === 'iterate') {
        return (...params: unknown[]) => {
          ran.push({ text, params });
          return value.apply(target, params);
        };
      }
      // raw(), pluck() and the like return the statement itself: keep returning the proxy.
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        return result === target ? proxy : result;
      };
    },
  });
}) as typeof reader.prepare;

let fresh: FreshDatabase;
let pool: pg.Pool;
/** Drizzle on node-postgres with the project's tables, as the kit's helpers see a PostgreSQL database. */
let pgDb: Db;
const dialect = new SQLiteSyncDialect();

// PostgreSQL's bigint and numeric arrive as text, its booleans as booleans; SQLite has numbers for all.
const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;
const decode = (value: unknown, type: number) =>
  value === null ? null : type === INT8 || type === NUMERIC ? Number(value) : type === BOOL ? Number(value as boolean) : value;
const sorted = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();

/** Runs one statement on both engines: same columns and rows, or the PostgreSQL error with the statement. */
async function replay({ text, params }: { text: string; params: unknown[] }) {
  const sqliteColumns = prepare(text).columns().map((c) => c.name);
  const sqliteRows = prepare(text).raw(true).all(...params) as unknown[][];
  let result: pg.QueryResult<unknown[]>;
  try {
    result = await pool.query({ text: numberedPlaceholders(text), values: params, rowMode: 'array' });
  } catch (error) {
    throw new Error(`PostgreSQL refused: ${(error as Error).message}\n${text}`);
  }
  expect(result.fields.map((f) => f.name), text).toEqual(sqliteColumns);
  const pgRows = result.rows.map((row) => row.map((value, i) => decode(value, result.fields[i]!.dataTypeID)));
  expect(sorted(pgRows), text).toEqual(sorted(sqliteRows));
  return { text, rows: sqliteRows.length };
}

/** Asks the API on SQLite, then replays every statement it read with on PostgreSQL. */
async function portable(query: string, variables: Record<string, unknown>, token?: string) {
  ran.length = 0;
  const r = await p.gql(query, variables, token);
  expect(r.errors).toBeUndefined();
  const statements = [...ran];
  const replayed = [];
  for (const statement of statements) replayed.push(await replay(statement));
  return { data: r.data, replayed };
}

/** The statements matching `pattern`, which must exist: each with how many rows it returned. */
const matching = (replayed: { text: string; rows: number }[], pattern: RegExp) => {
  const found = replayed.filter((s) => pattern.test(s.text));
  expect(found.length, `no statement matches ${pattern}`).toBeGreaterThan(0);
  return found;
};

let cast: Cast;
let campaignId: string;

beforeAll(async () => {
  fresh = await freshPgDatabase('portable_sql');
  pool = fresh.pool;
  await migrate(drizzle({ client: pool, relations: pgRelations }), { migrationsFolder: join(root, pgKitConfig.out!) });
  pgDb = drizzle({ client: pool, relations }) as unknown as Db;

  // The story: the curtain shop's referral of the sofa shop's customer, accepted and sold to, in a
  // published campaign; a second customer's interest still pending; three buyers of the sofa shop.
  cast = await createCast(p);
  campaignId = await publishCurtainCampaign(p, cast);
  const { requestReferral } = await ok(
    p,
    `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`,
    { i: { interestId: cast.interestId, purpose: '上门测量', fields: ['PHONE'], retentionDays: 30 } },
    cast.curtain.accessToken,
  );
  await ok(p, `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`, { i: { referralId: requestReferral.id, accept: true } }, cast.customerToken);
  await ok(p, `mutation($id: ID!, $a: Int!) { recordConversion(referralId: $id, amount: $a) { id } }`, { id: requestReferral.id, a: 180_000 }, cast.curtain.accessToken);
  const { expressInterest } = await ok(p, `mutation($o: ID!) { expressInterest(offerId: $o) { id } }`, { o: cast.offerId }, cast.otherCustomerToken);
  await ok(
    p,
    `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`,
    { i: { interestId: expressInterest.id, purpose: '上门测量', fields: ['PHONE'], retentionDays: 30 } },
    cast.curtain.accessToken,
  );
  const RECORD = `mutation($c: ID!, $a: Int!, $at: DateTime) { recordPurchase(customerId: $c, amount: $a, at: $at) { id } }`;
  const buyers: [customerId: string, purchases: [days: number, amount: number][]][] = [
    [cast.customerId, [[0, 50_000], [3, 20_000], [40, 80_000], [400, 10_000]]],
    [(await addCustomer(p, cast.sofa, { tags: ['老客户'] })).id, [[10, 30_000]]],
    [(await addCustomer(p, cast.sofa, { tags: ['老客户', '大单'] })).id, [[200, 40_000], [500, 40_000]]],
  ];
  for (const [c, purchases] of buyers) {
    for (const [days, a] of purchases) await ok(p, RECORD, { c, a, at: new Date(Date.now() - days * 86_400_000 - 3_600_000).toISOString() }, cast.sofa.accessToken);
  }

  // The same rows on PostgreSQL, foreign keys unchecked so that the tables load in any order.
  const client = await pool.connect();
  try {
    await client.query(`SET session_replication_role = replica`);
    const pgNames = new Set((await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).rows.map((r) => r.table_name as string));
    const tables = (prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'`).all() as { name: string }[]).map((t) => t.name);
    expect(tables.filter((t) => !pgNames.has(t))).toEqual([]);
    for (const table of tables) {
      for (const row of prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]) {
        const columns = Object.keys(row);
        await client.query(
          `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
          Object.values(row),
        );
      }
    }
  } finally {
    client.release();
  }
}, 120_000);

afterAll(() => fresh?.drop());

describe('the read queries run unchanged on PostgreSQL, with the same columns and rows', () => {
  it('alliance insights', async () => {
    const { data, replayed } = await portable(
      `query($a: ID!) { alliance(id: $a) { insights { customersByCategoryInterest { key count } referralsByStatus { key count } offersByCategory { key count } } } }`,
      { a: cast.allianceId },
      cast.sofa.accessToken,
    );
    expect(data.alliance.insights.offersByCategory).toEqual([{ key: 'curtains', count: 1 }]);
    expect(matching(replayed, /"unseenCustomers"/).every((s) => s.rows > 0)).toBe(true);
  });

  it('referral attribution', async () => {
    const { data, replayed } = await portable(
      `query($m: ID!) { node(id: $m) { ... on Merchant { referralAttribution { partner { name } referralsBrought referralsAccepted conversions revenue } } } }`,
      { m: cast.sofa.merchantId },
      cast.sofa.accessToken,
    );
    expect(data.node.referralAttribution).toMatchObject([{ partner: { name: '雅居窗帘' }, referralsBrought: 2, referralsAccepted: 1 }]);
    // The merchant asked for, then its partners: each read by id.
    expect(matching(replayed, /"publicContact"/).map((s) => s.rows)).toEqual([1, 1]);
  });

  it('campaign stats', async () => {
    const { data, replayed } = await portable(
      `query($c: ID!) { campaign(id: $c) { stats { reached interested referralsRequested referralsAccepted conversions revenue spent responseRate withheld } } }`,
      { c: campaignId },
      cast.curtain.accessToken,
    );
    expect(data.campaign.stats.withheld.length).toBeGreaterThan(0);
    expect(matching(replayed, /union all/).map((s) => s.rows)).toEqual([4]);
    expect(matching(replayed, /count\(distinct/).map((s) => s.rows)).toEqual([1]);
  });

  it('RFM segments', async () => {
    const { data, replayed } = await portable(
      `query($m: ID!) { node(id: $m) { ... on Merchant { rfmSegments { segment customerCount avgRecencyDays avgFrequency avgMonetary } } } }`,
      { m: cast.sofa.merchantId },
      cast.sofa.accessToken,
    );
    expect(data.node.rfmSegments).toEqual([
      { segment: 'CHAMPIONS', customerCount: 1, avgRecencyDays: 0, avgFrequency: 3, avgMonetary: 150_000 },
      { segment: 'LOST', customerCount: 2, avgRecencyDays: 105, avgFrequency: 1, avgMonetary: 35_000 },
    ]);
    expect(matching(replayed, /recency_days/).map((s) => s.rows)).toEqual([2]);
  });

  it('the alliance search, with wildcards in the text taken literally', async () => {
    for (const [search, names] of [['鹿城', ['鹿城家居联盟']], ['温州', ['鹿城家居联盟']], ['%', []], ['_', []]] as const) {
      const { data, replayed } = await portable(`query($s: String) { alliances(search: $s, first: 10) { edges { node { name } } } }`, { s: search });
      expect(data.alliances.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(names);
      expect(matching(replayed, / like lower\(/).map((s) => s.rows)).toEqual([names.length]);
    }
  });

  // The list is a relational query, whose nested JSON each driver writes in its own engine's SQL:
  // the filter the resolver puts on it runs in a relational query on each driver.
  it('the customer search by tag', async () => {
    const merchantId = decodeGlobalID(cast.sofa.merchantId).id;
    const search = (db: Db, tag: string) =>
      db.query.customers.findMany({ columns: { id: true, tags: true }, where: { merchantId, RAW: (c) => jsonArrayContains(db, c.tags, tag) }, orderBy: { id: 'desc' } });
    for (const [tag, count] of [['老客户', 2], ['大单', 1], ['老', 0]] as const) {
      const { viewer } = await ok(p, `query($s: String) { viewer { merchant { customers(first: 10, search: $s) { totalCount edges { node { tags } } } } } }`, { s: tag }, cast.sofa.accessToken);
      expect(viewer.merchant.customers.totalCount).toBe(count);
      const onSqlite = await search(p.deps.db, tag);
      expect(onSqlite.map((c) => c.tags)).toEqual(viewer.merchant.customers.edges.map((e: { node: { tags: string[] } }) => e.node.tags));
      expect(await search(pgDb, tag)).toEqual(onSqlite);
    }
  });

  it('a list filtered to nothing', async () => {
    // A merchant's offers as a signed-out visitor sees them: no membership, so the filter matches nothing.
    const { data, replayed } = await portable(`query($m: ID!) { node(id: $m) { ... on Merchant { offers { edges { node { id } } } } } }`, { m: cast.sofa.merchantId });
    expect(data.node.offers.edges).toEqual([]);
    expect(matching(replayed, /1 = 0/).map((s) => s.rows)).toEqual([0]);
  });
});

describe('day differences', () => {
  /** Timestamps as the DateTime scalar writes them, between 1990 and 2100, from a fixed seed. */
  const samples = (() => {
    let seed = 16;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const from = Date.UTC(1990, 0, 1);
    const to = Date.UTC(2100, 11, 31);
    return Array.from({ length: 120 }, () => new Date(from + Math.floor(next() * (to - from))).toISOString());
  })();
  const day = 86_400_000;
  const shifted = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
  const pairs: [at: string, now: string][] = [
    ['2026-12-03T10:00:00.000Z', '2026-12-03T10:00:00.000Z'],
    ['2026-12-04T10:00:00.000Z', '2026-12-03T10:00:00.000Z'],
    ['2026-12-02T10:00:00.000Z', '2026-12-03T10:00:00.000Z'],
    ['2026-12-02T10:00:00.001Z', '2026-12-03T10:00:00.000Z'],
    ['2026-12-02T09:59:59.999Z', '2026-12-03T10:00:00.000Z'],
    ['2024-02-28T12:00:00.000Z', '2024-03-01T11:59:59.999Z'],
    ['2024-02-28T12:00:00.000Z', '2024-03-01T12:00:00.000Z'],
    ['2100-02-28T00:00:00.000Z', '2100-03-01T00:00:00.000Z'],
    ['2000-02-28T23:59:59.999Z', '2000-03-01T00:00:00.000Z'],
    ['1999-12-31T23:59:59.999Z', '2026-12-03T00:00:00.000Z'],
    ...samples.map((at, i): [string, string] => [at, samples[(i + 1) % samples.length]!]),
    ...samples.map((at): [string, string] => [at, shifted(at, 365 * day)]),
    ...samples.map((at): [string, string] => [at, shifted(at, 30 * day - 1)]),
  ];

  const query = (expression: SQL) => dialect.sqlToQuery(sql`select ${expression} as days`);
  const onSqlite = (expression: SQL) => {
    const { sql: text, params } = query(expression);
    return (prepare(text).get(...params) as { days: number }).days;
  };
  const onPg = async (expression: SQL) => {
    const { sql: text, params } = query(expression);
    return Number((await pool.query({ text: numberedPlaceholders(text), values: params })).rows[0].days);
  };

  it("daysBefore equals SQLite's julianday difference and PostgreSQL's timestamptz one", async () => {
    for (const [at, now] of pairs) {
      const expression = daysBefore(sql`cast(${at} as text)`, now);
      const julian = onSqlite(sql`max(0, cast(julianday(${now}) - julianday(${at}) as integer))`);
      expect(onSqlite(expression), `${at} → ${now}`).toBe(julian);
      expect(await onPg(expression), `${at} → ${now}`).toBe(julian);
      expect(await onPg(sql`greatest(0, floor(extract(epoch from (cast(${now} as timestamptz) - cast(${at} as timestamptz))) / 86400))`), `${at} → ${now}`).toBe(julian);
    }
  });
});

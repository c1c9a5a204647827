// The tables are written once (db/tables, SQLite) and converted for PostgreSQL
// (db/dialect/pg-tables.ts): both engines must have the same tables, columns, keys and indexes,
// and each engine's migration folder must match its tables.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, SQL, StringChunk, eq, getTableColumns, is, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { PgTable, getTableConfig as pgConfig } from 'drizzle-orm/pg-core';
import { SQLiteTable, getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPgDatabase, type FreshDatabase } from '../pg.js';
import sqliteKitConfig from '../../drizzle.config.js';
import pgKitConfig from '../../drizzle.pg.config.js';
import { WIDE_INTEGER_COLUMNS, pgRelations, pgTables } from '../../db/dialect/pg-tables.js';
import * as sqliteSchema from '../../db/tables/index.js';

const root = new URL('../..', import.meta.url).pathname;
const sqliteEntries = Object.entries(sqliteSchema).filter(([, t]) => is(t, SQLiteTable)) as [string, SQLiteTable][];
const sqliteTables = sqliteEntries.map(([, t]) => t);
const pgTableList = Object.values(pgTables) as PgTable[];

/** A predicate or check as engine-neutral text: column names in place of the columns. */
function render(query: SQL): string {
  return query.queryChunks
    .map((chunk) => {
      if (is(chunk, StringChunk)) return chunk.value.join('');
      if (is(chunk, Column)) return `"${chunk.name}"`;
      if (is(chunk, SQL)) return render(chunk);
      throw new Error(`unexpected chunk in ${JSON.stringify(query.queryChunks)}`);
    })
    .join('');
}

// A value of each kind, to compare what the two engines store and read back.
const samples: Record<string, unknown> = { string: 'x', 'string enum': 'x', 'object json': ['a', { b: 1 }], boolean: true, 'number int53': 7 };

type Config = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>;
/** Everything the parity covers; `sqlType` is the type PostgreSQL must have. */
function shape(config: Config, pgType: (table: string, column: Config['columns'][number]) => string) {
  const names = (columns: { name: string }[]) => columns.map((c) => c.name);
  return {
    name: config.name,
    columns: config.columns.map((c) => ({
      name: c.name,
      sqlType: pgType(config.name, c),
      notNull: c.notNull,
      default: c.default,
      primary: c.primary,
      unique: c.isUnique,
      enumValues: c.enumValues,
    })),
    primaryKeys: config.primaryKeys.map((pk) => names(pk.columns)),
    indexes: config.indexes.map(({ config: ix }) => ({
      name: ix.name,
      // An expression index would show as its SQL; PostgreSQL's indexed columns are not Column objects.
      columns: ix.columns.map((c) => (is(c, SQL) ? render(c) : (c as { name: string }).name)),
      unique: ix.unique,
      where: ix.where ? render(ix.where) : undefined,
    })),
    foreignKeys: config.foreignKeys.map((fk) => {
      const ref = fk.reference();
      // No action is both engines' default; drizzle's PostgreSQL keys spell it out.
      const foreignTable = is(ref.foreignTable, PgTable) ? pgConfig(ref.foreignTable).name : sqliteConfig(ref.foreignTable as SQLiteTable).name;
      return { columns: names(ref.columns), foreignTable, foreignColumns: names(ref.foreignColumns), onDelete: fk.onDelete ?? 'no action', onUpdate: fk.onUpdate ?? 'no action' };
    }),
    checks: config.checks.map((ck) => ({ name: ck.name, sql: render(ck.value) })),
    uniqueConstraints: config.uniqueConstraints.map((u) => names(u.columns)),
  };
}
const expectedPgShape = (t: SQLiteTable) =>
  shape(sqliteConfig(t), (table, c) => (WIDE_INTEGER_COLUMNS[table]?.includes(c.name) ? 'bigint' : c.getSQLType()));
const pgShape = (t: PgTable) => shape(pgConfig(t), (_, c) => c.getSQLType());

describe('SQLite and PostgreSQL tables', () => {
  it('the same tables on both', () => {
    const sqliteNames = sqliteTables.map((t) => sqliteConfig(t).name).sort();
    expect(pgTableList.map((t) => pgConfig(t).name).sort()).toEqual(sqliteNames);
    expect(sqliteNames.length).toBeGreaterThan(30);
    // The same export names too, so code and relations name the tables alike on both engines.
    expect(Object.keys(pgTables).sort()).toEqual(sqliteEntries.map(([key]) => key).sort());
  });

  it.each(sqliteTables.map((t) => [sqliteConfig(t).name, t] as const))('%s: same columns, keys, indexes, foreign keys and checks', (name, sqliteTable) => {
    const pgTable = pgTableList.find((t) => pgConfig(t).name === name)!;
    expect(pgShape(pgTable)).toEqual(expectedPgShape(sqliteTable));
  });

  it('every column stores and reads back a value as the other engine does', () => {
    for (const [key, sqliteTable] of sqliteEntries) {
      const pgColumns = getTableColumns(pgTables[key as keyof typeof pgTables]) as Record<string, Column>;
      for (const [columnKey, column] of Object.entries(getTableColumns(sqliteTable) as Record<string, Column>)) {
        expect(Object.keys(samples), `${key}.${columnKey}`).toContain(column.dataType);
        const value = samples[column.dataType];
        const stored = column.mapToDriverValue(value);
        expect(pgColumns[columnKey].mapToDriverValue(value), `${key}.${columnKey}`).toEqual(stored);
        expect(pgColumns[columnKey].mapFromDriverValue(stored), `${key}.${columnKey}`).toEqual(column.mapFromDriverValue(stored));
      }
    }
  });
});

describe('migration folders', () => {
  // drizzle-kit generate against a copy of the committed folder must find nothing to do.
  it.each([
    ['SQLite', sqliteKitConfig, {}],
    // The PostgreSQL schema module is TypeScript loaded by Node itself (see db/dialect/pg-schema.mjs).
    ['PostgreSQL', pgKitConfig, { NODE_OPTIONS: '--import tsx' }],
  ] as const)('%s migrations are in step with the tables', (_, config, env) => {
    const copy = mkdtempSync(join(tmpdir(), 'migrations-'));
    try {
      cpSync(join(root, config.out!), copy, { recursive: true });
      const before = readdirSync(copy).sort();
      const out = execFileSync(
        join(root, 'node_modules/.bin/drizzle-kit'),
        ['generate', '--dialect', config.dialect, '--schema', String(config.schema), '--out', copy],
        { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 },
      );
      expect(out).toContain('No schema changes');
      expect(readdirSync(copy).sort()).toEqual(before);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('PostgreSQL migrations on a fresh database', () => {
  let fresh: FreshDatabase;
  let pool: pg.Pool;

  beforeAll(async () => {
    fresh = await freshPgDatabase('dialects');
    pool = fresh.pool;
  });

  afterAll(() => fresh?.drop());

  it('apply, and leave the tables, columns, keys and indexes the PostgreSQL tables describe', async () => {
    const db = drizzle({ client: pool, relations: pgRelations });
    await migrate(db, { migrationsFolder: join(root, pgKitConfig.out!) });

    const rows = async <T,>(text: string) => (await pool.query(text)).rows as T[];
    const columns = await rows<{ table: string; name: string; type: string; nullable: string; default: string | null }>(
      `SELECT table_name AS table, column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS default
         FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    );
    const indexes = await rows<{ table: string; name: string; columns: string[]; unique: boolean; where: string | null; constraint: string | null }>(
      `SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique, pg_get_expr(x.indpred, x.indrelid) AS where,
              (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns,
              (SELECT contype FROM pg_constraint c WHERE c.conindid = i.oid AND c.conrelid = t.oid) AS constraint
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace s ON s.oid = t.relnamespace WHERE s.nspname = 'public'`,
    );
    const constraints = await rows<{ table: string; type: string; name: string; columns: string[]; foreignTable: string | null; foreignColumns: string[] | null }>(
      `SELECT t.relname AS table, c.contype AS type, c.conname AS name, f.relname AS "foreignTable",
              (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
              (SELECT array_agg(a.attname::text ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS "foreignColumns"
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid LEFT JOIN pg_class f ON f.oid = c.confrelid
         JOIN pg_namespace s ON s.oid = t.relnamespace WHERE s.nspname = 'public'`,
    );

    // information_schema spells the types out; PostgreSQL folds predicates into its own notation.
    const typeName: Record<string, string> = { text: 'text', integer: 'integer', bigint: 'bigint' };
    const predicate = (text: string) => text.toLowerCase().replaceAll('::text', '').replace(/["()\s]/g, '');
    const sorted = <T,>(list: T[]) => [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

    const expected = pgTableList.map((t) => pgConfig(t));
    expect([...new Set(columns.map((c) => c.table))].sort()).toEqual(expected.map((t) => t.name).sort());
    for (const table of expected) {
      const pk = table.primaryKeys[0]?.columns.map((c) => c.name) ?? table.columns.filter((c) => c.primary).map((c) => c.name);
      expect(columns.filter((c) => c.table === table.name).map(({ name, type, nullable, default: def }) => ({ name, type, nullable, def })), table.name).toEqual(
        table.columns.map((c) => ({
          name: c.name,
          type: typeName[c.getSQLType()],
          nullable: c.notNull || pk.includes(c.name) ? 'NO' : 'YES',
          // PostgreSQL reports a text default as a quoted literal with its type.
          def: c.default === undefined ? null : typeof c.default === 'string' ? `'${c.default}'::text` : String(c.default),
        })),
      );
      const own = constraints.filter((c) => c.table === table.name);
      expect(own.filter((c) => c.type === 'p').map((c) => c.columns), table.name).toEqual([pk]);
      expect(sorted(own.filter((c) => c.type === 'u').map((c) => c.columns)), table.name).toEqual(sorted(table.columns.filter((c) => c.isUnique).map((c) => [c.name])));
      expect(sorted(own.filter((c) => c.type === 'c').map((c) => c.name)), table.name).toEqual(sorted(table.checks.map((c) => c.name)));
      expect(sorted(own.filter((c) => c.type === 'f').map(({ columns, foreignTable, foreignColumns }) => ({ columns, foreignTable, foreignColumns }))), table.name).toEqual(
        sorted(
          table.foreignKeys.map((fk) => {
            const ref = fk.reference();
            return { columns: ref.columns.map((c) => c.name), foreignTable: pgConfig(ref.foreignTable).name, foreignColumns: ref.foreignColumns.map((c) => c.name) };
          }),
        ),
      );
      // Named indexes; the primary key's and unique columns' indexes are checked as constraints above.
      expect(
        sorted(indexes.filter((i) => i.table === table.name && !i.constraint).map(({ name, columns, unique, where }) => ({ name, columns, unique, where: where && predicate(where) }))),
        table.name,
      ).toEqual(
        sorted(
          table.indexes.map(({ config: ix }) => ({
            name: ix.name,
            columns: ix.columns.map((c) => (c as { name: string }).name),
            unique: ix.unique,
            where: ix.where ? predicate(render(ix.where)) : null,
          })),
        ),
      );
    }
  });

  it('sorts text byte by byte, as SQLite does', async () => {
    const { rows } = await pool.query(`SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()`);
    expect(rows[0]).toEqual({ datcollate: 'C', datctype: 'C' });
    const sortedText = await pool.query(`SELECT array_agg(x ORDER BY x) AS xs FROM unnest(ARRAY['a', 'B', '_', 'Z', '2026-12-03T10:00:00.000Z', '2026-12-03T09:59:59.999Z']) x`);
    expect(sortedText.rows[0].xs).toEqual(['2026-12-03T09:59:59.999Z', '2026-12-03T10:00:00.000Z', 'B', 'Z', '_', 'a']);
  });

  it('stores booleans as 0/1, JSON as text and wide money as bigint, and reads them back through relational queries', async () => {
    const db = drizzle({ client: pool, relations: pgRelations });
    const at = '2026-12-03T10:00:00.000Z';
    await db.insert(pgTables.accounts).values({ id: 'acc-1', kind: 'MERCHANT', email: 'sofa@example.cn', passwordHash: 'x', displayName: '沙发', createdAt: at });
    await db.insert(pgTables.merchants).values({ id: 'm-1', name: '舒适沙发馆', category: 'sofa', city: '温州', createdAt: at });
    await db.insert(pgTables.merchantStaff).values({ accountId: 'acc-1', merchantId: 'm-1', role: 'OWNER', canViewContacts: true, createdAt: at });
    await db.insert(pgTables.customers).values({ id: 'c-1', merchantId: 'm-1', tags: ['新房', '沙发'], consentSource: 'IN_STORE', createdAt: at });
    await db.insert(pgTables.alliances).values({ id: 'al-1', name: '温州家居联盟', city: '温州', description: '', createdAt: at });
    const budget = 3_000_000_000; // 30 million yuan in fen: more than int4 holds
    await db.insert(pgTables.campaigns).values({
      id: 'cp-1', allianceId: 'al-1', organizerMerchantId: 'm-1', title: '金秋', description: '', startsAt: at, endsAt: at,
      status: 'DRAFT', budget, expectedResponses: 10, createdAt: at,
    });

    const raw = await pool.query(`SELECT s.can_view_contacts, c.tags FROM merchant_staff s, customers c`);
    expect(raw.rows).toEqual([{ can_view_contacts: 1, tags: '["新房","沙发"]' }]);

    const merchant = await db.query.merchants.findFirst({ where: { id: 'm-1' }, with: { staff: true, customers: true } });
    expect(merchant?.staff[0].canViewContacts).toBe(true);
    expect(merchant?.customers[0].tags).toEqual(['新房', '沙发']);
    const [campaign] = await db.select({ budget: pgTables.campaigns.budget }).from(pgTables.campaigns).where(eq(pgTables.campaigns.id, 'cp-1'));
    expect(campaign.budget).toBe(budget);
    const staff = await db.select({ can: pgTables.merchantStaff.canViewContacts }).from(pgTables.merchantStaff).where(sql`${pgTables.merchantStaff.canViewContacts} = 1`);
    expect(staff).toEqual([{ can: true }]);
  });
});

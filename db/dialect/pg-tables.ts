// The PostgreSQL tables, instantiated from the SQLite definitions in db/tables: the tables are
// written once, and this module converts every one of them (columns, keys, indexes, checks).
//
// Stored representation is the same on both engines, so the same code and data work on either:
// timestamps are ISO text, JSON is text, booleans are integer 0/1 (an index predicate or a raw
// `= 1` reads the same on both). Integers are int4, except WIDE_INTEGER_COLUMNS.
//
// The database must be created with C collation (LC_COLLATE 'C', LC_CTYPE 'C'): ids, ISO
// timestamps and cursors sort byte by byte on SQLite, and drizzle-kit cannot set a database's
// collation.
import { Column, SQL, defineRelations, getTableColumns, is } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  type PgColumn,
  type PgColumnBuilder,
  type PgTable,
  type PgTableWithColumns,
} from 'drizzle-orm/pg-core';
import { SQLiteBoolean, SQLiteInteger, SQLiteTable, SQLiteText, SQLiteTextJson, getTableConfig } from 'drizzle-orm/sqlite-core';
import { defineTableRelations } from '../relations.js';
import * as sqliteTables from '../tables/index.js';

/**
 * Integer columns that are bigint (int8, read as a JS number) on PostgreSQL: money whose only
 * bound is GraphQL's 32-bit Int, with no CHECK in the table, so SQLite's 64-bit integer must not
 * shrink. Purchase and conversion amounts stay int4: both are capped at 100,000,000 fen.
 */
export const WIDE_INTEGER_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  campaigns: ['budget'],
  campaign_spend: ['amount'],
};

// node-postgres hands int4 back as a number; SQLite's mode 'boolean' reads 1 as true the same way.
const integerBoolean = customType<{ data: boolean; driverData: number; jsonData: number }>({
  dataType: () => 'integer',
  toDriver: (value) => (value ? 1 : 0),
  fromDriver: (value) => Number(value) === 1,
  // Relational queries nest rows as JSON, where the integer arrives as a JSON number.
  fromJson: (value) => Number(value) === 1,
});

const jsonText = customType<{ data: unknown; driverData: string; jsonData: string }>({
  dataType: () => 'text',
  toDriver: (value) => JSON.stringify(value),
  fromDriver: (value) => JSON.parse(value),
  fromJson: (value) => JSON.parse(value),
});

type SqliteSchema = typeof sqliteTables;
type TableKey = { [K in keyof SqliteSchema]: SqliteSchema[K] extends SQLiteTable ? K : never }[keyof SqliteSchema];
type SqliteColumnsOf<T extends SQLiteTable> = T['_']['columns'];
// Columns keep the SQLite column's TypeScript config (data, nullability, default, enum): the
// values code reads and writes are the same on both engines.
type PgTableOf<T extends SQLiteTable> = PgTableWithColumns<{
  name: T['_']['name'];
  schema: undefined;
  columns: { [K in keyof SqliteColumnsOf<T>]: PgColumn<SqliteColumnsOf<T>[K]['_']['dataType'], SqliteColumnsOf<T>[K]['_']> };
  dialect: 'pg';
}>;
export type PgTables = { [K in TableKey]: PgTableOf<SqliteSchema[K]> };

function unsupported(table: string, what: string): never {
  throw new Error(`db/dialect/pg-tables.ts cannot convert ${what} of table ${table}: add the conversion (or an explicit override) there`);
}

// Built generically, so the builder's data type is open: PgTables gives the tables their types.
function columnBuilder(table: string, column: Column): PgColumnBuilder<any> {
  if (column.defaultFn || column.onUpdateFn || column.generated || column.generatedIdentity) unsupported(table, `the runtime default or generated value of ${column.name}`);
  let builder: PgColumnBuilder<any>;
  if (is(column, SQLiteBoolean)) builder = integerBoolean(column.name);
  else if (is(column, SQLiteTextJson)) builder = jsonText(column.name);
  else if (is(column, SQLiteInteger)) {
    if (column.autoIncrement) unsupported(table, `the autoincrement of ${column.name}`);
    builder = WIDE_INTEGER_COLUMNS[table]?.includes(column.name) ? bigint(column.name, { mode: 'number' }) : integer(column.name);
  } else if (is(column, SQLiteText)) builder = column.enumValues ? text(column.name, { enum: column.enumValues as [string, ...string[]] }) : text(column.name);
  else return unsupported(table, `column ${column.name} (${column.columnType})`);
  if (column.notNull) builder.notNull();
  if (column.default !== undefined) {
    if (is(column.default, SQL)) unsupported(table, `the SQL default of ${column.name}`);
    builder.default(column.default);
  }
  if (column.primary) builder.primaryKey();
  if (column.isUnique) builder.unique();
  return builder;
}

/** The same SQL (index predicate, check) with the SQLite table's columns swapped for PostgreSQL's. */
function rebase(table: string, query: SQL, columns: Record<string, PgColumn>): SQL {
  return new SQL(
    query.queryChunks.map((chunk) => {
      if (is(chunk, SQL)) return rebase(table, chunk, columns);
      if (is(chunk, Column)) return columns[chunk.name] ?? unsupported(table, `a reference to column ${chunk.name} of another table`);
      return chunk;
    }),
  );
}

function convert(sqlite: SQLiteTable, byName: Map<string, PgTable>): PgTable {
  const config = getTableConfig(sqlite);
  const table = config.name;
  if (config.uniqueConstraints.length > 0) unsupported(table, 'a table-level unique constraint');
  const keyOf = new Map(Object.entries(getTableColumns(sqlite)).map(([key, column]) => [column.name, key]));
  const builders = Object.fromEntries(Object.entries(getTableColumns(sqlite)).map(([key, column]) => [key, columnBuilder(table, column)]));
  // Runs when drizzle first reads the table's config, after every table exists: foreign keys may
  // point at tables converted later.
  return pgTable(table, builders, (self) => {
    const byColumnName = Object.fromEntries([...keyOf].map(([name, key]) => [name, self[key] as PgColumn]));
    const own = (column: SQL | Column) => (is(column, Column) && byColumnName[column.name]) || unsupported(table, 'an index on an expression');
    const foreignTable = (name: string) => byName.get(name) ?? unsupported(table, `a foreign key to unknown table ${name}`);
    return [
      ...config.primaryKeys.map((pk) => primaryKey({ columns: pk.columns.map(own) as [PgColumn, ...PgColumn[]] })),
      ...config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        const target = getTableColumns(foreignTable(getTableConfig(ref.foreignTable).name)) as Record<string, PgColumn>;
        const targetByName = new Map(Object.values(target).map((c) => [c.name, c]));
        const builder = foreignKey({
          columns: ref.columns.map(own) as [PgColumn, ...PgColumn[]],
          foreignColumns: ref.foreignColumns.map((c) => targetByName.get(c.name)!) as [PgColumn, ...PgColumn[]],
        });
        if (fk.onDelete) builder.onDelete(fk.onDelete);
        if (fk.onUpdate) builder.onUpdate(fk.onUpdate);
        return builder;
      }),
      ...config.indexes.map(({ config: ix }) => {
        const on = (ix.unique ? uniqueIndex : index)(ix.name).on(...(ix.columns.map(own) as [PgColumn, ...PgColumn[]]));
        return ix.where ? on.where(rebase(table, ix.where, byColumnName)) : on;
      }),
      ...config.checks.map((ck) => check(ck.name, rebase(table, ck.value, byColumnName))),
    ];
  });
}

function convertAll(): PgTables {
  const byName = new Map<string, PgTable>();
  const converted: Record<string, PgTable> = {};
  for (const [key, value] of Object.entries(sqliteTables)) {
    if (!is(value, SQLiteTable)) continue;
    converted[key] = convert(value, byName);
    byName.set(getTableConfig(value).name, converted[key]);
  }
  return converted as unknown as PgTables;
}

export const pgTables = convertAll();

export const pgRelations = defineRelations(pgTables, defineTableRelations);

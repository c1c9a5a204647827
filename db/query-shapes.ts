// Relational queries are built and prepared once per shape. The schema's flat reads (db/queries/rows.ts:
// a page, rows by ids, children by parent) have filter values that change with each request (ids,
// cursors, the time) while their shape does not; building and preparing such a statement costs
// several times what running a prepared one does. Here each query's values are lifted
// out as placeholders, the statement of its shape is prepared once, and later queries of the same
// shape run it with their own values.
//
// A value is lifted only where binding it as a placeholder is what drizzle would bind anyway: a
// string or number compared with a column that sends it to the driver unchanged. Anything the
// walk does not understand (a raw SQL filter, extras, a function, a placeholder already there, a
// value it cannot lift) runs the query as it came: two queries share a statement only when they
// differ in lifted values, and the number of statements is bounded by the code's query shapes.
import { createHash } from 'node:crypto';
import { getTableColumns, sql, type Column, type Table } from 'drizzle-orm';
import type { Db } from './db.js';

/** The relational config of one table, as drizzle keeps it: its columns and relations by name. */
interface TableConfig {
  table: Table;
  relations: Record<string, { targetTableName: string }>;
}
type Schema = Record<string, TableConfig>;
interface Builder {
  schema: Schema;
  tableConfig: TableConfig;
  findMany(config?: unknown): Query;
  findFirst(config?: unknown): Query;
}
interface Query {
  execute(values?: Record<string, unknown>): Promise<unknown>;
  prepare(name?: string): { execute(values?: Record<string, unknown>): Promise<unknown> };
}

/** Shapes kept per database; past this the oldest is dropped (a deployment has a few hundred). */
const MAX_SHAPES = 1000;
/** Longest `in` list bound value by value (each length is a shape of its own); longer ones run as they came. */
const MAX_LIST = 100;

class Unshaped extends Error {}
const refuse = (): never => {
  throw new Unshaped();
};

/** Lifts values out of one query config: the config with placeholders, its key, and the values. */
class Shaper {
  readonly values: Record<string, unknown> = {};
  private count = 0;

  constructor(private readonly schema: Schema) {}

  private lift(value: unknown, column: Column | undefined): Part {
    const liftable = (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) && column && column.mapToDriverValue(value) === value;
    return liftable ? this.placeholder(value) : this.literal(value);
  }

  private placeholder(value: unknown): Part {
    const name = `v${this.count++}`;
    this.values[name] = value;
    return { shape: sql.placeholder(name), key: { $: 1 } };
  }

  /**
   * A value kept in the statement: only null and booleans, which give a shape at most two
   * statements. Any other value kept would make one statement per value (and, on PostgreSQL, one
   * named statement per value on every connection): such a query runs as it came.
   */
  private literal(value: unknown): Part {
    if (value === null || typeof value === 'boolean') return { shape: value, key: value };
    return refuse();
  }

  /** A page size or offset: always a plain number. */
  private size(value: unknown): Part {
    return typeof value === 'number' && Number.isInteger(value) ? this.placeholder(value) : refuse();
  }

  private static readonly SCALAR_OPERATORS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'like', 'notLike', 'ilike', 'notIlike']);
  private static readonly FLAG_OPERATORS = new Set(['isNull', 'isNotNull']);
  private static readonly LIST_OPERATORS = new Set(['in', 'notIn']);

  private columnFilter(value: unknown, column: Column): Part {
    if (!isPlainObject(value)) return this.lift(value, column);
    return eachEntry(value, (operator, operand) => {
      if (Shaper.SCALAR_OPERATORS.has(operator)) return this.lift(operand, column);
      if (Shaper.FLAG_OPERATORS.has(operator)) return this.literal(operand);
      if (Shaper.LIST_OPERATORS.has(operator) && Array.isArray(operand) && operand.length <= MAX_LIST) return eachItem(operand, (item) => this.lift(item, column));
      return refuse();
    });
  }

  filter(value: unknown, table: TableConfig): Part {
    if (typeof value === 'boolean') return { shape: value, key: value };
    if (!isPlainObject(value)) return refuse();
    return eachEntry(value, (name, operand) => {
      if (name === 'AND' || name === 'OR') return Array.isArray(operand) ? eachItem(operand, (item) => this.filter(item, table)) : refuse();
      if (name === 'NOT') return this.filter(operand, table);
      const column = columnOf(table, name);
      if (column) return this.columnFilter(operand, column);
      return table.relations[name] ? this.filter(operand, this.target(table, name)) : refuse();
    });
  }

  private target(table: TableConfig, relation: string): TableConfig {
    return this.schema[table.relations[relation]!.targetTableName] ?? refuse();
  }

  config(value: unknown, table: TableConfig): Part {
    if (value === true || value === undefined) return { shape: value, key: value ?? null };
    if (!isPlainObject(value)) return refuse();
    return eachEntry(value, (name, option) => {
      switch (name) {
        case 'columns':
        case 'orderBy':
          return plainLiteral(option);
        case 'where':
          return this.filter(option, table);
        case 'limit':
        case 'offset':
          return this.size(option);
        case 'extras':
          return isPlainObject(option) && Object.keys(option).length === 0 ? { shape: option, key: {} } : refuse();
        case 'with':
          return isPlainObject(option) ? eachEntry(option, (relation, nested) => (table.relations[relation] ? this.config(nested, this.target(table, relation)) : refuse())) : refuse();
        default:
          return refuse();
      }
    });
  }
}

/** A part of a query config: as the statement is prepared (placeholders) and as its key reads. */
interface Part {
  shape: unknown;
  key: unknown;
}

/** Each defined entry of an object through `part`, shape and key kept side by side. */
function eachEntry(value: Record<string, unknown>, part: (name: string, value: unknown) => Part): Part {
  const shape: Record<string, unknown> = {};
  const key: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (entry === undefined) continue;
    ({ shape: shape[name], key: key[name] } = part(name, entry));
  }
  return { shape, key };
}

function eachItem(list: unknown[], part: (item: unknown) => Part): Part {
  const parts = list.map(part);
  return { shape: parts.map((p) => p.shape), key: parts.map((p) => p.key) };
}

const columnOf = (table: TableConfig, name: string): Column | undefined => (getTableColumns(table.table) as Record<string, Column>)[name];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A nested object of names, booleans and directions ('asc', 'desc'): kept as it is, and in the key. */
function plainLiteral(value: unknown): Part {
  const check = (v: unknown): void => {
    if (isPlainObject(v)) Object.values(v).forEach(check);
    else if (!(v === undefined || typeof v === 'boolean' || typeof v === 'string')) refuse();
  };
  check(value);
  return { shape: value, key: value };
}

/**
 * Makes `db.query.<table>.findMany / findFirst` run one prepared statement per query shape. The
 * returned queries are drizzle's own, with `execute` running the statement of their shape, so
 * `await`, `.then` and `.prepare()` behave as before.
 */
export function prepareQueriesByShape(db: Db): void {
  const statements = new Map<string, { execute(values?: Record<string, unknown>): Promise<unknown> }>();
  const builders = (db as unknown as { query: Record<string, Builder> }).query;
  for (const [table, builder] of Object.entries(builders)) {
    for (const mode of ['findMany', 'findFirst'] as const) {
      const find = builder[mode].bind(builder);
      builder[mode] = (config?: unknown) => {
        const query = find(config);
        let shaped: Part;
        const shaper = new Shaper(builder.schema);
        try {
          shaped = shaper.config(config, builder.tableConfig);
        } catch (error) {
          if (error instanceof Unshaped) return query;
          throw error;
        }
        const key = `${table}.${mode}:${JSON.stringify(shaped.key)}`;
        query.execute = () => {
          let statement = statements.get(key);
          if (!statement) {
            // On PostgreSQL the name makes each connection parse and plan the statement once.
            const name = `shape_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
            statement = find(shaped.shape).prepare(name);
            if (statements.size >= MAX_SHAPES) statements.delete(statements.keys().next().value!);
            statements.set(key, statement);
          }
          return statement.execute(shaper.values);
        };
        return query;
      };
    }
  }
}


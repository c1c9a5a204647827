// Relational queries are built and prepared once per shape. Pothos plans every list and relation
// of a document into one relational query whose filter values change with each request (ids,
// cursors, the time) while its shape does not; building and preparing that statement took about a
// fifth of the server's CPU on the pending-requests scenario. Here each query's values are lifted
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
import type { Db } from '../client.js';

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

  private lift(value: unknown, column: Column | undefined): { shape: unknown; key: unknown } {
    const liftable = (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) && column && column.mapToDriverValue(value) === value;
    return liftable ? this.placeholder(value) : this.literal(value);
  }

  private placeholder(value: unknown): { shape: unknown; key: unknown } {
    const name = `v${this.count++}`;
    this.values[name] = value;
    return { shape: sql.placeholder(name), key: { $: 1 } };
  }

  /**
   * A value kept in the statement: only null and booleans, which give a shape at most two
   * statements. Any other value kept would make one statement per value (and, on PostgreSQL, one
   * named statement per value on every connection): such a query runs as it came.
   */
  private literal(value: unknown): { shape: unknown; key: unknown } {
    if (value === null || typeof value === 'boolean') return { shape: value, key: value };
    return refuse();
  }

  /** A page size or offset: always a plain number. */
  private size(value: unknown): { shape: unknown; key: unknown } {
    return typeof value === 'number' && Number.isInteger(value) ? this.placeholder(value) : refuse();
  }

  private static readonly SCALAR_OPERATORS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'like', 'notLike', 'ilike', 'notIlike']);
  private static readonly FLAG_OPERATORS = new Set(['isNull', 'isNotNull']);
  private static readonly LIST_OPERATORS = new Set(['in', 'notIn']);

  private columnFilter(value: unknown, column: Column): { shape: unknown; key: unknown } {
    if (!isPlainObject(value)) return this.lift(value, column);
    const shape: Record<string, unknown> = {};
    const key: Record<string, unknown> = {};
    for (const [operator, operand] of Object.entries(value)) {
      if (operand === undefined) continue;
      let part: { shape: unknown; key: unknown };
      if (Shaper.SCALAR_OPERATORS.has(operator)) part = this.lift(operand, column);
      else if (Shaper.FLAG_OPERATORS.has(operator)) part = this.literal(operand);
      else if (Shaper.LIST_OPERATORS.has(operator) && Array.isArray(operand) && operand.length <= MAX_LIST) {
        const items = operand.map((item) => this.lift(item, column));
        part = { shape: items.map((i) => i.shape), key: items.map((i) => i.key) };
      } else return refuse();
      shape[operator] = part.shape;
      key[operator] = part.key;
    }
    return { shape, key };
  }

  filter(value: unknown, table: TableConfig): { shape: unknown; key: unknown } {
    if (typeof value === 'boolean') return { shape: value, key: value };
    if (!isPlainObject(value)) return refuse();
    const shape: Record<string, unknown> = {};
    const key: Record<string, unknown> = {};
    for (const [name, operand] of Object.entries(value)) {
      if (operand === undefined) continue;
      let part: { shape: unknown; key: unknown };
      if (name === 'AND' || name === 'OR') {
        if (!Array.isArray(operand)) return refuse();
        const items = operand.map((item) => this.filter(item, table));
        part = { shape: items.map((i) => i.shape), key: items.map((i) => i.key) };
      } else if (name === 'NOT') part = this.filter(operand, table);
      else if (columnOf(table, name)) part = this.columnFilter(operand, columnOf(table, name)!);
      else if (table.relations[name]) part = this.filter(operand, this.target(table, name));
      else return refuse();
      shape[name] = part.shape;
      key[name] = part.key;
    }
    return { shape, key };
  }

  private target(table: TableConfig, relation: string): TableConfig {
    return this.schema[table.relations[relation]!.targetTableName] ?? refuse();
  }

  config(value: unknown, table: TableConfig): { shape: unknown; key: unknown } {
    if (value === true || value === undefined) return { shape: value, key: value ?? null };
    if (!isPlainObject(value)) return refuse();
    const shape: Record<string, unknown> = {};
    const key: Record<string, unknown> = {};
    for (const [name, option] of Object.entries(value)) {
      if (option === undefined) continue;
      let part: { shape: unknown; key: unknown };
      switch (name) {
        case 'columns':
        case 'orderBy':
          part = plainLiteral(option);
          break;
        case 'where':
          part = this.filter(option, table);
          break;
        case 'limit':
        case 'offset':
          part = this.size(option);
          break;
        case 'extras':
          if (!isPlainObject(option) || Object.keys(option).length > 0) return refuse();
          part = { shape: option, key: {} };
          break;
        case 'with': {
          if (!isPlainObject(option)) return refuse();
          const nested = Object.entries(option).map(([relation, config]) => [relation, table.relations[relation] ? this.config(config, this.target(table, relation)) : refuse()] as const);
          part = { shape: Object.fromEntries(nested.map(([r, p]) => [r, p.shape])), key: Object.fromEntries(nested.map(([r, p]) => [r, p.key])) };
          break;
        }
        default:
          return refuse();
      }
      shape[name] = part.shape;
      key[name] = part.key;
    }
    return { shape, key };
  }
}

const columnOf = (table: TableConfig, name: string): Column | undefined => (getTableColumns(table.table) as Record<string, Column>)[name];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A nested object of names, booleans and directions ('asc', 'desc'): kept as it is, and in the key. */
function plainLiteral(value: unknown): { shape: unknown; key: unknown } {
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
        let shaped: { shape: unknown; key: unknown };
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


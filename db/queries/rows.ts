// The schema's reads: flat relational queries (no nested selections), one statement per list and
// per batch of ids. A visibility rule's filter (schema/policies) goes in the WHERE; what each object
// shows is its own row, and relations load through per-request loaders (schema/loaders.ts).
import { and, count, inArray, type Column, type SQL, type Table } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db.js';

export type TableName = keyof Db['query'];
/** A whole row of a table, as a flat relational query reads it. */
export type Row<T extends TableName> = NonNullable<Awaited<ReturnType<Db['query'][T]['findFirst']>>>;
type Config<T extends TableName> = NonNullable<Parameters<Db['query'][T]['findMany']>[0]>;
export type Where<T extends TableName> = NonNullable<Config<T>['where']>;
export type Direction = 'asc' | 'desc';
/** The ordering of a list: columns with their direction, the last one unique (the id). */
export type Ordering = readonly (readonly [column: string, direction: Direction])[];

interface FlatQuery {
  where?: unknown;
  orderBy?: Record<string, Direction>;
  limit?: number;
}
const findMany = <T extends TableName>(db: Db, table: T, query: FlatQuery): Promise<Row<T>[]> =>
  (db.query[table] as unknown as { findMany(q: FlatQuery): Promise<Row<T>[]> }).findMany(query);

const allOf = (clauses: unknown[]): unknown => {
  const present = clauses.filter((c) => c !== undefined);
  return present.length > 1 ? { AND: present } : present[0];
};

/** Rows by id, in one statement; `where` narrows them (a visibility filter). */
export function rowsByIds<T extends TableName>(db: Db, table: T, ids: readonly string[], where?: Where<T>): Promise<Row<T>[]> {
  return findMany(db, table, { where: allOf([{ id: { in: [...ids] } }, where]) });
}

/** The rows whose `column` is one of `values`, in one statement, ordered. */
export function rowsByColumn<T extends TableName>(
  db: Db,
  table: T,
  column: string,
  values: readonly unknown[],
  options: { where?: Where<T>; orderBy?: Ordering } = {},
): Promise<Row<T>[]> {
  return findMany(db, table, { where: allOf([{ [column]: { in: [...values] } }, options.where]), orderBy: orderOf(options.orderBy) });
}

const orderOf = (ordering: Ordering | undefined, inverted = false) =>
  ordering && Object.fromEntries(ordering.map(([column, direction]) => [column, inverted ? (direction === 'asc' ? 'desc' : 'asc') : direction]));

/**
 * Rows past a position in an ordering: those where the first column that differs from the
 * position's values differs in the paging direction.
 */
function pastPosition(ordering: Ordering, values: readonly unknown[], forward: boolean): unknown {
  const parts = ordering.map(([column, direction], index) => {
    const op = (direction === 'asc') === forward ? 'gt' : 'lt';
    const equalBefore = ordering.slice(0, index).map(([c], i) => ({ [c]: { eq: values[i] } }));
    return allOf([...equalBefore, { [column]: { [op]: values[index] } }]);
  });
  return parts.length > 1 ? { OR: parts } : parts[0];
}

export interface PageQuery<T extends TableName> {
  where?: Where<T>;
  ordering: Ordering;
  /** The ordering values of the row to start after or before (from a cursor). */
  after?: readonly unknown[];
  before?: readonly unknown[];
  limit: number;
  /** Read backwards from the end (a `last` page): the rows come in reverse order. */
  inverted: boolean;
}

/** One page of a list, in one statement. */
export function pageOfRows<T extends TableName>(db: Db, table: T, page: PageQuery<T>): Promise<Row<T>[]> {
  const where = allOf([
    page.where,
    page.after && pastPosition(page.ordering, page.after, true),
    page.before && pastPosition(page.ordering, page.before, false),
  ]);
  return findMany(db, table, { where, orderBy: orderOf(page.ordering, page.inverted), limit: page.limit });
}

/** How many rows of `table` have each of `values` in `column` (and match `where`), in one statement. */
export async function countsByColumn(db: Db, table: Table, column: Column, values: readonly unknown[], where?: SQL): Promise<Map<unknown, number>> {
  const rows = await db
    .select({ key: column, n: count() })
    .from(table as SQLiteTable)
    .where(and(inArray(column, [...values]), where))
    .groupBy(column);
  return new Map(rows.map((r) => [r.key, r.n]));
}

// Per-request loaders: a relation asked of every object on a page loads in one statement per
// relation, and a row asked for twice in a request is read once. What may be seen is not decided
// here: the field's type checks its rule on each object (schema/rules.ts), and a list's SQL filter
// (schema/policies) only keeps the statement from reading rows the rule would refuse.
import { resolveCursorConnection, type DefaultConnectionArguments } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { Column, SQL, Table } from 'drizzle-orm';
import { notFound } from '../db/errors.js';
import { countsByColumn, pageOfRows, rowsByColumn, rowsByIds, type Ordering, type Row, type TableName, type Where } from '../db/queries/rows.js';
import type { Context } from '../services/context.js';
import { builder, PAGE_SIZE } from './builder.js';
import { loadersOf } from './request-loaders.js';
import { ruleOf } from './rules.js';


/** The request's loader named `key`, made by `batch` the first time it is asked for. */
export function loaderFor<K, V>(ctx: Context, key: string, batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>): DataLoader<K, V> {
  const loaders = loadersOf(ctx);
  let loader = loaders.get(key) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(batch, { maxBatchSize: PAGE_SIZE.max });
    loaders.set(key, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

/** A row by id (null for none), batched with the other rows of its table asked for in the request. */
export function rowById<T extends TableName>(ctx: Context, table: T, id: string): Promise<Row<T> | null>;
export function rowById<T extends TableName>(ctx: Context, table: T, id: string | null | undefined): Promise<Row<T> | null>;
export function rowById<T extends TableName>(ctx: Context, table: T, id: string | null | undefined): Promise<Row<T> | null> {
  if (id == null) return Promise.resolve(null);
  return loaderFor<string, Row<T> | null>(ctx, `id:${table}`, async (ids) => {
    const rows = new Map((await rowsByIds(ctx.deps.db, table, ids)).map((r) => [(r as { id: string }).id, r]));
    return ids.map((id) => rows.get(id) ?? null);
  }).load(id);
}

/** Rows by id in the order asked, leaving out ids with no row. */
export async function rowsById<T extends TableName>(ctx: Context, table: T, ids: readonly string[]): Promise<Row<T>[]> {
  const rows: (Row<T> | null)[] = await Promise.all(ids.map((id) => rowById(ctx, table, id)));
  return rows.filter((r): r is Row<T> => r !== null);
}

/**
 * The rows of `table` whose `column` is `value` (a parent's children), batched across the parents
 * of the request. `name` tells the relation apart: it and the viewer decide `where`.
 */
export function rowsWhere<T extends TableName>(
  ctx: Context,
  name: string,
  table: T,
  column: string,
  value: unknown,
  options: { where?: Where<T>; orderBy?: Ordering } = {},
): Promise<Row<T>[]> {
  return loaderFor<unknown, Row<T>[]>(ctx, `rel:${name}`, async (values) => {
    const groups = new Map<unknown, Row<T>[]>(values.map((v) => [v, []]));
    for (const row of await rowsByColumn(ctx.deps.db, table, column, values, options)) {
      groups.get((row as Record<string, unknown>)[column])?.push(row);
    }
    return values.map((v) => groups.get(v)!);
  }).load(value);
}

const badCursor = () => new GraphQLError('This cursor does not come from this list. Start again from the first page.', { extensions: { code: 'BAD_USER_INPUT' } });

/** A cursor's position: the row's ordering values (the cursor is sealed for its list by server/cursors.ts). */
function positionOf(cursor: string, ordering: Ordering): unknown[] {
  let values: unknown;
  try {
    values = JSON.parse(cursor);
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(values) || values.length !== ordering.length || values.some((v) => typeof v !== 'string' && typeof v !== 'number')) throw badCursor();
  return values;
}

/**
 * One page of a list as a connection: one statement with the list's filter, its ordering (the last
 * column unique) and the position of `after`/`before`.
 */
export function connectionOf<T extends TableName>(
  ctx: Context,
  table: T,
  args: DefaultConnectionArguments,
  list: { where?: Where<T>; ordering: Ordering },
) {
  return resolveCursorConnection(
    {
      args,
      defaultSize: PAGE_SIZE.default,
      maxSize: PAGE_SIZE.max,
      toCursor: (row: unknown) => JSON.stringify(list.ordering.map(([column]) => (row as Record<string, unknown>)[column])),
    },
    ({ after, before, limit, inverted }) =>
      pageOfRows(ctx.deps.db, table, {
        where: list.where,
        ordering: list.ordering,
        after: after === undefined ? undefined : positionOf(after, list.ordering),
        before: before === undefined ? undefined : positionOf(before, list.ordering),
        limit,
        inverted,
      }),
  );
}

/** A node type's loader for node(id): rows in the order of the ids, null where there is none. */
export const nodesOf =
  <T extends TableName>(table: T) =>
  (ids: string[], ctx: Context): Promise<(Row<T> | null)[]> =>
    Promise.all(ids.map((id) => rowById(ctx, table, id)));

/** How many rows of `table` have the parent's `value` in `column` (and match `where`), batched across parents. */
export function countOf(ctx: Context, name: string, table: Table, column: Column, value: unknown, where?: SQL): Promise<number> {
  return loaderFor<unknown, number>(ctx, `count:${name}`, async (values) => {
    const counts = await countsByColumn(ctx.deps.db, table, column, values, where);
    return values.map((v) => counts.get(v) ?? 0);
  }).load(value);
}

/** The row, or null when the viewer may not see it by its type's rule (a lookup that answers null). */
export async function visibleOrNull<R>(ctx: Context, typename: string, row: R | null | undefined): Promise<R | null> {
  if (row == null) return null;
  const rule = ruleOf(builder, typename);
  if (!rule) throw new Error(`${typename} has no rule`);
  return (await rule(row, ctx)) ? row : null;
}

/** The rows the viewer may see by their type's rule. */
export async function visibleOnly<R>(ctx: Context, typename: string, rows: readonly R[]): Promise<R[]> {
  const rule = ruleOf(builder, typename);
  if (!rule) throw new Error(`${typename} has no rule`);
  const allowed = await Promise.all(rows.map((row) => rule(row, ctx)));
  return rows.filter((_row, i) => allowed[i]);
}

/** A row that must exist (a foreign key's target). */
export async function rowOf<T extends TableName>(ctx: Context, table: T, id: string): Promise<Row<T>> {
  const row = await rowById(ctx, table, id);
  if (!row) throw notFound();
  return row;
}

// What differs between the engines' drivers, in one place, so commands are written once.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../client.js';

/**
 * The rows of a raw statement: drizzle on better-sqlite3 runs it with `all`, on node-postgres with
 * `execute` (rows on the result).
 */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const engine = db as unknown as { all?: (q: SQL) => T[]; execute: (q: SQL) => Promise<{ rows: T[] }> };
  return engine.all ? engine.all(query) : (await engine.execute(query)).rows;
}

/** Rows an UPDATE or DELETE changed: better-sqlite3 says `changes`, node-postgres `rowCount`. */
export function affected(result: unknown): number {
  const r = result as { changes?: number; rowCount?: number | null };
  return Number(r.changes ?? r.rowCount ?? 0);
}

/**
 * Whole days from `at` until `now`, 0 when `at` is not before it, for ISO-8601 UTC text timestamps
 * as the code base writes them (YYYY-MM-DDTHH:MM:SS.sssZ). Integer arithmetic on the text, so the
 * same statement runs on both engines: SQLite has julianday() and PostgreSQL timestamptz, neither
 * the other's. Equal to SQLite's max(0, cast(julianday(now) - julianday(at) as integer)).
 */
export function daysBefore(at: SQL, now: string): SQL {
  const part = (from: number, length: number) => sql`cast(substr(${at}, ${sql.raw(`${from}, ${length}`)}) as integer)`;
  // Days since 1970-01-01 of the date: a year counted from March puts the leap day last.
  const month = part(6, 2);
  const year = sql`(${part(1, 4)} - case when ${month} <= 2 then 1 else 0 end)`;
  const day = sql`(365 * ${year} + ${year} / 4 - ${year} / 100 + ${year} / 400 + (153 * ((${month} + 9) % 12) + 2) / 5 + ${part(9, 2)} - 719469)`;
  const nowDay = Date.parse(now.slice(0, 10)) / 86_400_000;
  // A day is whole once the time of day of `at` is reached again: fixed-width text compares as time.
  const partDay = sql`case when substr(${at}, 12) > ${now.slice(11)} then 1 else 0 end`;
  return sql`case when ${at} < ${now} then ${nowDay} - ${day} - ${partDay} else 0 end`;
}

/** Whether `db` is drizzle on better-sqlite3 (it has `all`) rather than on node-postgres. */
function onSqlite(db: Db): boolean {
  return typeof (db as unknown as { all?: unknown }).all === 'function';
}

/**
 * A JSON text array's elements as a table of one column, `value`: SQLite's json_each, PostgreSQL's
 * json_array_elements_text. On PostgreSQL through unnest(array(…)), which the planner takes for 10
 * rows: a set-returning function is taken for 100, and a page of ids then scanned whole tables.
 */
function jsonElements(db: Db, array: SQLWrapper): SQL {
  return onSqlite(db) ? sql`json_each(${array})` : sql`unnest(array(select json_array_elements_text(cast(${array} as json)))) as t(value)`;
}

/** Whether the JSON text array in `column` holds `value`. */
export function jsonArrayContains(db: Db, column: SQLWrapper, value: unknown): SQL {
  return sql`exists (select 1 from ${jsonElements(db, column)} where value = ${value})`;
}

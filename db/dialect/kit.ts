// What differs between the engines' drivers, in one place, so commands are written once.

/** Rows an UPDATE or DELETE changed: better-sqlite3 says `changes`, node-postgres `rowCount`. */
export function affected(result: unknown): number {
  const r = result as { changes?: number; rowCount?: number | null };
  return Number(r.changes ?? r.rowCount ?? 0);
}

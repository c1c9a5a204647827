// The viewer's memberships, loaded once per request and shared by every visibility rule.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessFor, loadViewerAccess, type AccessSubject, type ViewerAccess } from '../../db/queries/access.js';
import type { Context } from '../../services/context.js';

export type { ViewerAccess };

/** What the request's viewer belongs to, loaded with the context (server/context.ts). */
export const viewerAccess = (ctx: Context): ViewerAccess => ctx.access;

/** A mutation that changed the viewer's own memberships reloads them, so what it returns is checked against them. */
export async function refreshViewerAccess(ctx: Context): Promise<void> {
  ctx.access = await accessFor(ctx.deps.db, ctx.viewer);
}

type Tables = Db['query'];
/** The relational-query filter of one table, as the policies build them. */
export type Where<T extends keyof Tables> = NonNullable<NonNullable<Parameters<Tables[T]['findMany']>[0]>['where']>;

/**
 * A filter matching no row: a viewer with no membership sees nothing of that kind. A comparison,
 * as PostgreSQL takes no integer for a condition.
 */
export const NOTHING = { RAW: sql`1 = 0` } as const;

/** OR of the clauses that apply to this viewer, or nothing when none does. */
export function anyOf<T extends keyof Tables>(clauses: (Where<T> | false)[]): Where<T> {
  const apply = clauses.filter((c): c is Where<T> => c !== false);
  return (apply.length ? { OR: apply } : NOTHING) as Where<T>;
}

export const ids = (set: ReadonlySet<string>) => [...set];

/** The memberships of an account other than the request's own (e.g. a staff member just added). */
export async function accessOf(ctx: Context, subject: AccessSubject): Promise<ViewerAccess> {
  return subject.accountId === ctx.viewer?.accountId ? viewerAccess(ctx) : loadViewerAccess(ctx.deps.db, subject);
}

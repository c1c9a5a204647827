// The viewer's memberships, loaded once per request and shared by every visibility rule.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { loadViewerAccess, NO_ACCESS, type AccessSubject, type ViewerAccess } from '../../db/queries/access.js';
import type { Context } from '../../server/context.js';

export type { ViewerAccess };

const loaded = new WeakMap<Context, ViewerAccess>();

export function viewerAccess(ctx: Context): ViewerAccess {
  if (!ctx.viewer) return NO_ACCESS;
  let access = loaded.get(ctx);
  if (!access) {
    access = loadViewerAccess(ctx.deps.db, ctx.viewer);
    loaded.set(ctx, access);
  }
  return access;
}

/** A mutation that changed the viewer's own memberships calls this, so what it returns is checked against them. */
export function forgetViewerAccess(ctx: Context): void {
  loaded.delete(ctx);
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

/** The memberships of an account other than the request's own (e.g. the one a sign-in just opened). */
export function accessOf(ctx: Context, subject: AccessSubject): ViewerAccess {
  return subject.accountId === ctx.viewer?.accountId ? viewerAccess(ctx) : loadViewerAccess(ctx.deps.db, subject);
}

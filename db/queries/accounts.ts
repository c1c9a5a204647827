import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { accounts, merchantStaff, sessions } from '../tables/index.js';
import { preparedPer, statementName } from './prepared.js';

export interface ViewerRow {
  accountId: string;
  kind: 'MERCHANT' | 'CUSTOMER';
  displayName: string;
  tokenVersion: number;
  merchantId: string | null;
  staffRole: 'OWNER' | 'STAFF' | null;
  canViewContacts: boolean;
}

// Runs on every authenticated request: the session lookup is what makes sign-out take effect at once.
const viewerRowStatement = preparedPer((db) =>
  db
    .select({
      accountId: accounts.id,
      kind: accounts.kind,
      displayName: accounts.displayName,
      tokenVersion: accounts.tokenVersion,
      disabledAt: accounts.disabledAt,
      merchantId: merchantStaff.merchantId,
      staffRole: merchantStaff.role,
      canViewContacts: merchantStaff.canViewContacts,
      sessionRevokedAt: sessions.revokedAt,
    })
    .from(accounts)
    .innerJoin(sessions, and(eq(sessions.id, sql.placeholder('sessionId')), eq(sessions.accountId, accounts.id)))
    .leftJoin(merchantStaff, eq(merchantStaff.accountId, accounts.id))
    .where(eq(accounts.id, sql.placeholder('accountId')))
    .prepare(...statementName('viewer_row')),
);

/** The account behind a verified access token, or null when it or its session is gone. */
export async function loadViewerRow(db: Db, accountId: string, sessionId: string): Promise<ViewerRow | null> {
  const [row] = await viewerRowStatement(db).execute({ accountId, sessionId });
  if (!row || row.disabledAt || row.sessionRevokedAt) return null;
  return {
    accountId: row.accountId,
    kind: row.kind,
    displayName: row.displayName,
    tokenVersion: row.tokenVersion,
    merchantId: row.merchantId,
    staffRole: row.staffRole,
    canViewContacts: row.canViewContacts ?? false,
  };
}

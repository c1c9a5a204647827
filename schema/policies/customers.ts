// Who may see customer records. Each rule is a predicate on a loaded row and the matching
// relational-query filter for lists, so a list never shows what a lookup would refuse.
// (Contact fields are a separate matter: only the vault decides who reads those.)
import { eq, sql, type SQL } from 'drizzle-orm';
import { customers } from '../../db/tables/index.js';
import type { Viewer } from '../../services/context.js';
import { NOTHING, type Where } from './access.js';

/** Customer records: only the originating merchant's accounts (owner or staff). */
export const canSeeCustomer = (v: Viewer | null, c: { merchantId: string }) => !!v?.merchantId && v.merchantId === c.merchantId;
export const customerWhere = (v: Viewer | null): Where<'customers'> => (v?.merchantId ? { merchantId: v.merchantId } : NOTHING);
/** The same filter for a count (drizzle core SQL): a count never counts what the list would not show. */
export const customerVisibleSql = (v: Viewer | null): SQL => (v?.merchantId ? eq(customers.merchantId, v.merchantId) : sql`1 = 0`);

/**
 * An invite code is handed to the customer by whoever may read their phone (owner, staff with
 * contact permission). It only starts a claim: the claim also needs a code sent to that phone.
 */
export const canHandOverInvite = (v: Viewer | null, c: { merchantId: string }) => canSeeCustomer(v, c) && !!v?.canViewContacts;

// Who may see contact grants and access-log entries: records about a customer's data, held by a merchant.
import type { Context, Viewer } from '../../services/context.js';
import { rowById } from '../loaders.js';

/** Access-log entries and grants: the merchant they concern, and the customer whose data it is. */
export const canSeeCustomerOwned = (v: Viewer | null, row: { merchantId: string | null; customer: { accountId: string | null } | null }) =>
  !!v && ((!!v.merchantId && v.merchantId === row.merchantId) || (v.kind === 'CUSTOMER' && row.customer?.accountId === v.accountId));

/**
 * The rule of ContactGrant and AccessLogEntry on a whole row: canSeeCustomerOwned with the row's
 * customer record loaded only when the merchant does not already decide it, through the request's
 * batched row loader (one statement for a whole page, whatever its size).
 */
export async function canSeeCustomerOwnedRow(ctx: Context, row: { merchantId: string | null; customerId: string }): Promise<boolean> {
  const v = ctx.viewer;
  if (canSeeCustomerOwned(v, { merchantId: row.merchantId, customer: null })) return true;
  if (v?.kind !== 'CUSTOMER') return false;
  const record = await rowById(ctx, 'customers', row.customerId);
  return canSeeCustomerOwned(v, { merchantId: row.merchantId, customer: record && { accountId: record.accountId } });
}

// Who may see contact grants and access-log entries: records about a customer's data, held by a merchant.
import type { Viewer } from '../../services/context.js';

/** Access-log entries and grants: the merchant they concern, and the customer whose data it is. */
export const customerOwnedSelection = { columns: { merchantId: true }, with: { customer: { columns: { accountId: true } } } } as const;
export const canSeeCustomerOwned = (v: Viewer | null, row: { merchantId: string | null; customer: { accountId: string | null } | null }) =>
  !!v && ((!!v.merchantId && v.merchantId === row.merchantId) || (v.kind === 'CUSTOMER' && row.customer?.accountId === v.accountId));

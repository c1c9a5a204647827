// Who may see referral requests and their consent receipts: a predicate on a loaded row and the
// matching relational-query filter for lists, so a list never shows what a lookup would refuse.
import type { Viewer } from '../../services/context.js';
import { NOTHING, type Where } from './access.js';

/**
 * Referral requests: the requester, the originating merchant, and the customer themself once it
 * reached her (a request held on a record she has not confirmed is not hers to see yet).
 */
export const referralAccessSelection = {
  columns: { requesterMerchantId: true, originMerchantId: true, deliveredAt: true },
  with: { customer: { columns: { accountId: true } } },
} as const;
export interface ReferralAccessRow {
  requesterMerchantId: string;
  originMerchantId: string;
  deliveredAt: string | null;
  customer: { accountId: string | null } | null;
}
export const canSeeReferral = (v: Viewer | null, r: ReferralAccessRow) =>
  !!v &&
  ((!!v.merchantId && (v.merchantId === r.requesterMerchantId || v.merchantId === r.originMerchantId)) ||
    (v.kind === 'CUSTOMER' && r.deliveredAt !== null && r.customer?.accountId === v.accountId));
export const referralWhere = (v: Viewer | null): Where<'referralRequests'> => {
  if (!v) return NOTHING;
  if (v.kind === 'CUSTOMER') return { deliveredAt: { isNotNull: true }, customer: { accountId: v.accountId } };
  return v.merchantId ? { OR: [{ requesterMerchantId: v.merchantId }, { originMerchantId: v.merchantId }] } : NOTHING;
};

/** A consent receipt is the customer's and the requester's record; the origin sees only the outcome. */
export const canSeeReceipt = (v: Viewer | null, r: { requesterMerchantId: string }) => !v?.merchantId || v.merchantId === r.requesterMerchantId;

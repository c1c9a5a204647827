// Who may see referral requests and their consent receipts: a predicate on a loaded row and the
// matching relational-query filter for lists, so a list never shows what a lookup would refuse.
import type { Row } from '../../db/queries/rows.js';
import type { Context, Viewer } from '../../services/context.js';
import { rowById } from '../loaders.js';
import { NOTHING, type Where } from './access.js';

/**
 * Referral requests: the requester, the originating merchant, and the customer themself once it
 * reached her (a request held on a record she has not confirmed is not hers to see yet).
 */
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

/**
 * The account of a customer record (the customer side of the rules that compare it with the
 * viewer's), through the request's batched row loader: one statement for a whole page.
 */
async function customerAccessOf(ctx: Context, customerId: string): Promise<{ accountId: string | null } | null> {
  const record = await rowById(ctx, 'customers', customerId);
  return record && { accountId: record.accountId };
}

/** What canSeeReferral reads of a request: its own columns and its customer record's account. */
export async function referralAccessOf(ctx: Context, r: Row<'referralRequests'>): Promise<ReferralAccessRow> {
  return { ...r, customer: await customerAccessOf(ctx, r.customerId) };
}

/**
 * The ReferralRequest type's rule: canSeeReferral on the row and its customer's account. The two
 * merchants are decided from the row's own columns; the customer record is loaded only when the
 * viewer is a customer who could be its person (a delivered request).
 */
export async function canSeeReferralRow(ctx: Context, r: Row<'referralRequests'>): Promise<boolean> {
  const v = ctx.viewer;
  if (canSeeReferral(v, { ...r, customer: null })) return true;
  if (v?.kind !== 'CUSTOMER' || r.deliveredAt === null) return false;
  return canSeeReferral(v, await referralAccessOf(ctx, r));
}

/** A consent receipt is the customer's and the requester's record; the origin sees only the outcome. */
export const canSeeReceipt = (v: Viewer | null, r: { requesterMerchantId: string }) => !v?.merchantId || v.merchantId === r.requesterMerchantId;

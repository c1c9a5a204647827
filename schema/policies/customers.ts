// Who may see customer-side objects. Each rule is a predicate on a loaded row and the matching
// relational-query filter for lists, so a list never shows what a lookup would refuse.
// (Contact fields are a separate matter: only the vault decides who reads those.)
import type { Viewer } from '../../services/context.js';
import { NOTHING, type Where } from './access.js';

/** Customer records: only the originating merchant's accounts (owner or staff). */
export const canSeeCustomer = (v: Viewer | null, c: { merchantId: string }) => !!v?.merchantId && v.merchantId === c.merchantId;
export const customerWhere = (v: Viewer | null): Where<'customers'> => (v?.merchantId ? { merchantId: v.merchantId } : NOTHING);

/**
 * An invite code is handed to the customer by whoever may read their phone (owner, staff with
 * contact permission). It only starts a claim: the claim also needs a code sent to that phone.
 */
export const canHandOverInvite = (v: Viewer | null, c: { merchantId: string }) => canSeeCustomer(v, c) && !!v?.canViewContacts;

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

/** Interests: the offering merchant (pseudonymous signal) and the customer who expressed it. */
export const canSeeInterest = (v: Viewer | null, i: { offerMerchantId: string; accountId: string }) =>
  !!v && ((!!v.merchantId && v.merchantId === i.offerMerchantId) || (v.kind === 'CUSTOMER' && v.accountId === i.accountId));

export const interestWhere = (v: Viewer | null): Where<'interests'> => (v?.merchantId ? { offerMerchantId: v.merchantId } : NOTHING);

/** The viewer's own interest in an offer (whether they said "I'm interested"). */
export const ownInterestWhere = (v: Viewer | null): Where<'interests'> => ({ accountId: v?.accountId ?? '' });

/** Access-log entries and grants: the merchant they concern, and the customer whose data it is. */
export const customerOwnedSelection = { columns: { merchantId: true }, with: { customer: { columns: { accountId: true } } } } as const;
export const canSeeCustomerOwned = (v: Viewer | null, row: { merchantId: string | null; customer: { accountId: string | null } | null }) =>
  !!v && ((!!v.merchantId && v.merchantId === row.merchantId) || (v.kind === 'CUSTOMER' && row.customer?.accountId === v.accountId));

/**
 * A merchant's own lists (customers, referrals, access log): its owner and staff only.
 * relatedConnection types the parent of its authScopes as the node; at run time it is the merchant.
 */
export const isOwnMerchant = (merchant: unknown, _args: unknown, ctx: { viewer: Viewer | null }) =>
  !!ctx.viewer?.merchantId && ctx.viewer.merchantId === (merchant as { id: string }).id;

// Who may see interests: a predicate on a loaded row and the matching relational-query filters.
import type { Viewer } from '../../services/context.js';
import { NOTHING, type Where } from './access.js';

/** Interests: the offering merchant (pseudonymous signal) and the customer who expressed it. */
export const canSeeInterest = (v: Viewer | null, i: { offerMerchantId: string; accountId: string }) =>
  !!v && ((!!v.merchantId && v.merchantId === i.offerMerchantId) || (v.kind === 'CUSTOMER' && v.accountId === i.accountId));

export const interestWhere = (v: Viewer | null): Where<'interests'> => (v?.merchantId ? { offerMerchantId: v.merchantId } : NOTHING);

/** The viewer's own interest in an offer (whether they said "I'm interested"). */
export const ownInterestWhere = (v: Viewer | null): Where<'interests'> => ({ accountId: v?.accountId ?? '' });

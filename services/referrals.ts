// Referral use cases that need more than one transaction's command: answering a request signs the
// consent receipt (services/receipts.ts) and stores it with the grant (db/commands/referrals.ts).
import * as referrals from '../db/commands/referrals.js';
import { newId } from '../db/ids.js';
import type { AppDeps } from './context.js';
import { signReceipt } from './receipts.js';

/**
 * The customer answers a request. An acceptance is signed first (a transaction awaits only the
 * database), then the transaction re-checks the request and stores grant and receipt.
 */
export async function answerReferral(deps: AppDeps, accountId: string, referralId: string, response: referrals.Response): Promise<string> {
  const at = new Date();
  let receipt: string | null = null;
  let granted: referrals.Response['fields'];
  if (response.accept) {
    const facts = await referrals.referralFacts(deps.db, accountId, referralId);
    granted = referrals.grantedFieldsFor(facts.requestedFields, response.fields);
    receipt = await signReceipt(deps, {
      receiptId: newId(),
      issuedAt: at.toISOString(),
      // As the requester sees the customer: the receipt is shown to both of them.
      customer: deps.vault.pseudonymFor(facts.customerId, facts.requesterMerchantId),
      requester: { id: facts.requesterMerchantId, name: facts.requesterName },
      origin: { id: facts.originMerchantId, name: facts.originName },
      purpose: facts.purpose,
      fields: granted,
      validUntil: referrals.grantValidUntil(at, facts.retentionDays),
      noticeVersion: facts.requesterNoticeVersion,
    });
  }
  // The granted fields go along: the transaction need not read the request to answer it.
  return referrals.respondToReferral(deps.db, accountId, referralId, response, { at, receipt, granted: granted ?? undefined });
}

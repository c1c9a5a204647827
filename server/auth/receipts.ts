// Consent receipts: a compact JWS, signed with the platform's Ed25519 key (kid in the header),
// recording who granted what to whom, for which purpose and until when. Pseudonyms only.
import { CompactSign, compactVerify, type JWTHeaderParameters } from 'jose';
import * as referrals from '../../db/commands/referrals.js';
import { newId } from '../../db/ids.js';
import type { AppDeps } from '../context.js';

export const RECEIPT_TYP = 'consent-receipt+jws';

export interface ConsentReceipt {
  receiptId: string;
  issuedAt: string;
  customer: string;
  requester: { id: string; name: string };
  origin: { id: string; name: string };
  purpose: string;
  fields: string[];
  validUntil: string;
  noticeVersion: number | null;
}

export async function signReceipt(deps: AppDeps, receipt: ConsentReceipt): Promise<string> {
  const { kid, privateKey } = deps.keys.current;
  return new CompactSign(new TextEncoder().encode(JSON.stringify(receipt)))
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: RECEIPT_TYP })
    .sign(privateKey);
}

/** Verifies against the platform's keys (current and retired); throws when tampered or unknown. */
export async function verifyReceipt(deps: AppDeps, jws: string): Promise<ConsentReceipt> {
  const { payload } = await compactVerify(jws, (header: JWTHeaderParameters) => {
    const key = header.kid ? deps.keys.verifying.get(header.kid) : undefined;
    if (!key) throw new Error('unknown signing key');
    return key;
  }, { algorithms: ['EdDSA'] });
  return JSON.parse(new TextDecoder().decode(payload)) as ConsentReceipt;
}

/**
 * The customer answers a request. An acceptance is signed first (a transaction awaits only the
 * database), then the transaction re-checks the request and stores grant and receipt.
 */
export async function answerReferral(deps: AppDeps, accountId: string, referralId: string, response: referrals.Response): Promise<string> {
  const at = new Date();
  let receipt: string | null = null;
  if (response.accept) {
    const facts = await referrals.referralFacts(deps.db, accountId, referralId);
    receipt = await signReceipt(deps, {
      receiptId: newId(),
      issuedAt: at.toISOString(),
      // As the requester sees the customer: the receipt is shown to both of them.
      customer: deps.vault.pseudonymFor(facts.customerId, facts.requesterMerchantId),
      requester: { id: facts.requesterMerchantId, name: facts.requesterName },
      origin: { id: facts.originMerchantId, name: facts.originName },
      purpose: facts.purpose,
      fields: referrals.grantedFieldsFor(facts.requestedFields, response.fields),
      validUntil: referrals.grantValidUntil(at, facts.retentionDays),
      noticeVersion: facts.requesterNoticeVersion,
    });
  }
  return referrals.respondToReferral(deps.db, accountId, referralId, response, { at, receipt });
}

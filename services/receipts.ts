// Consent receipts: a compact JWS, signed with the platform's Ed25519 key (kid in the header),
// recording who granted what to whom, for which purpose and until when. Pseudonyms only.
import { CompactSign, compactVerify, type JWTHeaderParameters } from 'jose';
import type { AppDeps } from './context.js';

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

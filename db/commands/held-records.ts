// Shops that hold my number: the person's answer to records shops made with her phone. She
// confirms one (it becomes hers, and what was held on it is delivered) or disowns it (it is
// erased and counts against the shop).
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conflict, notFound } from '../errors.js';
import { nowIso } from '../ids.js';
import { customerInvites, customers } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import type { Vault } from '../vault.js';
import { noteDisownedRecord } from './alerts.js';
import { DEFAULT_CONSENT, latestConsent } from '../queries/consent.js';
import { appendConsent } from './consent.js';
import { deliverHeldRequests, isConfirmed } from './referrals.js';
import { eraseRecords } from './rights.js';

export type HeldRecord = Awaited<ReturnType<Vault['recordsHoldingPhoneOf']>>[number];

/** Every record with the account's verified phone; a record without it is not hers to see. */
export const heldRecordsOf = (db: Db, vault: Vault, accountId: string): Promise<HeldRecord[]> => vault.recordsHoldingPhoneOf(db, accountId);

async function heldRecord(tx: Tx, vault: Vault, accountId: string, customerId: string): Promise<HeldRecord> {
  const [held] = await vault.recordsHoldingPhoneOf(tx, accountId, customerId);
  if (!held) throw notFound('record');
  return held;
}

/**
 * Signed in with the verified phone, she says "yes, I am this shop's customer": the record joins
 * her account (her settings govern it), its invites are spent, and the requests held on it are
 * delivered under her rules. The consent history records the step.
 */
export function confirmHeldRecord(db: Db, vault: Vault, accountId: string, customerId: string): Promise<HeldRecord> {
  return inTransaction(db, async (tx) => {
    const held = await heldRecord(tx, vault, accountId, customerId);
    if (isConfirmed(held.record)) return held;
    const now = nowIso();
    await tx.update(customers).set({ accountId, claimedAt: now }).where(eq(customers.id, customerId));
    await tx.update(customerInvites).set({ usedAt: now }).where(and(eq(customerInvites.customerId, customerId), isNull(customerInvites.usedAt)));
    const settings = (await latestConsent(tx, accountId))?.settings ?? DEFAULT_CONSENT;
    await appendConsent(tx, accountId, settings, 'CUSTOMER', `confirmed being a customer of ${held.merchant.name}`);
    await deliverHeldRequests(tx, customerId, accountId);
    return { ...held, record: { ...held.record, accountId, claimedAt: now } };
  });
}

/**
 * "I never gave this shop my number": the record is erased (what was held on it is declined) and
 * counted against the shop, whose new records pause once enough people say so. A record she
 * confirmed is hers to erase, not to disown.
 */
export function disownHeldRecord(db: Db, vault: Vault, accountId: string, customerId: string, alertThreshold: number): Promise<true> {
  return inTransaction(db, async (tx) => {
    const held = await heldRecord(tx, vault, accountId, customerId);
    if (isConfirmed(held.record)) throw conflict('You confirmed being a customer of this shop: erase your data there instead.');
    const now = nowIso();
    await eraseRecords(tx, vault, [customerId], now);
    await tx.update(customers).set({ disownedAt: now }).where(eq(customers.id, customerId));
    await noteDisownedRecord(tx, held.record.merchantId, alertThreshold, now);
    return true as const;
  });
}

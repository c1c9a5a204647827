// A customer's rights over their data (PIPL Art. 44-47, GDPR Art. 15-17): a copy of everything,
// correction at every merchant, and erasure that keeps only non-identifying facts.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { conflict, notFound } from '../errors.js';
import { nowIso } from '../ids.js';
import {
  accessLog,
  campaignVariantAssignments,
  campaignVariants,
  campaigns,
  accounts,
  communities,
  communityMembers,
  consentVersions,
  contactGrants,
  conversions,
  customerInvites,
  customers,
  interests,
  merchants,
  notifications,
  offers,
  purchases,
  referralEvents,
  referralRequests,
  sessions,
} from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import { useCode } from './codes.js';
import { enqueueReferralEvent } from './outbox.js';
import type { Identity, Reader, Vault } from '../vault.js';

/**
 * Every table that holds something about a customer, and how the export covers it. A test
 * compares this with the tables in db/tables: a new table about customers must be added here.
 */
export const EXPORTED_TABLES = [
  'customers',
  'customer_identities',
  'customer_invites',
  'consent_versions',
  'interests',
  'referral_requests',
  'contact_grants',
  'conversions',
  'purchases',
  'community_members',
  'access_log',
  'accounts',
  'referral_events',
  'notifications',
  'campaign_variant_assignments',
] as const;

/**
 * One JSON document of everything held about this customer account, at every merchant, read in one
 * transaction: a snapshot, so a change committed meanwhile shows everywhere in it or nowhere.
 */
export function exportCustomerData(db: Db, vault: Vault, reader: Reader): Promise<Record<string, unknown>> {
  return inTransaction(db, (tx) => exportWithin(tx, vault, reader));
}

async function exportWithin(db: Tx, vault: Vault, reader: Reader): Promise<Record<string, unknown>> {
  const accountId = reader.accountId;
  const records = await db
    .select({ record: customers, merchant: merchants.name })
    .from(customers)
    .innerJoin(merchants, eq(merchants.id, customers.merchantId))
    .where(eq(customers.accountId, accountId));
  const recordIds = records.map((r) => r.record.id);
  // The identity read is logged (kind SELF) like any other read of personal information.
  const identities = await vault.readSelf(reader, undefined, db);
  const [account] = await db.select({ id: accounts.id, createdAt: accounts.createdAt }).from(accounts).where(eq(accounts.id, accountId));
  const requests = await db.select().from(referralRequests).where(inArray(referralRequests.customerId, recordIds));
  const requestIds = requests.map((r) => r.id);
  const held = await vault.recordsHoldingPhoneOf(db, accountId);
  return {
    exportedAt: nowIso(),
    account,
    // Every shop holding her verified phone, confirmed or not: what it holds and declared, not the values.
    shopsHoldingMyNumber: held.map(({ record, merchant, fields }) => ({
      merchant: merchant.name,
      recordId: record.id,
      fields,
      consentSource: record.consentSource,
      consentCollectedAt: record.consentCollectedAt,
      consentCollectedWhere: record.consentCollectedWhere,
      createdAt: record.createdAt,
      confirmed: record.accountId === accountId && record.claimedAt !== null,
    })),
    records: records.map(({ record, merchant }) => ({
      merchant,
      customerId: record.id,
      identity: identities.get(record.id) ?? null,
      tags: record.tags,
      consentSource: record.consentSource,
      consentCollectedAt: record.consentCollectedAt,
      consentCollectedWhere: record.consentCollectedWhere,
      createdAt: record.createdAt,
      claimedAt: record.claimedAt,
      erasedAt: record.erasedAt,
    })),
    invites: await db
      .select({ customerId: customerInvites.customerId, createdAt: customerInvites.createdAt, expiresAt: customerInvites.expiresAt, usedAt: customerInvites.usedAt })
      .from(customerInvites)
      .where(inArray(customerInvites.customerId, recordIds)),
    consentVersions: await db.select().from(consentVersions).where(inArray(consentVersions.subjectId, [accountId, ...recordIds])),
    interests: await db
      .select({ offer: offers.title, note: interests.note, createdAt: interests.createdAt })
      .from(interests)
      .innerJoin(offers, eq(offers.id, interests.offerId))
      .where(eq(interests.accountId, accountId)),
    referralRequests: requests.map(({ consentReceipt: _receipt, ...r }) => r),
    grants: await db.select().from(contactGrants).where(inArray(contactGrants.customerId, recordIds)),
    conversions: await db.select().from(conversions).where(inArray(conversions.referralId, requestIds)),
    purchases: await db
      .select({ merchant: merchants.name, amount: purchases.amount, at: purchases.at })
      .from(purchases)
      .innerJoin(merchants, eq(merchants.id, purchases.merchantId))
      .where(inArray(purchases.customerId, recordIds))
      .orderBy(purchases.at),
    communities: await db
      .select({ community: communities.name, joinedAt: communityMembers.joinedAt, leftAt: communityMembers.leftAt })
      .from(communityMembers)
      .innerJoin(communities, eq(communities.id, communityMembers.communityId))
      .where(eq(communityMembers.accountId, accountId)),
    accessLog: await db.select().from(accessLog).where(inArray(accessLog.customerId, recordIds)),
    referralEvents: await db.select().from(referralEvents).where(inArray(referralEvents.referralId, requestIds)),
    notifications: await db.select().from(notifications).where(eq(notifications.accountId, accountId)),
    // Which presentation of a campaign the customer was shown (A/B variants).
    campaignVariantsShown: await db
      .select({ campaign: campaigns.title, variant: campaignVariants.label, title: campaignVariants.title, assignedAt: campaignVariantAssignments.assignedAt })
      .from(campaignVariantAssignments)
      .innerJoin(campaignVariants, eq(campaignVariants.id, campaignVariantAssignments.variantId))
      .innerJoin(campaigns, eq(campaigns.id, campaignVariantAssignments.campaignId))
      .where(eq(campaignVariantAssignments.accountId, accountId)),
  };
}

/** Corrects the customer's identity at every merchant that holds it (not erased ones). */
/**
 * The customer corrects their details at every merchant. A new phone comes with a checked code
 * sent to it (`phoneChange.codeId`), used here; one phone belongs to one account.
 */
export function correctCustomerData(db: Db, vault: Vault, accountId: string, changes: Omit<Partial<Identity>, 'phone'>, phoneChange?: { phone: string; codeId: string }) {
  return inTransaction(db, async (tx) => {
    const records = await tx.select().from(customers).where(and(eq(customers.accountId, accountId), isNull(customers.erasedAt)));
    if (records.length === 0) throw notFound('customer record');
    if (phoneChange) {
      await useCode(tx, phoneChange.codeId);
      for (const clash of await vault.customersWithPhone(tx, phoneChange.phone)) {
        // Only the phone's holder gets here (they read the code), so the answer may say why.
        if (clash.accountId && clash.accountId !== accountId) throw conflict('This phone number belongs to another account.');
        if (clash.accountId !== accountId && records.some((r) => r.merchantId === clash.merchantId)) {
          throw conflict('Another customer of one of your shops already uses this phone number.');
        }
      }
    }
    const all = phoneChange ? { ...changes, phone: phoneChange.phone } : changes;
    for (const record of records) await vault.correctIdentity(tx, record.id, all);
  });
}

/**
 * Erases the customer's personal information at one merchant or all: at her records and at every
 * record another shop holds with her verified phone, confirmed or not. Erasing everywhere closes
 * the account.
 */
export function eraseCustomerData(db: Db, vault: Vault, accountId: string, merchantId: string | null) {
  return inTransaction(db, async (tx) => {
    const own = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.accountId, accountId), isNull(customers.erasedAt), merchantId ? eq(customers.merchantId, merchantId) : undefined));
    const held = (await vault.recordsHoldingPhoneOf(tx, accountId)).filter((h) => !merchantId || h.record.merchantId === merchantId);
    const ids = [...new Set([...own.map((r) => r.id), ...held.map((h) => h.record.id)])];
    if (merchantId && ids.length === 0) throw notFound('record at this merchant');
    const now = nowIso();
    await eraseRecords(tx, vault, ids, now);
    if (!merchantId) {
      await tx.update(accounts).set({ disabledAt: now }).where(eq(accounts.id, accountId));
      await tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt)));
      await tx.update(communityMembers).set({ leftAt: now }).where(and(eq(communityMembers.accountId, accountId), isNull(communityMembers.leftAt)));
    }
    return { erased: ids.length };
  });
}

/**
 * Inside the caller's transaction: ciphertexts, blind index and invites of these records go;
 * grants are revoked and pending requests declined. Counts and amounts stay, without identity, so
 * campaign and RFM aggregates are unchanged.
 */
export async function eraseRecords(tx: Tx, vault: Vault, ids: string[], now: string) {
  if (ids.length === 0) return;
  for (const id of ids) await vault.eraseIdentity(tx, id);
  await tx.update(customers).set({ erasedAt: now }).where(inArray(customers.id, ids));
  await tx.delete(customerInvites).where(inArray(customerInvites.customerId, ids));
  await tx.update(contactGrants).set({ revokedAt: now }).where(and(inArray(contactGrants.customerId, ids), isNull(contactGrants.revokedAt)));
  const revoked = await tx
    .update(referralRequests)
    .set({ status: 'REVOKED' })
    .where(and(inArray(referralRequests.customerId, ids), eq(referralRequests.status, 'ACCEPTED')))
    .returning({ id: referralRequests.id });
  await enqueueReferralEvent(tx, revoked.map((r) => r.id), 'REVOKED');
  const declined = await tx
    .update(referralRequests)
    .set({ status: 'DECLINED', decidedAt: now })
    .where(and(inArray(referralRequests.customerId, ids), eq(referralRequests.status, 'PENDING')))
    .returning({ id: referralRequests.id });
  await enqueueReferralEvent(tx, declined.map((r) => r.id), 'DECLINED');
}

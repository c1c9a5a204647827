// The vault: the only reader and writer of personal information (name, phone, address, WeChat).
// Every read checks the viewer's right and writes the access-log entry in the same transaction;
// a viewer without the right gets nothing (null), never an error that reveals the data exists.
import { and, asc, eq, gt, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from './client.js';
import { noteContactReads, type ContactReadsLimit } from './commands/alerts.js';
import { newId, nowIso } from './ids.js';
import { arePartners } from './queries/partners.js';
import { accessLog, contactGrants, customerIdentities, customers, merchants, referralRequests, type ContactField } from './tables/index.js';
import { inTransaction, type Tx } from './tx.js';
import { blindIndex, open, pseudonym, seal, type PiiKeys } from './vault/crypto.js';

export type { ContactField };
export const CONTACT_FIELDS: readonly ContactField[] = ['NAME', 'PHONE', 'ADDRESS', 'WECHAT'];

export interface Identity {
  name: string;
  /** E.164, already normalised at the edge. */
  phone: string;
  address?: string | null;
  wechat?: string | null;
}

export type Contact = Partial<Record<ContactField, string | null>>;

/** Who is reading: the parts of the request's viewer the vault's rules depend on. */
export interface Reader {
  accountId: string;
  displayName: string;
  kind: 'MERCHANT' | 'CUSTOMER';
  merchantId: string | null;
  canViewContacts: boolean;
}

const COLUMN = {
  NAME: 'nameSealed',
  PHONE: 'phoneSealed',
  ADDRESS: 'addressSealed',
  WECHAT: 'wechatSealed',
} as const satisfies Record<ContactField, keyof typeof customerIdentities.$inferSelect>;

type IdentityRow = typeof customerIdentities.$inferSelect;

export interface VaultOptions {
  /** When an account's reads of the shop's own customers alert the owner (server/config.ts). */
  staffContactReads: ContactReadsLimit;
}

export class Vault {
  constructor(
    private readonly db: Db,
    private readonly keys: PiiKeys,
    private readonly options: VaultOptions,
  ) {}

  /** How one customer record appears to one viewer (a merchant, or an account without one). */
  pseudonymFor(customerId: string, viewerKey: string): string {
    return pseudonym(this.keys, customerId, viewerKey);
  }

  /**
   * A filter on customer records, for a list's query: the record holds this phone. Only
   * its blind index goes into the SQL, and the identity table stays this module's.
   */
  holdsPhone(phone: string) {
    const index = this.phoneIndex(phone);
    return (c: typeof customers) =>
      sql`exists (select 1 from ${customerIdentities} where ${customerIdentities.customerId} = ${c.id} and ${customerIdentities.phoneIndex} = ${index})`;
  }

  /** The blind index of an E.164 phone number. */
  phoneIndex(phone: string): string {
    return blindIndex(this.keys, phone);
  }

  private sealed(customerId: string, field: ContactField, value: string | null | undefined): string | null {
    return value == null || value === '' ? null : seal(this.keys, value, `${customerId}:${field}`);
  }

  private opened(row: IdentityRow, field: ContactField): string | null {
    const value = row[COLUMN[field]];
    return value == null ? null : open(this.keys, value, `${row.customerId}:${field}`);
  }

  /** Inside the caller's transaction: stores a new customer's identity. */
  async writeIdentity(tx: Tx, customerId: string, merchantId: string, identity: Identity): Promise<void> {
    await tx.insert(customerIdentities).values({
      customerId,
      merchantId,
      nameSealed: this.sealed(customerId, 'NAME', identity.name),
      phoneSealed: this.sealed(customerId, 'PHONE', identity.phone),
      addressSealed: this.sealed(customerId, 'ADDRESS', identity.address),
      wechatSealed: this.sealed(customerId, 'WECHAT', identity.wechat),
      phoneIndex: this.phoneIndex(identity.phone),
    });
  }

  /** Inside the caller's transaction: replaces the given fields (a correction by the customer). */
  async correctIdentity(tx: Tx, customerId: string, changes: Partial<Identity>): Promise<void> {
    const set: Partial<IdentityRow> = {};
    if (changes.name !== undefined) set.nameSealed = this.sealed(customerId, 'NAME', changes.name);
    if (changes.address !== undefined) set.addressSealed = this.sealed(customerId, 'ADDRESS', changes.address);
    if (changes.wechat !== undefined) set.wechatSealed = this.sealed(customerId, 'WECHAT', changes.wechat);
    if (changes.phone !== undefined) {
      set.phoneSealed = this.sealed(customerId, 'PHONE', changes.phone);
      set.phoneIndex = this.phoneIndex(changes.phone);
    }
    if (Object.keys(set).length > 0) await tx.update(customerIdentities).set(set).where(eq(customerIdentities.customerId, customerId));
  }

  /** Inside the caller's transaction: removes every ciphertext and the blind index of a record. */
  async eraseIdentity(tx: Tx, customerId: string): Promise<void> {
    await tx
      .update(customerIdentities)
      .set({ nameSealed: null, phoneSealed: null, addressSealed: null, wechatSealed: null, phoneIndex: null })
      .where(eq(customerIdentities.customerId, customerId));
  }

  private recordsWithIndex(q: Db | Tx, index: string, merchantId?: string) {
    return q
      .select({ customerId: customers.id, merchantId: customers.merchantId, accountId: customers.accountId })
      .from(customerIdentities)
      .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
      .where(and(eq(customerIdentities.phoneIndex, index), isNull(customers.erasedAt), merchantId ? eq(customerIdentities.merchantId, merchantId) : undefined));
  }

  /** Customer records (not erased) with this phone: at one merchant, or at every merchant. */
  async customersWithPhone(q: Db | Tx, phone: string, merchantId?: string) {
    return this.recordsWithIndex(q, this.phoneIndex(phone), merchantId);
  }

  /** The blind index of a record's phone (null once erased). */
  async phoneIndexOf(q: Db | Tx, customerId: string): Promise<string | null> {
    const [row] = await q.select({ phoneIndex: customerIdentities.phoneIndex }).from(customerIdentities).where(eq(customerIdentities.customerId, customerId));
    return row?.phoneIndex ?? null;
  }

  /** Other merchants' records of the same person (same phone), found through the blind index only. */
  async samePhoneRecords(q: Db | Tx, customerId: string) {
    const index = await this.phoneIndexOf(q, customerId);
    return index ? (await this.recordsWithIndex(q, index)).filter((r) => r.customerId !== customerId) : [];
  }

  /**
   * The blind index of the phone a customer account proved: the one on her confirmed records (a
   * claim or a light registration took a code sent to it; a phone change, one sent to the new one).
   */
  async verifiedPhoneIndex(q: Db | Tx, accountId: string): Promise<string | null> {
    const [row] = await q
      .select({ phoneIndex: customerIdentities.phoneIndex })
      .from(customerIdentities)
      .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
      .where(and(eq(customers.accountId, accountId), isNotNull(customers.claimedAt), isNull(customers.erasedAt), isNotNull(customerIdentities.phoneIndex)))
      .limit(1);
    return row?.phoneIndex ?? null;
  }

  /**
   * Every record on the platform that carries this account's verified phone, confirmed or not
   * (erased ones are gone): the shop, which fields it holds and what it declared, never the values,
   * as a number can change hands and the values a shop typed are not proven to be hers. No read of
   * personal information, so nothing to log.
   */
  async recordsHoldingPhoneOf(q: Db | Tx, accountId: string, onlyCustomerId?: string) {
    const index = await this.verifiedPhoneIndex(q, accountId);
    if (!index) return [];
    const rows = await q
      .select({ record: customers, merchant: merchants, identity: customerIdentities })
      .from(customerIdentities)
      .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
      .innerJoin(merchants, eq(merchants.id, customers.merchantId))
      .where(and(eq(customerIdentities.phoneIndex, index), isNull(customers.erasedAt), onlyCustomerId ? eq(customers.id, onlyCustomerId) : undefined))
      .orderBy(asc(customers.createdAt));
    return rows.map(({ record, merchant, identity }) => ({
      record,
      merchant,
      fields: CONTACT_FIELDS.filter((f) => identity[COLUMN[f]] !== null),
    }));
  }

  /** A keyed hash of a short secret (one-time codes): useless to whoever copies the database. */
  keyedHash(value: string, context: string): string {
    return blindIndex(this.keys, `${context}\u0000${value}`);
  }

  /**
   * The phone on a record, to send that person a one-time code through the gateway. It goes to
   * no reader, so it is not an access: the code proves the person holds the phone on the record.
   */
  async phoneToVerify(customerId: string): Promise<{ phone: string; phoneIndex: string } | null> {
    const [row] = await this.db
      .select({ identity: customerIdentities })
      .from(customerIdentities)
      .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
      .where(and(eq(customerIdentities.customerId, customerId), isNull(customers.erasedAt)));
    const phone = row ? this.opened(row.identity, 'PHONE') : null;
    return phone && row?.identity.phoneIndex ? { phone, phoneIndex: row.identity.phoneIndex } : null;
  }

  /** Secrets that are not personal information but must not sit in clear text (invite codes). */
  sealSecret(value: string, aad: string): string {
    return seal(this.keys, value, aad);
  }

  openSecret(sealed: string, aad: string): string {
    return open(this.keys, sealed, aad);
  }

  /** The customer account that signs in with this phone, if one has claimed an invite. */
  async accountForPhone(phone: string): Promise<string | null> {
    return (await this.customersWithPhone(this.db, phone)).find((r) => r.accountId)?.accountId ?? null;
  }

  private async log(tx: Tx, reader: Reader, kind: 'OWN_RECORD' | 'GRANT' | 'SELF', entries: { customerId: string; fields: ContactField[]; referralId?: string }[]) {
    const at = nowIso();
    const rows = entries
      .filter((e) => e.fields.length > 0)
      .map((e) => ({
        id: newId(),
        at,
        actorAccountId: reader.accountId,
        actorName: reader.displayName,
        merchantId: reader.merchantId,
        kind,
        fields: e.fields,
        customerId: e.customerId,
        referralId: e.referralId ?? null,
      }));
    if (rows.length === 0) return;
    await tx.insert(accessLog).values(rows);
    // Checked with the reads that count toward it, so no burst of reads escapes the figure.
    if (kind === 'OWN_RECORD' && reader.merchantId) await noteContactReads(tx, reader.merchantId, reader.accountId, this.options.staffContactReads, at);
  }

  private readRow(row: IdentityRow, fields: readonly ContactField[]) {
    const contact: Contact = {};
    for (const f of fields) contact[f] = this.opened(row, f);
    return { customerId: row.customerId, contact, returned: fields.filter((f) => contact[f] != null) };
  }

  /**
   * An originating merchant reads its own customers (customer id → the fields wanted): owner or
   * staff with canViewContacts only. Customers the reader may not see, and erased ones, are absent.
   */
  async readOwn(reader: Reader, wanted: ReadonlyMap<string, readonly ContactField[]>): Promise<Map<string, Contact>> {
    const result = new Map<string, Contact>();
    if (reader.kind !== 'MERCHANT' || !reader.merchantId || !reader.canViewContacts || wanted.size === 0) return result;
    return inTransaction(this.db, async (tx) => {
      const rows = await tx
        .select({ identity: customerIdentities })
        .from(customerIdentities)
        .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
        .where(and(inArray(customerIdentities.customerId, [...wanted.keys()]), eq(customers.merchantId, reader.merchantId!), isNull(customers.erasedAt)));
      const read = rows.map(({ identity }) => this.readRow(identity, wanted.get(identity.customerId)!));
      await this.log(tx, reader, 'OWN_RECORD', read.map((r) => ({ customerId: r.customerId, fields: r.returned })));
      for (const r of read) result.set(r.customerId, r.contact);
      return result;
    });
  }

  /**
   * A requester reads a contact through a customer's grant: only the granted fields, only while
   * the referral is ACCEPTED, the grant unrevoked, before validUntil, and while the requester and
   * the originating merchant are still alliance partners (suspension or leaving stops the reads).
   */
  async readGranted(reader: Reader, referralIds: readonly string[]): Promise<Map<string, { contact: Contact; validUntil: string }>> {
    const result = new Map<string, { contact: Contact; validUntil: string }>();
    if (reader.kind !== 'MERCHANT' || !reader.merchantId || referralIds.length === 0) return result;
    return inTransaction(this.db, async (tx) => {
      const now = nowIso();
      const rows = await tx
        .select({ identity: customerIdentities, grant: contactGrants })
        .from(contactGrants)
        .innerJoin(referralRequests, eq(referralRequests.id, contactGrants.referralId))
        .innerJoin(customers, eq(customers.id, contactGrants.customerId))
        .innerJoin(customerIdentities, eq(customerIdentities.customerId, contactGrants.customerId))
        .where(
          and(
            inArray(contactGrants.referralId, [...referralIds]),
            eq(contactGrants.merchantId, reader.merchantId!),
            eq(referralRequests.status, 'ACCEPTED'),
            isNull(contactGrants.revokedAt),
            gt(contactGrants.validUntil, now),
            isNull(customers.erasedAt),
            arePartners(referralRequests.requesterMerchantId, referralRequests.originMerchantId),
          ),
        );
      const entries = rows.map(({ identity, grant }) => {
        const read = this.readRow(identity, grant.fields);
        return { referralId: grant.referralId, customerId: grant.customerId, contact: read.contact, fields: read.returned, validUntil: grant.validUntil };
      });
      await this.log(tx, reader, 'GRANT', entries.map((e) => ({ customerId: e.customerId, fields: e.fields, referralId: e.referralId })));
      for (const e of entries) result.set(e.referralId, { contact: e.contact, validUntil: e.validUntil });
      return result;
    });
  }

  /** A customer reads their own records at every merchant (export, the self-service pages). */
  async readSelf(reader: Reader, fields: readonly ContactField[] = CONTACT_FIELDS, within?: Tx): Promise<Map<string, Contact>> {
    const result = new Map<string, Contact>();
    if (reader.kind !== 'CUSTOMER') return result;
    const read = async (tx: Tx) => {
      const rows = (
        await tx
          .select({ identity: customerIdentities })
          .from(customerIdentities)
          .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
          .where(and(eq(customers.accountId, reader.accountId), isNull(customers.erasedAt)))
      ).map((r) => this.readRow(r.identity, fields));
      await this.log(tx, reader, 'SELF', rows.map((r) => ({ customerId: r.customerId, fields: r.returned })));
      for (const r of rows) result.set(r.customerId, r.contact);
      return result;
    };
    // Within the caller's transaction (the data export's snapshot), or one of its own.
    return within ? read(within) : inTransaction(this.db, read);
  }
}

// What one viewer belongs to: the inputs of every alliance-side visibility rule (schema/policies/).
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { allianceMembers, campaignParticipants, communityMembers, customers, type AllianceRole, type MembershipStatus } from '../tables/index.js';
import { preparedPer, statementName } from './prepared.js';

export interface ViewerAccess {
  accountId: string | null;
  merchantId: string | null;
  /** The viewer's merchant's role in each alliance where it is APPROVED or SUSPENDED. */
  roles: ReadonlyMap<string, { role: AllianceRole; status: MembershipStatus }>;
  /** Alliances the merchant belongs to (APPROVED or SUSPENDED: a suspended member still reads, it cannot post). */
  memberAllianceIds: ReadonlySet<string>;
  /** Alliances where the merchant is an APPROVED OWNER or ADMIN, for the merchant's owner account only. */
  adminAllianceIds: ReadonlySet<string>;
  /** Communities the viewer is currently in: its merchant's memberships, or a customer account's own. */
  communityIds: ReadonlySet<string>;
  /** Campaigns the merchant organises or accepted to take part in. */
  campaignIds: ReadonlySet<string>;
  /** A customer account: alliances where one of its merchants is an approved member (it may join their communities). */
  joinableAllianceIds: ReadonlySet<string>;
}

export const NO_ACCESS: ViewerAccess = {
  accountId: null,
  merchantId: null,
  roles: new Map(),
  memberAllianceIds: new Set(),
  adminAllianceIds: new Set(),
  communityIds: new Set(),
  campaignIds: new Set(),
  joinableAllianceIds: new Set(),
};

export interface AccessSubject {
  accountId: string;
  merchantId: string | null;
  /** The account's place at its merchant: only the OWNER uses the merchant's alliance admin rights. */
  staffRole: 'OWNER' | 'STAFF' | null;
  kind: 'MERCHANT' | 'CUSTOMER';
}

const merchantParam = sql.placeholder('merchantId');
const accountParam = sql.placeholder('accountId');

// Loaded on most requests, so prepared once per database.
const statements = preparedPer((db) => ({
  memberships: db
    .select({ allianceId: allianceMembers.allianceId, role: allianceMembers.role, status: allianceMembers.status })
    .from(allianceMembers)
    .where(and(eq(allianceMembers.merchantId, merchantParam), inArray(allianceMembers.status, ['APPROVED', 'SUSPENDED'])))
    .prepare(...statementName('access_memberships')),
  merchantCommunities: db
    .select({ communityId: communityMembers.communityId })
    .from(communityMembers)
    .where(and(eq(communityMembers.merchantId, merchantParam), isNull(communityMembers.leftAt)))
    .prepare(...statementName('access_merchant_communities')),
  accountCommunities: db
    .select({ communityId: communityMembers.communityId })
    .from(communityMembers)
    .where(and(eq(communityMembers.accountId, accountParam), isNull(communityMembers.leftAt)))
    .prepare(...statementName('access_account_communities')),
  campaigns: db
    .select({ campaignId: campaignParticipants.campaignId })
    .from(campaignParticipants)
    .where(and(eq(campaignParticipants.merchantId, merchantParam), eq(campaignParticipants.status, 'ACCEPTED')))
    .prepare(...statementName('access_campaigns')),
  joinable: db
    .selectDistinct({ allianceId: allianceMembers.allianceId })
    .from(customers)
    .innerJoin(allianceMembers, and(eq(allianceMembers.merchantId, customers.merchantId), eq(allianceMembers.status, 'APPROVED')))
    .where(and(eq(customers.accountId, accountParam), isNull(customers.erasedAt)))
    .prepare(...statementName('access_joinable')),
}));

/** A few indexed lookups, whatever the request touches; callers load it once per request. */
export async function loadViewerAccess(db: Db, subject: AccessSubject): Promise<ViewerAccess> {
  const { accountId, merchantId, staffRole } = subject;
  const q = statements(db);
  const [memberships, communityRows, campaignRows, joinable] = await Promise.all([
    merchantId ? q.memberships.execute({ merchantId }) : [],
    merchantId ? q.merchantCommunities.execute({ merchantId }) : q.accountCommunities.execute({ accountId }),
    merchantId ? q.campaigns.execute({ merchantId }) : [],
    subject.kind === 'CUSTOMER' ? q.joinable.execute({ accountId }) : [],
  ]);
  return {
    accountId,
    merchantId,
    joinableAllianceIds: new Set(joinable.map((r) => r.allianceId)),
    roles: new Map(memberships.map((m) => [m.allianceId, { role: m.role, status: m.status }])),
    memberAllianceIds: new Set(memberships.map((m) => m.allianceId)),
    adminAllianceIds: new Set(staffRole === 'OWNER' ? memberships.filter((m) => m.status === 'APPROVED' && m.role !== 'MEMBER').map((m) => m.allianceId) : []),
    communityIds: new Set(communityRows.map((r) => r.communityId)),
    campaignIds: new Set(campaignRows.map((r) => r.campaignId)),
  };
}

/** A request's viewer's memberships, or none for an anonymous one. */
export const accessFor = (db: Db, subject: AccessSubject | null): Promise<ViewerAccess> => (subject ? loadViewerAccess(db, subject) : Promise.resolve(NO_ACCESS));

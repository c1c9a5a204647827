import { defineRelations, type ExtractTablesFromSchema, type RelationsBuilder } from 'drizzle-orm';
import * as tables from './tables/index.js';

/** The relations of both engines (db/dialect/pg-tables.ts applies it too): they name tables and columns only. */
export const defineTableRelations = (r: RelationsBuilder<ExtractTablesFromSchema<typeof tables>>) => ({
  accounts: {
    staff: r.one.merchantStaff({ from: r.accounts.id, to: r.merchantStaff.accountId }),
    // A customer account's view of itself: its records at each merchant and what hangs off them.
    customerRecords: r.many.customers({ from: r.accounts.id, to: r.customers.accountId }),
    consentVersions: r.many.consentVersions({ from: r.accounts.id, to: r.consentVersions.subjectId }),
    referralRequests: r.many.referralRequests({
      from: r.accounts.id.through(r.customers.accountId),
      to: r.referralRequests.customerId.through(r.customers.id),
    }),
    accessLog: r.many.accessLog({ from: r.accounts.id.through(r.customers.accountId), to: r.accessLog.customerId.through(r.customers.id) }),
    grants: r.many.contactGrants({ from: r.accounts.id.through(r.customers.accountId), to: r.contactGrants.customerId.through(r.customers.id) }),
    merchantsHoldingMe: r.many.merchants({ from: r.accounts.id.through(r.customers.accountId), to: r.merchants.id.through(r.customers.merchantId) }),
  },
  merchants: {
    staff: r.many.merchantStaff({ from: r.merchants.id, to: r.merchantStaff.merchantId }),
    privacyNotices: r.many.privacyNotices({ from: r.merchants.id, to: r.privacyNotices.merchantId }),
    allianceMemberships: r.many.allianceMembers({ from: r.merchants.id, to: r.allianceMembers.merchantId }),
    offers: r.many.offers({ from: r.merchants.id, to: r.offers.merchantId }),
    customers: r.many.customers({ from: r.merchants.id, to: r.customers.merchantId }),
    referralsSent: r.many.referralRequests({ from: r.merchants.id, to: r.referralRequests.requesterMerchantId, alias: 'requester' }),
    referralsOfMyCustomers: r.many.referralRequests({ from: r.merchants.id, to: r.referralRequests.originMerchantId, alias: 'origin' }),
    accessLog: r.many.accessLog({ from: r.merchants.id, to: r.accessLog.merchantId }),
    alerts: r.many.merchantAlerts({ from: r.merchants.id, to: r.merchantAlerts.merchantId }),
    // An open disowned-records alert pauses the shop's new records (db/commands/alerts.ts, recordsPaused).
    pausingAlerts: r.many.merchantAlerts({
      from: r.merchants.id,
      to: r.merchantAlerts.merchantId,
      where: { kind: 'DISOWNED_RECORDS', clearedAt: { isNull: true } },
      alias: 'pausing',
    }),
    // The alliances whose admins watch over the shop (its alerts, whether it is paused).
    approvedMemberships: r.many.allianceMembers({ from: r.merchants.id, to: r.allianceMembers.merchantId, where: { status: 'APPROVED' }, alias: 'approved' }),
  },
  merchantStaff: {
    account: r.one.accounts({ from: r.merchantStaff.accountId, to: r.accounts.id, optional: false }),
    merchant: r.one.merchants({ from: r.merchantStaff.merchantId, to: r.merchants.id, optional: false }),
  },
  privacyNotices: {
    merchant: r.one.merchants({ from: r.privacyNotices.merchantId, to: r.merchants.id, optional: false }),
  },
  alliances: {
    members: r.many.allianceMembers({ from: r.alliances.id, to: r.allianceMembers.allianceId }),
    communities: r.many.communities({ from: r.alliances.id, to: r.communities.allianceId }),
    placements: r.many.offerPlacements({ from: r.alliances.id, to: r.offerPlacements.allianceId }),
    moderationActions: r.many.moderationActions({ from: r.alliances.id, to: r.moderationActions.allianceId }),
  },
  allianceMembers: {
    alliance: r.one.alliances({ from: r.allianceMembers.allianceId, to: r.alliances.id, optional: false }),
    merchant: r.one.merchants({ from: r.allianceMembers.merchantId, to: r.merchants.id, optional: false }),
  },
  communities: {
    alliance: r.one.alliances({ from: r.communities.allianceId, to: r.alliances.id, optional: false }),
    members: r.many.communityMembers({ from: r.communities.id, to: r.communityMembers.communityId }),
    placements: r.many.offerPlacements({ from: r.communities.id, to: r.offerPlacements.communityId }),
  },
  communityMembers: {
    community: r.one.communities({ from: r.communityMembers.communityId, to: r.communities.id, optional: false }),
  },
  offers: {
    merchant: r.one.merchants({ from: r.offers.merchantId, to: r.merchants.id, optional: false }),
    campaign: r.one.campaigns({ from: r.offers.campaignId, to: r.campaigns.id }),
    poster: r.one.media({ from: r.offers.posterMediaId, to: r.media.id }),
    shareChannels: r.many.shareChannels({ from: r.offers.id, to: r.shareChannels.offerId }),
    placements: r.many.offerPlacements({ from: r.offers.id, to: r.offerPlacements.offerId }),
    interests: r.many.interests({ from: r.offers.id, to: r.interests.offerId }),
    communities: r.many.communities({
      from: r.offers.id.through(r.offerPlacements.offerId),
      to: r.communities.id.through(r.offerPlacements.communityId),
    }),
  },
  offerPlacements: {
    offer: r.one.offers({ from: r.offerPlacements.offerId, to: r.offers.id, optional: false }),
    community: r.one.communities({ from: r.offerPlacements.communityId, to: r.communities.id, optional: false }),
    // The offering merchant's membership in the community's alliance: suspension hides the placement.
    merchantMembership: r.one.allianceMembers({
      from: [r.offerPlacements.allianceId, r.offerPlacements.merchantId],
      to: [r.allianceMembers.allianceId, r.allianceMembers.merchantId],
    }),
  },
  campaigns: {
    alliance: r.one.alliances({ from: r.campaigns.allianceId, to: r.alliances.id, optional: false }),
    organizer: r.one.merchants({ from: r.campaigns.organizerMerchantId, to: r.merchants.id, optional: false }),
    participants: r.many.campaignParticipants({ from: r.campaigns.id, to: r.campaignParticipants.campaignId }),
    offers: r.many.offers({ from: r.campaigns.id, to: r.offers.campaignId }),
    communities: r.many.communities({
      from: r.campaigns.id.through(r.campaignCommunities.campaignId),
      to: r.communities.id.through(r.campaignCommunities.communityId),
    }),
    poster: r.one.media({ from: r.campaigns.posterMediaId, to: r.media.id }),
    links: r.many.campaignLinks({ from: r.campaigns.id, to: r.campaignLinks.campaignId }),
    variants: r.many.campaignVariants({ from: r.campaigns.id, to: r.campaignVariants.campaignId }),
    shareChannels: r.many.shareChannels({ from: r.campaigns.id, to: r.shareChannels.campaignId }),
  },
  campaignLinks: {
    campaign: r.one.campaigns({ from: r.campaignLinks.campaignId, to: r.campaigns.id, optional: false }),
  },
  campaignVariants: {
    campaign: r.one.campaigns({ from: r.campaignVariants.campaignId, to: r.campaigns.id, optional: false }),
    poster: r.one.media({ from: r.campaignVariants.posterMediaId, to: r.media.id }),
  },
  campaignParticipants: {
    campaign: r.one.campaigns({ from: r.campaignParticipants.campaignId, to: r.campaigns.id, optional: false }),
    merchant: r.one.merchants({ from: r.campaignParticipants.merchantId, to: r.merchants.id, optional: false }),
  },
  shareChannels: {
    offer: r.one.offers({ from: r.shareChannels.offerId, to: r.offers.id }),
    campaign: r.one.campaigns({ from: r.shareChannels.campaignId, to: r.campaigns.id }),
    community: r.one.communities({ from: r.shareChannels.communityId, to: r.communities.id }),
  },
  offerReports: {
    offer: r.one.offers({ from: r.offerReports.offerId, to: r.offers.id, optional: false }),
  },
  moderationActions: {
    actor: r.one.accounts({ from: r.moderationActions.actorAccountId, to: r.accounts.id, optional: false }),
    offer: r.one.offers({ from: r.moderationActions.offerId, to: r.offers.id }),
    merchant: r.one.merchants({ from: r.moderationActions.merchantId, to: r.merchants.id }),
  },
  customers: {
    merchant: r.one.merchants({ from: r.customers.merchantId, to: r.merchants.id, optional: false }),
    account: r.one.accounts({ from: r.customers.accountId, to: r.accounts.id }),
    invites: r.many.customerInvites({ from: r.customers.id, to: r.customerInvites.customerId }),
  },
  interests: {
    offer: r.one.offers({ from: r.interests.offerId, to: r.offers.id, optional: false }),
    originMerchant: r.one.merchants({ from: r.interests.originMerchantId, to: r.merchants.id, optional: false }),
    referral: r.one.referralRequests({ from: r.interests.id, to: r.referralRequests.interestId }),
  },
  referralRequests: {
    requester: r.one.merchants({ from: r.referralRequests.requesterMerchantId, to: r.merchants.id, optional: false, alias: 'requester' }),
    origin: r.one.merchants({ from: r.referralRequests.originMerchantId, to: r.merchants.id, optional: false, alias: 'origin' }),
    customer: r.one.customers({ from: r.referralRequests.customerId, to: r.customers.id, optional: false }),
    offer: r.one.offers({ from: r.referralRequests.offerId, to: r.offers.id }),
    requesterNotice: r.one.privacyNotices({ from: r.referralRequests.requesterNoticeId, to: r.privacyNotices.id }),
    grant: r.one.contactGrants({ from: r.referralRequests.id, to: r.contactGrants.referralId }),
  },
  contactGrants: {
    referral: r.one.referralRequests({ from: r.contactGrants.referralId, to: r.referralRequests.id, optional: false }),
    merchant: r.one.merchants({ from: r.contactGrants.merchantId, to: r.merchants.id, optional: false }),
    customer: r.one.customers({ from: r.contactGrants.customerId, to: r.customers.id, optional: false }),
  },
  accessLog: {
    merchant: r.one.merchants({ from: r.accessLog.merchantId, to: r.merchants.id }),
    customer: r.one.customers({ from: r.accessLog.customerId, to: r.customers.id, optional: false }),
  },
  merchantAlerts: {
    merchant: r.one.merchants({ from: r.merchantAlerts.merchantId, to: r.merchants.id, optional: false }),
    staffAccount: r.one.accounts({ from: r.merchantAlerts.staffAccountId, to: r.accounts.id }),
    shopMemberships: r.many.allianceMembers({ from: r.merchantAlerts.merchantId, to: r.allianceMembers.merchantId, where: { status: 'APPROVED' } }),
  },
  purchases: {
    customer: r.one.customers({ from: r.purchases.customerId, to: r.customers.id, optional: false }),
    merchant: r.one.merchants({ from: r.purchases.merchantId, to: r.merchants.id, optional: false }),
  },
  referralEvents: {
    referral: r.one.referralRequests({ from: r.referralEvents.referralId, to: r.referralRequests.id, optional: false }),
  },
  notifications: {
    referral: r.one.referralRequests({ from: r.notifications.referralId, to: r.referralRequests.id, optional: false }),
  },
});

export const relations = defineRelations(tables, defineTableRelations);

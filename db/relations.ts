import { defineRelations } from 'drizzle-orm';
import * as tables from './tables/index.js';

export const relations = defineRelations(tables, (r) => ({
  accounts: {
    staff: r.one.merchantStaff({ from: r.accounts.id, to: r.merchantStaff.accountId }),
  },
  merchants: {
    staff: r.many.merchantStaff({ from: r.merchants.id, to: r.merchantStaff.merchantId }),
    privacyNotices: r.many.privacyNotices({ from: r.merchants.id, to: r.privacyNotices.merchantId }),
    allianceMemberships: r.many.allianceMembers({ from: r.merchants.id, to: r.allianceMembers.merchantId }),
    offers: r.many.offers({ from: r.merchants.id, to: r.offers.merchantId }),
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
    placements: r.many.offerPlacements({ from: r.offers.id, to: r.offerPlacements.offerId }),
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
    participants: r.many.campaignParticipants({ from: r.campaigns.id, to: r.campaignParticipants.campaignId }),
    offers: r.many.offers({ from: r.campaigns.id, to: r.offers.campaignId }),
    communities: r.many.communities({
      from: r.campaigns.id.through(r.campaignCommunities.campaignId),
      to: r.communities.id.through(r.campaignCommunities.communityId),
    }),
  },
  campaignParticipants: {
    campaign: r.one.campaigns({ from: r.campaignParticipants.campaignId, to: r.campaigns.id, optional: false }),
    merchant: r.one.merchants({ from: r.campaignParticipants.merchantId, to: r.merchants.id, optional: false }),
  },
  offerReports: {
    offer: r.one.offers({ from: r.offerReports.offerId, to: r.offers.id, optional: false }),
  },
  moderationActions: {
    actor: r.one.accounts({ from: r.moderationActions.actorAccountId, to: r.accounts.id, optional: false }),
    offer: r.one.offers({ from: r.moderationActions.offerId, to: r.offers.id }),
    merchant: r.one.merchants({ from: r.moderationActions.merchantId, to: r.merchants.id }),
  },
}));

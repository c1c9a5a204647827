// "Mine" lists the faces of the web app start from: a merchant's memberships, joined communities
// and campaigns; a customer's communities they could join. Each lists only what the type's own
// visibility rule would show anyway.
import { AllianceMemberRef } from './alliance.js';
import { builder } from './builder.js';
import { CampaignRef } from './campaign.js';
import { CommunityRef } from './community.js';
import { CustomerSelfRef } from './customer.js';
import { rowsById, rowsWhere, visibleOnly } from './loaders.js';
import { MerchantRef } from './merchant.js';
import { viewerAccess } from './policies/access.js';
import { isOwnMerchant } from './policies/merchants.js';

/** Text in the databases' order (both compare bytes of UTF-8: SQLite's BINARY, PostgreSQL's C collation). */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

builder.objectFields(MerchantRef, (t) => ({
  allianceMemberships: t.field({
    type: [AllianceMemberRef],
    description: "Owner/staff only: this merchant's applications and memberships in every alliance.",
    authScopes: isOwnMerchant,
    resolve: (m, _args, ctx) => rowsWhere(ctx, 'Merchant.allianceMemberships', 'allianceMembers', 'merchantId', m.id, { orderBy: [['appliedAt', 'desc']] }),
  }),
  joinedCommunities: t.field({
    type: [CommunityRef],
    description: 'Owner/staff only: communities this merchant is in.',
    authScopes: isOwnMerchant,
    resolve: async (m, _args, ctx) => {
      const memberships = await rowsWhere(ctx, 'Merchant.joinedCommunities', 'communityMembers', 'merchantId', m.id, { where: { leftAt: { isNull: true } } });
      const joined = await rowsById(ctx, 'communities', memberships.map((cm) => cm.communityId));
      return joined.sort((a, b) => byteOrder(a.name, b.name));
    },
  }),
  campaigns: t.field({
    type: [CampaignRef],
    description: 'Owner/staff only: campaigns this merchant organises, takes part in or is invited to.',
    authScopes: isOwnMerchant,
    resolve: async (m, _args, ctx) => {
      const participations = await rowsWhere(ctx, 'Merchant.campaigns', 'campaignParticipants', 'merchantId', m.id);
      const campaigns = await visibleOnly(ctx, 'Campaign', await rowsById(ctx, 'campaigns', participations.map((p) => p.campaignId)));
      return campaigns.sort((a, b) => byteOrder(b.startsAt, a.startsAt));
    },
  }),
}));

builder.objectField(CustomerSelfRef, 'joinableCommunities', (t) =>
  t.field({
    type: [CommunityRef],
    description: "Open communities of the alliances this customer's shops belong to, that the customer has not joined.",
    resolve: async (_a, _args, ctx) => {
      const access = viewerAccess(ctx);
      const alliances = [...access.joinableAllianceIds];
      if (alliances.length === 0) return [];
      // One statement for all the alliances (the loader batches them); the filter is the viewer's.
      const where = { status: 'OPEN' as const, id: { notIn: [...access.communityIds] } };
      const perAlliance = await Promise.all(
        alliances.map((allianceId) => rowsWhere(ctx, 'CustomerSelf.joinableCommunities', 'communities', 'allianceId', allianceId, { where })),
      );
      return perAlliance.flat().sort((a, b) => byteOrder(a.name, b.name));
    },
  }),
);

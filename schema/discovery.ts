// "Mine" lists the faces of the web app start from: a merchant's memberships, joined communities
// and campaigns; a customer's communities they could join. Each lists only what the type's own
// visibility rule would show anyway.
import { builder } from './builder.js';
import { CustomerSelfRef } from './customer.js';
import { MerchantRef } from './merchant.js';
import { viewerAccess } from './policies/access.js';
import { campaignVisibleWhere } from './policies/campaigns.js';
import { isOwnMerchant } from './policies/merchants.js';

builder.drizzleObjectFields(MerchantRef, (t) => ({
  allianceMemberships: t.relation('allianceMemberships', {
    description: "Owner/staff only: this merchant's applications and memberships in every alliance.",
    authScopes: isOwnMerchant,
    query: { orderBy: { appliedAt: 'desc' } },
  }),
  joinedCommunities: t.drizzleField({
    type: ['communities'],
    description: 'Owner/staff only: communities this merchant is in.',
    authScopes: isOwnMerchant,
    resolve: (query, m, _args, ctx) =>
      ctx.deps.db.query.communities.findMany(query({ where: { members: { merchantId: m.id, leftAt: { isNull: true } } }, orderBy: { name: 'asc' } })),
  }),
  campaigns: t.drizzleField({
    type: ['campaigns'],
    description: 'Owner/staff only: campaigns this merchant organises, takes part in or is invited to.',
    authScopes: isOwnMerchant,
    resolve: (query, m, _args, ctx) =>
      ctx.deps.db.query.campaigns.findMany(
        query({ where: { AND: [{ participants: { merchantId: m.id } }, campaignVisibleWhere(viewerAccess(ctx))] }, orderBy: { startsAt: 'desc' } }),
      ),
  }),
}));

builder.drizzleObjectField(CustomerSelfRef, 'joinableCommunities', (t) =>
  t.drizzleField({
    type: ['communities'],
    description: "Open communities of the alliances this customer's shops belong to, that the customer has not joined.",
    resolve: (query, a, _args, ctx) => {
      const access = viewerAccess(ctx);
      const alliances = [...access.joinableAllianceIds];
      if (alliances.length === 0) return [];
      return ctx.deps.db.query.communities.findMany(
        query({ where: { allianceId: { in: alliances }, status: 'OPEN', id: { notIn: [...access.communityIds] } }, orderBy: { name: 'asc' } }),
      );
    },
  }),
);

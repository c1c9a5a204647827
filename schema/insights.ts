// Insights: purchases for RFM, a merchant's RFM segments and referral attribution, and alliance
// aggregates. Every type here carries counts, amounts and merchants, never a customer.
import { z } from 'zod';
import { recordPurchase, MAX_PURCHASE_FEN } from '../db/commands/purchases.js';
import { customersByCategoryInterest, offersByCategory, referralAttribution, referralsByStatus, type InsightBucket, type PartnerAttribution } from '../db/stats/insights.js';
import { rfmSegments, type RfmSegment } from '../db/stats/rfm.js';
import { AllianceRef, allianceIdOf } from './alliance.js';
import { builder } from './builder.js';
import { CustomerRef } from './customer.js';
import { rowOf } from './loaders.js';
import { MerchantRef } from './merchant.js';
import { isOwnMerchant } from './policies/merchants.js';
import { localId } from './policies/global-id.js';

const RfmSegmentRef = builder.objectRef<RfmSegment>('RfmSegment').implement({
  description: 'A group of customers with similar recency, frequency and monetary scores (see db/stats/rfm.ts).',
  fields: (t) => ({
    segment: t.exposeString('segment', { description: 'e.g. CHAMPIONS, LOYAL, AT_RISK, LOST, NEW, OTHER' }),
    customerCount: t.exposeInt('customerCount'),
    avgRecencyDays: t.exposeFloat('avgRecencyDays', { description: 'Average days since last purchase in this segment.' }),
    avgFrequency: t.exposeFloat('avgFrequency', { description: 'Average purchases in the last 365 days.' }),
    avgMonetary: t.exposeFloat('avgMonetary', { description: 'Average spend in the last 365 days, smallest currency unit.' }),
  }),
});

const ReferralAttributionRef = builder.objectRef<PartnerAttribution>('ReferralAttribution').implement({
  description: "What the referrals of a merchant's customers brought one partner merchant: counts and amounts only.",
  fields: (t) => ({
    partner: t.field({ type: MerchantRef, resolve: (a) => a.partner }),
    referralsBrought: t.exposeInt('referralsBrought', { description: "Requests about this merchant's customers, made by or proposed to the partner." }),
    referralsAccepted: t.exposeInt('referralsAccepted', { description: 'Of those, accepted by the customer (even if revoked since).' }),
    conversions: t.exposeInt('conversions', { nullable: true, description: 'Sales the partner recorded; null when too few customers converted to publish.' }),
    revenue: t.exposeInt('revenue', { nullable: true, description: 'Their total, smallest currency unit; null with conversions.' }),
  }),
});

builder.objectFields(MerchantRef, (t) => ({
  rfmSegments: t.field({
    type: [RfmSegmentRef],
    description: "Owner/staff only: RFM segments of this merchant's own customers.",
    authScopes: isOwnMerchant,
    resolve: (m, _args, ctx) => rfmSegments(ctx.deps.db, m.id),
  }),
  referralAttribution: t.field({
    type: [ReferralAttributionRef],
    description: "Owner/staff only: per partner merchant, the referrals of this merchant's customers and what they converted to.",
    authScopes: isOwnMerchant,
    resolve: (m, _args, ctx) => referralAttribution(ctx.deps.db, m.id, ctx.deps.config.INSIGHTS_MIN_GROUP_SIZE),
  }),
}));

const InsightBucketRef = builder.objectRef<InsightBucket>('InsightBucket').implement({
  fields: (t) => ({
    key: t.exposeString('key'),
    count: t.exposeInt('count', { nullable: true, description: 'Null when the group is smaller than the privacy threshold.' }),
  }),
});

const AllianceInsightsRef = builder.objectRef<{ allianceId: string; viewerMerchantId: string; minGroupSize: number }>('AllianceInsights').implement({
  description: 'Each list is one SQL statement, resolved only when asked for. Rules in db/stats/insights.ts.',
  fields: (t) => ({
    minGroupSize: t.exposeInt('minGroupSize', { description: 'Groups smaller than this are reported with a null count.' }),
    customersByCategoryInterest: t.field({
      type: [InsightBucketRef],
      description: 'Distinct customers who expressed interest in offers placed in this alliance, by offer category.',
      resolve: (i, _args, ctx) => customersByCategoryInterest(ctx.deps.db, i.allianceId, i.viewerMerchantId, i.minGroupSize),
    }),
    referralsByStatus: t.field({
      type: [InsightBucketRef],
      description: 'Referral requests whose requester or originating merchant is a member, by status.',
      resolve: (i, _args, ctx) => referralsByStatus(ctx.deps.db, i.allianceId, i.viewerMerchantId, i.minGroupSize),
    }),
    offersByCategory: t.field({
      type: [InsightBucketRef],
      description: "Offers placed in this alliance's communities, by category (not suppressed: offers are public posts).",
      resolve: (i, _args, ctx) => offersByCategory(ctx.deps.db, i.allianceId),
    }),
  }),
});

builder.objectFields(AllianceRef, (t) => ({
  insights: t.field({
    type: AllianceInsightsRef,
    description: "Aggregates over the members' customers; groups smaller than the privacy threshold are suppressed.",
    authScopes: (a) => ({ allianceMember: allianceIdOf(a) }),
    resolve: (a, _args, ctx) => ({ allianceId: allianceIdOf(a), viewerMerchantId: ctx.viewer!.merchantId!, minGroupSize: ctx.deps.config.INSIGHTS_MIN_GROUP_SIZE }),
  }),
}));

builder.mutationFields((t) => ({
  recordPurchase: t.field({
    type: CustomerRef,
    description: "The originating merchant records a sale to its own customer (amount in fen; `at` defaults to now).",
    authScopes: { merchantStaff: true },
    args: {
      customerId: t.arg.id({ required: true }),
      amount: t.arg.int({ required: true, validate: z.number().int().min(1, 'must be at least 1 fen').max(MAX_PURCHASE_FEN, `must be at most ${MAX_PURCHASE_FEN} fen`) }),
      at: t.arg({ type: 'DateTime' }),
    },
    resolve: async (_root, args, ctx) => {
      const id = await recordPurchase(ctx.deps.db, ctx.viewer!.merchantId!, localId('Customer', args.customerId), args.amount, args.at ?? null);
      return rowOf(ctx, 'customers', id);
    },
  }),
}));

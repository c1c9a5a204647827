// A/B variants of a campaign: set up by the organizer in a draft, one shown to each customer once
// published, and the funnel per variant with a two-proportion test for the participants.
import { encodeGlobalID } from '@pothos/plugin-relay';
import * as commands from '../db/commands/variants.js';
import type { Row } from '../db/queries/rows.js';
import type { TwoProportionTest } from '../db/stats/ab-test.js';
import { PRIMARY_METRIC, VARIANT_FIGURES, variantResults, type VariantComparison, type VariantFunnel, type VariantResults } from '../db/stats/variants.js';
import type { Context } from '../services/context.js';
import { actorOf } from './alliance.js';
import { builder } from './builder.js';
import { CampaignRef } from './campaign.js';
import { loaderFor, nodesOf, rowOf, rowsById, rowsWhere } from './loaders.js';
import { OfferRef } from './offer.js';
import { viewerAccess } from './policies/access.js';
import { localId } from './policies/global-id.js';
import { canSeeVariant, variantAccessOf } from './policies/variants.js';
import { text } from './validators.js';

const VariantUnitEnum = builder.enumType('CampaignVariantUnit', {
  description: 'What customers are split between variants by: the community they see the campaign in (all of its members see one variant), or each customer account.',
  values: ['COMMUNITY', 'CUSTOMER'] as const,
});

export const CampaignVariantRef = builder.node(builder.objectRef<Row<'campaignVariants'>>('CampaignVariant'), {
  description: 'One presentation of a campaign in its A/B test.',
  id: { resolve: (v) => v.id },
  loadMany: nodesOf('campaignVariants'),
  rule: async (v, ctx) => canSeeVariant(viewerAccess(ctx), await variantAccessOf(ctx, v)),
  fields: (t) => ({
    label: t.exposeString('label', { description: 'A, B, C… in the order the variants were added; A is the baseline the others are tested against.' }),
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    posterMediaId: t.id({
      nullable: true,
      description: 'The poster image uploaded by the organizer, if any.',
      resolve: (v) => (v.posterMediaId ? encodeGlobalID('Media', v.posterMediaId) : null),
    }),
  }),
});

const VariantFigureEnum = builder.enumType('CampaignVariantFigure', { values: VARIANT_FIGURES });
const VariantMetricEnum = builder.enumType('CampaignVariantMetric', {
  values: { RESPONSE_RATE: { description: 'Interested customers / customers reached (shown the variant).' } } as const,
});

const VariantFunnelRef = builder.objectRef<VariantFunnel>('CampaignVariantFunnel').implement({
  description: 'Counts over the customers shown one variant. A figure about too few verified customers is withheld: it reads 0 and is listed in `withheld`.',
  fields: (t) => ({
    variant: t.field({ type: CampaignVariantRef, resolve: (f, _args, ctx) => rowOf(ctx, 'campaignVariants', f.variantId) }),
    reached: t.exposeInt('reached', { description: 'Customers shown this variant (on reading the campaign or by responding to one of its offers).' }),
    interested: t.exposeInt('interested', { description: "Of those, customers interested in one of the campaign's offers." }),
    referralsRequested: t.exposeInt('referralsRequested'),
    referralsAccepted: t.exposeInt('referralsAccepted'),
    conversions: t.exposeInt('conversions'),
    responseRate: t.exposeFloat('responseRate', { description: 'interested / reached, 0 when nothing was reached or either is withheld.' }),
    withheld: t.expose('withheld', { type: [VariantFigureEnum] }),
  }),
});

const TwoProportionTestRef = builder.objectRef<TwoProportionTest>('TwoProportionTest').implement({
  description: 'A pooled two-proportion z-test of a variant against the baseline.',
  fields: (t) => ({
    pooledRate: t.exposeFloat('pooledRate', { description: 'The rate of both groups together.' }),
    standardError: t.exposeFloat('standardError'),
    z: t.exposeFloat('z', { description: '(variant rate − baseline rate) / standardError: positive when the variant does better.' }),
    pValue: t.exposeFloat('pValue', { description: 'Two-sided: the chance of a difference at least this large if the variants did not differ.' }),
  }),
});

const VariantComparisonRef = builder.objectRef<VariantComparison>('CampaignVariantComparison').implement({
  fields: (t) => ({
    variant: t.field({ type: CampaignVariantRef, resolve: (c, _args, ctx) => rowOf(ctx, 'campaignVariants', c.variantId) }),
    baseline: t.field({ type: CampaignVariantRef, description: 'Variant A.', resolve: (c, _args, ctx) => rowOf(ctx, 'campaignVariants', c.baselineVariantId) }),
    test: t.field({
      type: TwoProportionTestRef,
      nullable: true,
      description: 'Null when either response rate is withheld, a variant reached no one, or every customer reached (or none) responded.',
      resolve: (c) => c.test,
    }),
  }),
});

const VariantResultsRef = builder.objectRef<VariantResults>('CampaignVariantResults').implement({
  fields: (t) => ({
    metric: t.field({ type: VariantMetricEnum, description: 'What the tests compare.', resolve: (r) => r.metric }),
    variants: t.field({ type: [VariantFunnelRef], description: 'In label order.', resolve: (r) => r.variants }),
    comparisons: t.field({ type: [VariantComparisonRef], description: 'Each variant after A against A.', resolve: (r) => r.comparisons }),
    minGroupSize: t.exposeInt('minGroupSize', { description: 'The fewest verified customers a published figure is about.' }),
  }),
});

builder.objectFields(CampaignRef, (t) => ({
  variantUnit: t.expose('variantUnit', { type: VariantUnitEnum }),
  variants: t.field({
    type: [CampaignVariantRef],
    description: 'The A/B variants, in label order.',
    resolve: (c, _a, ctx) =>
      rowsWhere(ctx, 'Campaign.variants', 'campaignVariants', 'campaignId', c.id, {
        orderBy: [
          ['label', 'asc'],
          ['id', 'asc'],
        ],
      }),
  }),
  variantResults: t.field({
    type: VariantResultsRef,
    nullable: true,
    description: `Participants only. The funnel per variant and each variant tested against A on ${PRIMARY_METRIC}; null without variants.`,
    authScopes: (c) => ({ campaignParticipant: c.id }),
    resolve: (c, _args, ctx) => variantResults(ctx.deps.db, c.id, ctx.viewer!.merchantId!, ctx.deps.config.INSIGHTS_MIN_GROUP_SIZE),
  }),
}));

/**
 * Per request and customer: the campaigns of the offers asking in one tick are shown together (one
 * read, and one transaction for first showings) and their variants read in one statement.
 */
const presentations = (ctx: Context, accountId: string) =>
  loaderFor<string, Row<'campaignVariants'> | null>(ctx, `Offer.campaignPresentation:${accountId}`, async (campaignIds) => {
    const shown = await commands.showCampaigns(ctx.deps.db, campaignIds, accountId);
    const variants = await rowsById(ctx, 'campaignVariants', [...new Set(shown.values())]);
    const byId = new Map(variants.map((v) => [v.id, v]));
    return campaignIds.map((id) => byId.get(shown.get(id) ?? '') ?? null);
  });

// Customers meet a campaign through its offers in their communities (the campaign itself is the merchants').
builder.objectField(OfferRef, 'campaignPresentation', (t) =>
  t.field({
    type: CampaignVariantRef,
    nullable: true,
    description:
      "For a signed-in customer: the variant of this offer's campaign it is shown, the same on every read (the first read records it). Null for anyone else, and when the campaign has no variants or is not published.",
    resolve: (offer, _args, ctx) => (ctx.viewer?.kind === 'CUSTOMER' && offer.campaignId ? presentations(ctx, ctx.viewer.accountId).load(offer.campaignId) : null),
  }),
);

const AddCampaignVariantInput = builder.inputType('AddCampaignVariantInput', {
  fields: (t) => ({
    campaignId: t.id({ required: true }),
    title: t.string({ required: true, validate: text(120) }),
    description: t.string({ required: true, validate: text(4000, 0) }),
    posterMediaId: t.id({ description: 'An image uploaded by the organizer.' }),
  }),
});

const RemoveCampaignVariantInput = builder.inputType('RemoveCampaignVariantInput', {
  fields: (t) => ({ variantId: t.id({ required: true }) }),
});

const SetCampaignVariantUnitInput = builder.inputType('SetCampaignVariantUnitInput', {
  fields: (t) => ({ campaignId: t.id({ required: true }), unit: t.field({ type: VariantUnitEnum, required: true }) }),
});

// Organizer only, and only in a draft: the commands re-check both inside their transactions.
builder.mutationFields((t) => ({
  addCampaignVariant: t.field({
    type: CampaignRef,
    description: `Adds the next variant (A, B, C…, at most ${commands.MAX_VARIANTS}).`,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: AddCampaignVariantInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      commands.addCampaignVariant(ctx.deps.db, actorOf(ctx), localId('Campaign', input.campaignId), {
        title: input.title,
        description: input.description,
        posterMediaId: input.posterMediaId ? localId('Media', input.posterMediaId) : null,
      }),
  }),
  removeCampaignVariant: t.field({
    type: CampaignRef,
    description: 'The variants after it move up a label.',
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: RemoveCampaignVariantInput, required: true }) },
    resolve: (_root, { input }, ctx) => commands.removeCampaignVariant(ctx.deps.db, actorOf(ctx), localId('CampaignVariant', input.variantId)),
  }),
  setCampaignVariantUnit: t.field({
    type: CampaignRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: SetCampaignVariantUnitInput, required: true }) },
    resolve: (_root, { input }, ctx) => commands.setCampaignVariantUnit(ctx.deps.db, actorOf(ctx), localId('Campaign', input.campaignId), input.unit),
  }),
}));

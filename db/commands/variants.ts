// A/B variants of a campaign: the organizer sets them up while it is a draft; once it is published,
// each customer account is shown one, chosen by db/queries/abTest.ts and fixed the first time.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import { badInput, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { variantFor } from '../queries/abTest.js';
import { campaignCommunities, campaigns, campaignVariantAssignments, campaignVariants, communityMembers } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import type { Actor } from './allianceGuards.js';
import { requireOrganizer } from './campaigns.js';
import { requireOwnMedia } from './media.js';

export const MAX_VARIANTS = 5;
const LABELS = 'ABCDE';

export type VariantUnit = (typeof campaigns.$inferSelect)['variantUnit'];

export interface VariantData {
  title: string;
  description: string;
  posterMediaId: string | null;
}

/**
 * Variants and the split change only in a draft: after publishing, customers keep the variant they
 * were first shown, and a change would mix the groups the results compare.
 */
async function requireDraftOrganizer(tx: Tx, actor: Actor, campaignId: string) {
  const campaign = await requireOrganizer(tx, campaignId, actor.merchantId);
  if (campaign.status !== 'DRAFT') {
    throw badInput('campaignId', 'Variants and how customers are split between them can only change while the campaign is a draft: customers keep the variant they were first shown.');
  }
  return campaign;
}

const variantsOf = (tx: Tx, campaignId: string) =>
  tx.select({ id: campaignVariants.id, label: campaignVariants.label }).from(campaignVariants).where(eq(campaignVariants.campaignId, campaignId)).orderBy(asc(campaignVariants.label));

/** Adds the next variant: A, B, C… in the order they are added. */
export function addCampaignVariant(db: Db, actor: Actor, campaignId: string, data: VariantData) {
  return inTransaction(db, async (tx) => {
    const campaign = await requireDraftOrganizer(tx, actor, campaignId);
    if (data.posterMediaId) await requireOwnMedia(tx, actor.merchantId, data.posterMediaId);
    const existing = await variantsOf(tx, campaignId);
    if (existing.length >= MAX_VARIANTS) throw badInput('campaignId', `A campaign has at most ${MAX_VARIANTS} variants.`);
    await tx.insert(campaignVariants).values({ id: newId(), campaignId, label: LABELS[existing.length]!, ...data, createdAt: nowIso() });
    return campaign;
  });
}

/** Removes a variant; the ones after it move up a label, so labels stay A, B, C… without gaps. */
export function removeCampaignVariant(db: Db, actor: Actor, variantId: string) {
  return inTransaction(db, async (tx) => {
    const [variant] = await tx.select({ campaignId: campaignVariants.campaignId }).from(campaignVariants).where(eq(campaignVariants.id, variantId));
    if (!variant) throw notFound('variant');
    const campaign = await requireDraftOrganizer(tx, actor, variant.campaignId);
    await tx.delete(campaignVariants).where(eq(campaignVariants.id, variantId));
    // In label order, each into the label just freed before it: the unique (campaign, label) holds throughout.
    for (const [i, v] of (await variantsOf(tx, variant.campaignId)).entries()) {
      if (v.label !== LABELS[i]) await tx.update(campaignVariants).set({ label: LABELS[i]! }).where(eq(campaignVariants.id, v.id));
    }
    return campaign;
  });
}

export function setCampaignVariantUnit(db: Db, actor: Actor, campaignId: string, variantUnit: VariantUnit) {
  return inTransaction(db, async (tx) => {
    const campaign = await requireDraftOrganizer(tx, actor, campaignId);
    await tx.update(campaigns).set({ variantUnit }).where(eq(campaigns.id, campaignId));
    return { ...campaign, variantUnit };
  });
}

/**
 * The variant of a published campaign this customer account is shown, recorded the first time and
 * kept from then on; null when the campaign has no variants, is not published, or (split by
 * community) the account is in none of its communities, so was not reached through it. The unit is
 * the first (by id) of the campaign's communities the account is in, or the account itself.
 */
export async function assignVariant(tx: Tx, campaignId: string, accountId: string): Promise<string | null> {
  const variants = await variantsOf(tx, campaignId);
  if (variants.length === 0) return null;
  const [assigned] = await tx
    .select({ variantId: campaignVariantAssignments.variantId })
    .from(campaignVariantAssignments)
    .where(and(eq(campaignVariantAssignments.campaignId, campaignId), eq(campaignVariantAssignments.accountId, accountId)));
  if (assigned) return assigned.variantId;
  const [campaign] = await tx.select({ status: campaigns.status, variantUnit: campaigns.variantUnit }).from(campaigns).where(eq(campaigns.id, campaignId));
  if (campaign?.status !== 'PUBLISHED') return null;
  const unitId = campaign.variantUnit === 'CUSTOMER' ? accountId : await communityOf(tx, campaignId, accountId);
  if (!unitId) return null;
  const variantId = variantFor(
    campaignId,
    unitId,
    variants.map((v) => v.id),
  );
  await tx.insert(campaignVariantAssignments).values({ campaignId, accountId, variantId, assignedAt: nowIso() }).onConflictDoNothing();
  return variantId;
}

async function communityOf(tx: Tx, campaignId: string, accountId: string): Promise<string | undefined> {
  const [first] = await tx
    .select({ id: campaignCommunities.communityId })
    .from(campaignCommunities)
    .innerJoin(
      communityMembers,
      and(eq(communityMembers.communityId, campaignCommunities.communityId), eq(communityMembers.accountId, accountId), isNull(communityMembers.leftAt)),
    )
    .where(eq(campaignCommunities.campaignId, campaignId))
    .orderBy(asc(campaignCommunities.communityId))
    .limit(1);
  return first?.id;
}

/**
 * The variant a signed-in customer is shown (see assignVariant). Reading it is the exposure the
 * results count, so a first read records it; later reads, and campaigns without variants, write
 * nothing and take no transaction.
 */
export async function showCampaign(db: Db, campaignId: string, accountId: string): Promise<string | null> {
  const [known] = await db
    .select({ variantId: campaignVariantAssignments.variantId })
    .from(campaignVariantAssignments)
    .where(and(eq(campaignVariantAssignments.campaignId, campaignId), eq(campaignVariantAssignments.accountId, accountId)));
  if (known) return known.variantId;
  const [any] = await db.select({ id: campaignVariants.id }).from(campaignVariants).where(eq(campaignVariants.campaignId, campaignId)).limit(1);
  if (!any) return null;
  return inTransaction(db, (tx) => assignVariant(tx, campaignId, accountId));
}

// A/B variants of a campaign: the organizer sets them up while it is a draft; once it is published,
// each customer account is shown one, chosen by db/stats/ab-test.ts and fixed the first time.
import { and, asc, eq, inArray, isNull, min } from 'drizzle-orm';
import type { Db } from '../client.js';
import { badInput, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { variantFor } from '../stats/ab-test.js';
import { campaignCommunities, campaigns, campaignVariantAssignments, campaignVariants, communityMembers } from '../tables/index.js';
import { inTransaction, type Tx } from '../tx.js';
import type { Actor } from './alliance-guards.js';
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
 * The variants of published campaigns this customer account is shown, by campaign, recorded the
 * first time and kept from then on. A campaign is left out when it has no variants, is not
 * published, or (split by community) the account is in none of its communities, so was not reached
 * through it. The unit is the first (by id) of the campaign's communities the account is in, or the
 * account itself. As many statements for a feed page's campaigns as for one.
 */
export async function assignVariants(tx: Tx, campaignIds: readonly string[], accountId: string): Promise<Map<string, string>> {
  const ids = [...new Set(campaignIds)];
  const known = await tx
    .select({ campaignId: campaignVariantAssignments.campaignId, variantId: campaignVariantAssignments.variantId })
    .from(campaignVariantAssignments)
    .where(and(eq(campaignVariantAssignments.accountId, accountId), inArray(campaignVariantAssignments.campaignId, ids)));
  const shown = new Map(known.map((a) => [a.campaignId, a.variantId]));
  const open = ids.filter((id) => !shown.has(id));
  if (open.length === 0) return shown;
  const variants = await tx
    .select({ campaignId: campaignVariants.campaignId, id: campaignVariants.id, unit: campaigns.variantUnit })
    .from(campaignVariants)
    .innerJoin(campaigns, and(eq(campaigns.id, campaignVariants.campaignId), eq(campaigns.status, 'PUBLISHED')))
    .where(inArray(campaignVariants.campaignId, open))
    .orderBy(asc(campaignVariants.campaignId), asc(campaignVariants.label));
  const split = new Map<string, { unit: VariantUnit; variantIds: string[] }>();
  for (const v of variants) {
    const campaign = split.get(v.campaignId) ?? { unit: v.unit, variantIds: [] };
    campaign.variantIds.push(v.id);
    split.set(v.campaignId, campaign);
  }
  const byCommunity = [...split].filter(([, c]) => c.unit === 'COMMUNITY').map(([id]) => id);
  const communities = byCommunity.length > 0 ? await firstCommunities(tx, byCommunity, accountId) : new Map<string, string>();
  const assignedAt = nowIso();
  const rows = [...split].flatMap(([campaignId, c]) => {
    const unitId = c.unit === 'CUSTOMER' ? accountId : communities.get(campaignId);
    return unitId ? [{ campaignId, accountId, variantId: variantFor(campaignId, unitId, c.variantIds), assignedAt }] : [];
  });
  if (rows.length === 0) return shown;
  await tx.insert(campaignVariantAssignments).values(rows).onConflictDoNothing();
  for (const r of rows) shown.set(r.campaignId, r.variantId);
  return shown;
}

/** One campaign's variant for this account (see assignVariants), or null. */
export async function assignVariant(tx: Tx, campaignId: string, accountId: string): Promise<string | null> {
  return (await assignVariants(tx, [campaignId], accountId)).get(campaignId) ?? null;
}

/** Of each campaign, the first (by id) of its communities the account is in now. */
async function firstCommunities(tx: Tx, campaignIds: string[], accountId: string): Promise<Map<string, string>> {
  const rows = await tx
    .select({ campaignId: campaignCommunities.campaignId, communityId: min(campaignCommunities.communityId) })
    .from(campaignCommunities)
    .innerJoin(
      communityMembers,
      and(eq(communityMembers.communityId, campaignCommunities.communityId), eq(communityMembers.accountId, accountId), isNull(communityMembers.leftAt)),
    )
    .where(inArray(campaignCommunities.campaignId, campaignIds))
    .groupBy(campaignCommunities.campaignId);
  return new Map(rows.flatMap((r) => (r.communityId ? [[r.campaignId, r.communityId] as const] : [])));
}

/**
 * The variants a signed-in customer is shown of a feed page's campaigns, by campaign (see
 * assignVariants). Reading them is the exposure the results count, so a first read records it. One
 * statement reads what the account was shown before; only published campaigns with variants it was
 * not shown yet take a transaction, so later reads, and campaigns without variants, write nothing.
 */
export async function showCampaigns(db: Db, campaignIds: readonly string[], accountId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectDistinct({ campaignId: campaignVariants.campaignId, status: campaigns.status, variantId: campaignVariantAssignments.variantId })
    .from(campaignVariants)
    .innerJoin(campaigns, eq(campaigns.id, campaignVariants.campaignId))
    .leftJoin(
      campaignVariantAssignments,
      and(eq(campaignVariantAssignments.campaignId, campaignVariants.campaignId), eq(campaignVariantAssignments.accountId, accountId)),
    )
    .where(inArray(campaignVariants.campaignId, [...new Set(campaignIds)]));
  const shown = new Map(rows.flatMap((r) => (r.variantId ? [[r.campaignId, r.variantId] as const] : [])));
  const unseen = rows.filter((r) => !r.variantId && r.status === 'PUBLISHED').map((r) => r.campaignId);
  if (unseen.length === 0) return shown;
  return new Map([...shown, ...(await inTransaction(db, (tx) => assignVariants(tx, unseen, accountId)))]);
}

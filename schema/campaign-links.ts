// A campaign's activity and livestream links: shown as buttons to whoever may see the campaign,
// kept by its organizer.
import { createContextCache } from '@pothos/core';
import { z } from 'zod';
import * as commands from '../db/commands/campaign-links.js';
import type { Row } from '../db/queries/rows.js';
import type { Context } from '../services/context.js';
import { actorOf } from './alliance.js';
import { builder } from './builder.js';
import { CampaignRef } from './campaign.js';
import { nodesOf, rowsWhere } from './loaders.js';
import { viewerAccess } from './policies/access.js';
import { campaignOf, canSeeCampaign } from './policies/campaigns.js';
import { localId } from './policies/global-id.js';
import { text } from './validators.js';

const CampaignLinkKindEnum = builder.enumType('CampaignLinkKind', { values: ['ACTIVITY', 'LIVESTREAM'] as const });

const byStart = [
  ['startsAt', 'asc'],
  ['id', 'asc'],
] as const;

/**
 * Per request: the link rows a share channel's public page answered with (sharedCampaignLinks).
 * The very objects, not their ids: the page's answer may show them to anyone with the code, while
 * the same links reached any other way in the same request (node(id), Campaign.links) are other
 * objects and are checked by the campaign alone. Nothing here outlives the request.
 */
const servedBySharedPage = createContextCache((_ctx: Context) => new WeakSet<Row<'campaignLinks'>>());

/**
 * A campaign's links as its share channel's public page shows them (SharedContent.links, for
 * anyone who has the code), by start time. Only that field may call this: what it answers passes
 * the CampaignLink rule for the rest of this answer only.
 */
export async function sharedCampaignLinks(ctx: Context, campaignId: string): Promise<Row<'campaignLinks'>[]> {
  // Its own loader, so these objects are never the ones another field of the request answers with.
  const links = await rowsWhere(ctx, 'SharedContent.links', 'campaignLinks', 'campaignId', campaignId, { orderBy: byStart });
  const served = servedBySharedPage(ctx);
  for (const link of links) served.add(link);
  return links;
}

export const CampaignLinkRef = builder.node(builder.objectRef<Row<'campaignLinks'>>('CampaignLink'), {
  id: { resolve: (l) => l.id },
  loadMany: nodesOf('campaignLinks'),
  rule: async (l, ctx) => servedBySharedPage(ctx).has(l) || canSeeCampaign(viewerAccess(ctx), await campaignOf(ctx, l.campaignId)),
  fields: (t) => ({
    kind: t.expose('kind', { type: CampaignLinkKindEnum }),
    title: t.exposeString('title'),
    url: t.exposeString('url', { description: 'Always https.' }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime', nullable: true }),
    isLive: t.boolean({
      description: 'A livestream from its start until its end, or for 4 hours when it has no end. An activity is never live.',
      resolve: (l) => commands.isLinkLive(l),
    }),
  }),
});

builder.objectField(CampaignRef, 'links', (t) =>
  t.field({ type: [CampaignLinkRef], resolve: (c, _a, ctx) => rowsWhere(ctx, 'Campaign.links', 'campaignLinks', 'campaignId', c.id, { orderBy: byStart }) }),
);

/** Parses as a URL with the https scheme and no user name (which can make a link read as another site's). */
const httpsUrl = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine((s) => URL.canParse(s), 'must be a web address such as https://example.cn/live')
  .transform((s) => new URL(s))
  .refine((u) => u.protocol === 'https:', 'must be an https:// address')
  .refine((u) => !u.username && !u.password, 'must not contain a user name or password')
  // What is stored is what was checked: the parser's own reading of the address.
  .transform((u) => u.href)
  .refine((s) => s.length <= 2048, 'must be at most 2048 characters');

const AddCampaignLinkInput = builder.inputType('AddCampaignLinkInput', {
  fields: (t) => ({
    campaignId: t.id({ required: true }),
    kind: t.field({ type: CampaignLinkKindEnum, required: true }),
    title: t.string({ required: true, validate: text(60) }),
    url: t.string({ required: true, validate: httpsUrl }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    endsAt: t.field({ type: 'DateTime' }),
  }),
  validate: z
    .looseObject({ startsAt: z.string(), endsAt: z.string().nullish() })
    .refine((l) => !l.endsAt || Date.parse(l.endsAt) > Date.parse(l.startsAt), { message: 'endsAt must be after startsAt.', path: ['endsAt'] }),
});

const RemoveCampaignLinkInput = builder.inputType('RemoveCampaignLinkInput', {
  fields: (t) => ({ linkId: t.id({ required: true }) }),
});

// The commands check inside their transactions that the viewer's merchant organises the campaign.
builder.mutationFields((t) => ({
  addCampaignLink: t.field({
    type: CampaignLinkRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: AddCampaignLinkInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const { campaignId, endsAt, ...data } = input;
      // The command answers with the whole row it inserted.
      return commands.addCampaignLink(ctx.deps.db, actorOf(ctx), localId('Campaign', campaignId), { ...data, endsAt: endsAt ?? null });
    },
  }),
  removeCampaignLink: t.field({
    type: CampaignRef,
    description: 'Answers with the campaign and its remaining links.',
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: RemoveCampaignLinkInput, required: true }) },
    resolve: (_root, { input }, ctx) => commands.removeCampaignLink(ctx.deps.db, actorOf(ctx), localId('CampaignLink', input.linkId)),
  }),
}));

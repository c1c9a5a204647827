// A campaign's activity and livestream links: shown as buttons to whoever may see the campaign,
// kept by its organizer.
import { z } from 'zod';
import * as commands from '../db/commands/campaign-links.js';
import { actorOf } from './alliance.js';
import { builder } from './builder.js';
import { CampaignRef } from './campaign.js';
import { viewerAccess } from './policies/access.js';
import { canSeeCampaign } from './policies/campaigns.js';
import { localId } from './policies/global-id.js';
import { text } from './validators.js';

const CampaignLinkKindEnum = builder.enumType('CampaignLinkKind', { values: ['ACTIVITY', 'LIVESTREAM'] as const });

/** Granted by a share channel's public page (schema/sharing.ts), which shows the links to anyone with the code. */
export const SHARED_LINKS = 'sharedCampaignLinks';

export const CampaignLinkRef = builder.drizzleNode('campaignLinks', {
  name: 'CampaignLink',
  id: { column: (l) => l.id },
  select: { columns: { campaignId: true }, with: { campaign: { columns: { allianceId: true } } } },
  authScopes: (l, ctx) => (canSeeCampaign(viewerAccess(ctx), l.campaign) ? true : { $granted: SHARED_LINKS }),
  fields: (t) => ({
    kind: t.expose('kind', { type: CampaignLinkKindEnum }),
    title: t.exposeString('title'),
    url: t.exposeString('url', { description: 'Always https.' }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime', nullable: true }),
    isLive: t.boolean({
      description: 'A livestream from its start until its end, or for 4 hours when it has no end. An activity is never live.',
      select: { columns: { kind: true, startsAt: true, endsAt: true } },
      resolve: (l) => commands.isLinkLive(l),
    }),
  }),
});

builder.drizzleObjectField(CampaignRef, 'links', (t) => t.relation('links', { query: { orderBy: { startsAt: 'asc', id: 'asc' } } }));

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
  addCampaignLink: t.drizzleField({
    type: CampaignLinkRef,
    authScopes: { merchantStaff: true },
    args: { input: t.arg({ type: AddCampaignLinkInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { campaignId, endsAt, ...data } = input;
      const link = await commands.addCampaignLink(ctx.deps.db, actorOf(ctx), localId('Campaign', campaignId), { ...data, endsAt: endsAt ?? null });
      return (await ctx.deps.db.query.campaignLinks.findFirst(query({ where: { id: link.id } })))!;
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

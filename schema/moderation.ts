import { encodeGlobalID } from '@pothos/plugin-relay';
import * as commands from '../db/commands/moderation.js';
import { MODERATION_ACTION_KINDS } from '../db/tables/index.js';
import { actorOf, AllianceRef, allianceIdOf, reason } from './alliance.js';
import { builder } from './builder.js';
import { OfferRef } from './offer.js';
import { viewerAccess } from './policies/access.js';
import { localId } from './policies/global-id.js';
import {
  canDecideReport,
  canSeeModerationAction,
  canSeeReport,
  moderationActionVisibleWhere,
  reportAccessSelection,
  reportDecisionSelection,
  reportVisibleWhere,
} from './policies/moderation.js';
import { canSeeOffer, offerAccessSelection } from './policies/offers.js';

const ReportStatusEnum = builder.enumType('ReportStatus', { values: ['OPEN', 'RESOLVED', 'DISMISSED'] as const });
const ModerationActionKindEnum = builder.enumType('ModerationActionKind', { values: MODERATION_ACTION_KINDS });

export const OfferReportRef = builder.drizzleNode('offerReports', {
  name: 'OfferReport',
  id: { column: (r) => r.id },
  select: reportAccessSelection,
  authScopes: (r, ctx) => canSeeReport(viewerAccess(ctx), r),
  fields: (t) => ({
    offer: t.relation('offer'),
    reason: t.exposeString('reason'),
    status: t.expose('status', { type: ReportStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    decidableByViewer: t.boolean({
      description: "Whether the viewer may hide the offer or dismiss this open report: an admin whose own shop posted the offer may not, another admin of the alliance decides.",
      select: reportDecisionSelection,
      resolve: (r, _args, ctx) => canDecideReport(viewerAccess(ctx), r),
    }),
  }),
});

// Admins moderate without personal information: the actor is a merchant account's display name.
const ModerationActionRef = builder.drizzleObject('moderationActions', {
  name: 'ModerationAction',
  authScopes: (m, ctx) => canSeeModerationAction(viewerAccess(ctx), m),
  fields: (t) => ({
    id: t.id({ select: { columns: { id: true } }, resolve: (m) => encodeGlobalID('ModerationAction', m.id) }),
    kind: t.expose('kind', { type: ModerationActionKindEnum }),
    actor: t.string({ select: { with: { actor: { columns: { displayName: true } } } }, resolve: (m) => m.actor.displayName }),
    reason: t.exposeString('reason'),
    at: t.expose('at', { type: 'DateTime' }),
    offer: t.relation('offer', { nullable: true }),
    merchant: t.relation('merchant', { nullable: true }),
  }),
});

builder.drizzleObjectFields(AllianceRef, (t) => ({
  moderationQueue: t.drizzleConnection(
    {
      type: 'offerReports',
      description: "Admins only: open reports about offers in this alliance's communities, oldest first.",
      authScopes: (a) => ({ allianceAdmin: a.id }),
      resolve: (query, a, _args, ctx) =>
        ctx.deps.db.query.offerReports.findMany(
          query({
            where: { AND: [{ status: 'OPEN', offer: { placements: { allianceId: a.id } } }, reportVisibleWhere(viewerAccess(ctx))] },
            orderBy: { id: 'asc' },
          }),
        ),
    },
    { name: 'OfferReportConnection' },
    { name: 'OfferReportEdge' },
  ),
  moderationLog: t.relatedConnection(
    'moderationActions',
    {
      description: 'Admins only, newest first.',
      authScopes: (a) => ({ allianceAdmin: allianceIdOf(a) }),
      query: (_args, ctx) => ({ where: moderationActionVisibleWhere(viewerAccess(ctx)), orderBy: { at: 'desc' } }),
    },
    { name: 'ModerationActionConnection' },
    { name: 'ModerationActionEdge' },
  ),
}));

// Mutations answer with rows re-read through the planned query, so their access selections are loaded.
builder.mutationFields((t) => ({
  reportOffer: t.drizzleField({
    type: OfferReportRef,
    description: 'Anyone who can see an offer may report it once while the report is open.',
    authScopes: { authenticated: true },
    args: { offerId: t.arg.id({ required: true }), reason: t.arg.string({ required: true, validate: reason }) },
    resolve: async (query, _root, args, ctx) => {
      const offerId = localId('Offer', args.offerId);
      const report = await commands.reportOffer(
        ctx.deps.db,
        ctx.viewer!.accountId,
        offerId,
        args.reason,
        (tx) => tx.query.offers.findFirst({ where: { id: offerId }, ...offerAccessSelection }),
        (offer) => canSeeOffer(viewerAccess(ctx), offer),
      );
      return (await ctx.deps.db.query.offerReports.findFirst(query({ where: { id: report.id } })))!;
    },
  }),
  moderateOffer: t.drizzleField({
    type: OfferRef,
    description: 'Alliance admins hide an offer from every feed, or restore it; the reason lands in the moderation log.',
    authScopes: { merchantOwner: true },
    args: { offerId: t.arg.id({ required: true }), hide: t.arg.boolean({ required: true }), reason: t.arg.string({ required: true, validate: reason }) },
    resolve: async (query, _root, args, ctx) => {
      const offer = await commands.moderateOffer(ctx.deps.db, actorOf(ctx), localId('Offer', args.offerId), args.hide, args.reason);
      return (await ctx.deps.db.query.offers.findFirst(query({ where: { id: offer.id } })))!;
    },
  }),
  dismissReport: t.drizzleField({
    type: OfferReportRef,
    authScopes: { merchantOwner: true },
    args: { reportId: t.arg.id({ required: true }), reason: t.arg.string({ required: true, validate: reason }) },
    resolve: async (query, _root, args, ctx) => {
      const report = await commands.dismissReport(ctx.deps.db, actorOf(ctx), localId('OfferReport', args.reportId), args.reason);
      return (await ctx.deps.db.query.offerReports.findFirst(query({ where: { id: report.id } })))!;
    },
  }),
}));

import { encodeGlobalID } from '@pothos/plugin-relay';
import * as commands from '../db/commands/moderation.js';
import { notFound } from '../db/errors.js';
import { displayNamesOf, offerAccessRow } from '../db/queries/moderation-reads.js';
import type { Row } from '../db/queries/rows.js';
import { MODERATION_ACTION_KINDS } from '../db/tables/index.js';
import type { Context } from '../services/context.js';
import { actorOf, AllianceRef, allianceIdOf, reason } from './alliance.js';
import { builder } from './builder.js';
import { connectionOf, loaderFor, nodesOf, rowById, rowOf } from './loaders.js';
import { MerchantRef } from './merchant.js';
import { OfferRef } from './offer.js';
import { viewerAccess } from './policies/access.js';
import { localId } from './policies/global-id.js';
import {
  canDecideReport,
  canSeeModerationAction,
  canSeeReport,
  moderationActionVisibleWhere,
  reportAccessOf,
  reportDecisionOf,
  reportVisibleWhere,
} from './policies/moderation.js';
import { canSeeOffer } from './policies/offers.js';

const ReportStatusEnum = builder.enumType('ReportStatus', { values: ['OPEN', 'RESOLVED', 'DISMISSED'] as const });
const ModerationActionKindEnum = builder.enumType('ModerationActionKind', { values: MODERATION_ACTION_KINDS });

export const OfferReportRef = builder.node(builder.objectRef<Row<'offerReports'>>('OfferReport'), {
  id: { resolve: (r) => r.id },
  loadMany: nodesOf('offerReports'),
  rule: async (r, ctx) => canSeeReport(viewerAccess(ctx), await reportAccessOf(ctx, r)),
  fields: (t) => ({
    offer: t.field({ type: OfferRef, resolve: (r, _a, ctx) => rowOf(ctx, 'offers', r.offerId) }),
    reason: t.exposeString('reason'),
    status: t.expose('status', { type: ReportStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    decidableByViewer: t.boolean({
      description: "Whether the viewer may hide the offer or dismiss this open report: an admin whose own shop posted the offer may not, another admin of the alliance decides.",
      resolve: async (r, _args, ctx) => canDecideReport(viewerAccess(ctx), await reportDecisionOf(ctx, r)),
    }),
  }),
});

/** An account's display name, batched across the request's log entries (no other column of the account is read). */
const displayNameOf = (ctx: Context, accountId: string) =>
  loaderFor<string, string>(ctx, 'ModerationAction.actor', async (accountIds) => {
    const names = await displayNamesOf(ctx.deps.db, accountIds);
    return accountIds.map((id) => names.get(id) ?? notFound());
  }).load(accountId);

// Admins moderate without personal information: the actor is a merchant account's display name.
const ModerationActionRef = builder.objectRef<Row<'moderationActions'>>('ModerationAction').implement({
  rule: (m, ctx) => canSeeModerationAction(viewerAccess(ctx), m),
  fields: (t) => ({
    id: t.id({ resolve: (m) => encodeGlobalID('ModerationAction', m.id) }),
    kind: t.expose('kind', { type: ModerationActionKindEnum }),
    actor: t.string({ resolve: (m, _a, ctx) => displayNameOf(ctx, m.actorAccountId) }),
    reason: t.exposeString('reason'),
    at: t.expose('at', { type: 'DateTime' }),
    offer: t.field({ type: OfferRef, nullable: true, resolve: (m, _a, ctx) => rowById(ctx, 'offers', m.offerId) }),
    merchant: t.field({ type: MerchantRef, nullable: true, resolve: (m, _a, ctx) => rowById(ctx, 'merchants', m.merchantId) }),
  }),
});

builder.objectFields(AllianceRef, (t) => ({
  moderationQueue: t.connection(
    {
      type: OfferReportRef,
      description: "Admins only: open reports about offers in this alliance's communities, oldest first.",
      authScopes: (a) => ({ allianceAdmin: allianceIdOf(a) }),
      resolve: (a, args, ctx) =>
        connectionOf(ctx, 'offerReports', args, {
          where: { AND: [{ status: 'OPEN', offer: { placements: { allianceId: allianceIdOf(a) } } }, reportVisibleWhere(viewerAccess(ctx))] },
          ordering: [['id', 'asc']],
        }),
    },
    { name: 'OfferReportConnection' },
    { name: 'OfferReportEdge' },
  ),
  moderationLog: t.connection(
    {
      type: ModerationActionRef,
      description: 'Admins only, newest first.',
      authScopes: (a) => ({ allianceAdmin: allianceIdOf(a) }),
      resolve: (a, args, ctx) =>
        connectionOf(ctx, 'moderationActions', args, {
          where: { AND: [{ allianceId: allianceIdOf(a) }, moderationActionVisibleWhere(viewerAccess(ctx))] },
          ordering: [
            ['at', 'desc'],
            ['id', 'desc'],
          ],
        }),
    },
    { name: 'ModerationActionConnection' },
    { name: 'ModerationActionEdge' },
  ),
}));

// Mutations answer with the whole row their command wrote; the types' rules load what they read.
builder.mutationFields((t) => ({
  reportOffer: t.field({
    type: OfferReportRef,
    description: 'Anyone who can see an offer may report it once while the report is open.',
    authScopes: { authenticated: true },
    args: { offerId: t.arg.id({ required: true }), reason: t.arg.string({ required: true, validate: reason }) },
    resolve: (_root, args, ctx) => {
      const offerId = localId('Offer', args.offerId);
      return commands.reportOffer(
        ctx.deps.db,
        ctx.viewer!.accountId,
        offerId,
        args.reason,
        (tx) => offerAccessRow(tx, offerId),
        (offer) => canSeeOffer(viewerAccess(ctx), offer),
      );
    },
  }),
  moderateOffer: t.field({
    type: OfferRef,
    description: 'Alliance admins hide an offer from every feed, or restore it; the reason lands in the moderation log.',
    authScopes: { merchantOwner: true },
    args: { offerId: t.arg.id({ required: true }), hide: t.arg.boolean({ required: true }), reason: t.arg.string({ required: true, validate: reason }) },
    resolve: (_root, args, ctx) => commands.moderateOffer(ctx.deps.db, actorOf(ctx), localId('Offer', args.offerId), args.hide, args.reason),
  }),
  dismissReport: t.field({
    type: OfferReportRef,
    authScopes: { merchantOwner: true },
    args: { reportId: t.arg.id({ required: true }), reason: t.arg.string({ required: true, validate: reason }) },
    resolve: (_root, args, ctx) => commands.dismissReport(ctx.deps.db, actorOf(ctx), localId('OfferReport', args.reportId), args.reason),
  }),
}));

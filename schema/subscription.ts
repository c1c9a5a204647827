// Live updates over Server-Sent Events: each party of a referral request (the customer, the
// requester, the originating merchant) hears of its changes, nobody else. Events come from the
// notification worker (services/notify) through the pub/sub in AppDeps.
import { initContextCache } from '@pothos/core';
import type { DispatchedEvent } from '../db/commands/outbox.js';
import { loadViewerRow } from '../db/queries/accounts.js';
import { forbidden } from '../db/errors.js';
import { topicOf } from '../services/notify/pubsub.js';
import { adoptViewer, type Context } from '../services/context.js';
import { builder } from './builder.js';
import { rowOf } from './loaders.js';
import { canSeeReferral } from './policies/referrals.js';
import { ReferralRequestRef } from './referral.js';

/**
 * The events this subscriber may see, by the same rule as the ReferralRequest type. A stream
 * lives long: before each event the session is checked again (a signed-out, removed or demoted
 * account's stream ends) and the viewer and its loaders are renewed, so nothing read for an
 * earlier event (a contact since revoked) is served from a cache.
 */
async function* visibleTo(ctx: Context, events: AsyncIterable<DispatchedEvent>): AsyncGenerator<DispatchedEvent> {
  for await (const event of events) {
    const viewer = ctx.viewer!;
    const access = {
      requesterMerchantId: event.requesterMerchantId,
      originMerchantId: event.originMerchantId,
      deliveredAt: event.deliveredAt,
      customer: { accountId: event.customerAccountId },
    };
    if (!canSeeReferral(viewer, access)) continue;
    const row = await loadViewerRow(ctx.deps.db, viewer.accountId, viewer.sessionId);
    if (!row || row.tokenVersion !== viewer.tokenVersion) return;
    // The viewer's role and memberships as they are now, for this event's fields, and a fresh
    // request cache (schema/loaders.ts): this event's rows are read anew, not served from an earlier one.
    await adoptViewer(ctx, { ...row, sessionId: viewer.sessionId });
    Object.assign(ctx, initContextCache());
    yield event;
  }
}

builder.subscriptionType({});

builder.subscriptionField('referralUpdated', (t) =>
  t.field({
    type: ReferralRequestRef,
    description: "The viewer's referral requests as they are created or change state (customers and both merchants).",
    // Checked when the stream starts (the builder's authorizeOnSubscribe) and again per event.
    authScopes: { authenticated: true },
    subscribe: (_root, _args, ctx) => {
      const topic = topicOf(ctx.viewer!);
      if (!topic) throw forbidden();
      return visibleTo(ctx, ctx.deps.pubsub.subscribe(topic));
    },
    // Resolved through the ReferralRequest type: its rule and field rules (the contact only
    // for the requester, through the vault) apply to every event.
    resolve: (event, _args, ctx) => rowOf(ctx, 'referralRequests', (event as DispatchedEvent).referralId),
  }),
);

// The notification inbox: what happened to the viewer's referral requests while they were away.
// A customer's inbox is their account's; a merchant's is shared by its owner and staff.
import { z } from 'zod';
import { markNotificationsRead } from '../db/commands/outbox.js';
import { unreadCount } from '../db/queries/notifications.js';
import type { Row } from '../db/queries/rows.js';
import { REFERRAL_EVENT_KINDS } from '../db/tables/index.js';
import { builder } from './builder.js';
import { connectionOf, nodesOf, rowOf } from './loaders.js';
import { canSeeNotification, inboxWhere, recipientOf } from './policies/notifications.js';
import { localId } from './policies/global-id.js';
import { ReferralRequestRef } from './referral.js';

const NotificationKindEnum = builder.enumType('NotificationKind', {
  values: REFERRAL_EVENT_KINDS,
  description: 'What happened to the referral request. GRANT_ENDED: an accepted grant reached the end of its retention period.',
});

const NotificationRef = builder.node(builder.objectRef<Row<'notifications'>>('Notification'), {
  id: { resolve: (n) => n.id },
  loadMany: nodesOf('notifications'),
  rule: (n, ctx) => canSeeNotification(ctx.viewer, n),
  fields: (t) => ({
    kind: t.expose('kind', { type: NotificationKindEnum }),
    referral: t.field({ type: ReferralRequestRef, resolve: (n, _a, ctx) => rowOf(ctx, 'referralRequests', n.referralId) }),
    urgent: t.exposeBoolean('urgent', { description: 'A security notice (e.g. details shared), sent during quiet hours too.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  notifications: t.connection(
    {
      type: NotificationRef,
      description: "The viewer's inbox, newest first (a merchant's is shared by its staff).",
      authScopes: { authenticated: true },
      args: { unreadOnly: t.arg.boolean() },
      resolve: (_root, args, ctx) =>
        connectionOf(ctx, 'notifications', args, {
          where: { AND: [inboxWhere(ctx.viewer), args.unreadOnly ? { readAt: { isNull: true } } : {}] },
          ordering: [['id', 'desc']],
        }),
    },
    { name: 'NotificationConnection' },
    { name: 'NotificationEdge' },
  ),
  unreadNotificationCount: t.int({
    description: 'For a badge: unread notifications in the viewer\'s inbox (0 when signed out).',
    resolve: (_root, _args, ctx) => {
      const r = recipientOf(ctx.viewer);
      return r ? unreadCount(ctx.deps.db, r) : 0;
    },
  }),
}));

builder.mutationFields((t) => ({
  markNotificationsRead: t.int({
    description: "Marks these notifications read (all of the viewer's when ids is omitted); returns how many remain unread.",
    authScopes: { authenticated: true },
    args: { ids: t.arg.idList({ validate: z.array(z.string()).max(100) }) },
    resolve: async (_root, args, ctx) => {
      const r = recipientOf(ctx.viewer);
      if (!r) return 0;
      await markNotificationsRead(ctx.deps.db, r, args.ids ? args.ids.map((id) => localId('Notification', id)) : null);
      return unreadCount(ctx.deps.db, r);
    },
  }),
}));

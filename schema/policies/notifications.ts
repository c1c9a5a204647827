// Who may see a notification: its recipient (a customer account, or a merchant's accounts).
// The predicate for a loaded row and the matching filter for the inbox list.
import type { Recipient } from '../../db/queries/notifications.js';
import type { Viewer } from '../../services/context.js';
import { NOTHING, type Where } from './access.js';

export const recipientOf = (v: Viewer | null): Recipient | null =>
  v?.kind === 'CUSTOMER' ? { accountId: v.accountId } : v?.merchantId ? { merchantId: v.merchantId } : null;

export const canSeeNotification = (v: Viewer | null, n: { accountId: string | null; merchantId: string | null }) => {
  const r = recipientOf(v);
  return !!r && ('accountId' in r ? n.accountId === r.accountId : n.merchantId === r.merchantId);
};
export const inboxWhere = (v: Viewer | null): Where<'notifications'> => {
  const r = recipientOf(v);
  return r ? { channel: 'IN_APP', ...r } : NOTHING;
};


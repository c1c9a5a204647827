// Who sees harvesting alerts. The flagged shop's owner sees both kinds about the shop (a paused
// shop must know why); a disowned-records alert also goes to the admins of every alliance the
// shop is an approved member of. A staff reads alert is the owner's business alone: not the
// staff member's, not the admins'.
import type { Viewer } from '../../services/context.js';
import { anyOf, ids, type ViewerAccess, type Where } from './access.js';

/** The shop's OWNER account (staff never see alerts, even about themselves). */
export const isShopOwner = (v: Viewer | null, merchantId: string) => v?.staffRole === 'OWNER' && v.merchantId === merchantId;

/** The columns and relations canSeeAlert reads. */
export const alertAccessSelection = {
  columns: { merchantId: true, kind: true },
  with: { shopMemberships: { columns: { allianceId: true } } },
} as const;

export interface AlertAccessRow {
  merchantId: string;
  kind: 'DISOWNED_RECORDS' | 'STAFF_CONTACT_READS';
  /** The shop's APPROVED memberships. */
  shopMemberships: { allianceId: string }[];
}

/** Does the viewer administer an alliance one of these approved memberships is in? */
export const administersAny = (a: ViewerAccess, memberships: { allianceId: string }[]) => memberships.some((m) => a.adminAllianceIds.has(m.allianceId));

export function canSeeAlert(v: Viewer | null, a: ViewerAccess, alert: AlertAccessRow): boolean {
  return isShopOwner(v, alert.merchantId) || (alert.kind === 'DISOWNED_RECORDS' && administersAny(a, alert.shopMemberships));
}

export function alertVisibleWhere(v: Viewer | null, a: ViewerAccess): Where<'merchantAlerts'> {
  return anyOf<'merchantAlerts'>([
    v?.staffRole === 'OWNER' && !!v.merchantId && { merchantId: v.merchantId },
    a.adminAllianceIds.size > 0 && { kind: 'DISOWNED_RECORDS', shopMemberships: { allianceId: { in: ids(a.adminAllianceIds) } } },
  ]);
}

/** Whether a shop's new records are paused: its own accounts, and the admins who could lift it. */
export const recordsPausedSelection = { with: { approvedMemberships: { columns: { allianceId: true } } } } as const;
export const canSeeRecordsPaused = (v: Viewer | null, a: ViewerAccess, m: { id: string; approvedMemberships: { allianceId: string }[] }) =>
  (!!v?.merchantId && v.merchantId === m.id) || administersAny(a, m.approvedMemberships);

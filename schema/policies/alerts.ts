// Who sees harvesting alerts. The flagged shop's owner sees both kinds about the shop (a paused
// shop must know why); a disowned-records alert also goes to the admins of every alliance the
// shop is an approved member of. A staff reads alert is the owner's business alone: not the
// staff member's, not the admins'.
import type { Context, Viewer } from '../../services/context.js';
import { rowsWhere } from '../loaders.js';
import { anyOf, ids, viewerAccess, type ViewerAccess, type Where } from './access.js';

/** The shop's OWNER account (staff never see alerts, even about themselves). */
export const isShopOwner = (v: Viewer | null, merchantId: string) => v?.staffRole === 'OWNER' && v.merchantId === merchantId;

/**
 * A shop's APPROVED memberships (the alliances whose admins watch over it: its alerts, whether it
 * is paused), batched across the shops of the request.
 */
export const approvedMembershipsOf = (ctx: Context, merchantId: string): Promise<{ allianceId: string }[]> =>
  rowsWhere(ctx, 'Merchant.approvedMemberships', 'allianceMembers', 'merchantId', merchantId, { where: { status: 'APPROVED' } });

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

/** canSeeAlert of an alert row: the shop's memberships load (batched) only when the answer depends on them. */
export async function canSeeAlertRow(ctx: Context, alert: Omit<AlertAccessRow, 'shopMemberships'>): Promise<boolean> {
  const a = viewerAccess(ctx);
  if (isShopOwner(ctx.viewer, alert.merchantId)) return true;
  if (alert.kind !== 'DISOWNED_RECORDS' || a.adminAllianceIds.size === 0) return false;
  return canSeeAlert(ctx.viewer, a, { ...alert, shopMemberships: await approvedMembershipsOf(ctx, alert.merchantId) });
}

export function alertVisibleWhere(v: Viewer | null, a: ViewerAccess): Where<'merchantAlerts'> {
  return anyOf<'merchantAlerts'>([
    v?.staffRole === 'OWNER' && !!v.merchantId && { merchantId: v.merchantId },
    a.adminAllianceIds.size > 0 && { kind: 'DISOWNED_RECORDS', shopMemberships: { allianceId: { in: ids(a.adminAllianceIds) } } },
  ]);
}

/** Whether a shop's new records are paused: its own accounts, and the admins who could lift it. */
export const canSeeRecordsPaused = (v: Viewer | null, a: ViewerAccess, m: { id: string; approvedMemberships: { allianceId: string }[] }) =>
  (!!v?.merchantId && v.merchantId === m.id) || administersAny(a, m.approvedMemberships);

/** canSeeRecordsPaused of a merchant row: its memberships load (batched) only when the answer depends on them. */
export async function canSeeRecordsPausedOf(ctx: Context, m: { id: string }): Promise<boolean> {
  const a = viewerAccess(ctx);
  if (!!ctx.viewer?.merchantId && ctx.viewer.merchantId === m.id) return true;
  if (a.adminAllianceIds.size === 0) return false;
  return canSeeRecordsPaused(ctx.viewer, a, { ...m, approvedMemberships: await approvedMembershipsOf(ctx, m.id) });
}

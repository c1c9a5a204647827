// Who may read a merchant's own lists.
import type { Viewer } from '../../services/context.js';

/**
 * A merchant's own lists (customers, referrals, access log): its owner and staff only.
 * The parent is the merchant row (untyped here, so that any merchant field's authScopes takes it).
 */
export const isOwnMerchant = (merchant: unknown, _args: unknown, ctx: { viewer: Viewer | null }) =>
  !!ctx.viewer?.merchantId && ctx.viewer.merchantId === (merchant as { id: string }).id;

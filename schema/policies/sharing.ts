// Share channels and their counts are shown to the merchants who may create them: the offering
// merchant for an offer's, the campaign's participants for a campaign's.
import type { ViewerAccess } from './access.js';

export function canSeeShareChannel(a: ViewerAccess, c: { merchantId: string; offerId: string | null; campaignId: string | null }): boolean {
  if (c.offerId) return !!a.merchantId && a.merchantId === c.merchantId;
  return !!c.campaignId && a.campaignIds.has(c.campaignId);
}

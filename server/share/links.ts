// The addresses of a share channel: the link its QR code carries, its poster, and the web app
// page a scan lands on.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Config } from '../config.js';

const base = (config: Config) => config.PUBLIC_URL.replace(/\/+$/, '');

/** What the poster's QR code carries; a scan of it is counted by server/share/routes.ts. */
export const shareLink = (config: Config, code: string) => `${base(config)}/s/${code}`;

export const posterUrl = (config: Config, code: string) => `${base(config)}/share/${code}/poster.png`;

/** The web app's page of the offer or campaign (web/src/pages), told which channel brought the visitor. */
export function sharedPagePath(channel: { offerId: string | null; campaignId: string | null }, code: string): string {
  const page = channel.offerId ? `/merchant/offer?id=${encodeURIComponent(encodeGlobalID('Offer', channel.offerId))}` : `/merchant/campaign?id=${encodeURIComponent(encodeGlobalID('Campaign', channel.campaignId!))}`;
  return `${page}&ch=${code}`;
}

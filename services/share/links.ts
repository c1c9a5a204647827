// The addresses of a share channel: the link its QR code carries, its poster, and the web app
// page a scan lands on.
import type { Config } from '../settings.js';

/**
 * What the poster's QR code carries, scanned by another phone: an absolute address, so PUBLIC_URL's
 * (never the request's Host). A scan of it is counted by server/routes/share.ts.
 */
export const shareLink = (config: Config, code: string) => new URL(`/s/${code}`, config.PUBLIC_URL).href;

/** A path on this server, valid whatever address the page was opened at. */
export const posterPath = (code: string) => `/share/${code}/poster.png`;

/** The web app's public page of the channel (web/src/pages/shared/SharedPage.tsx), which counts the visit. */
export const sharedPagePath = (code: string) => `/shared/${code}`;

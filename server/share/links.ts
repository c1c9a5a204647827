// The addresses of a share channel: the link its QR code carries, its poster, and the web app
// page a scan lands on.
import type { Config } from '../config.js';

/** What the poster's QR code carries; a scan of it is counted by server/share/routes.ts. */
export const shareLink = (config: Config, code: string) => new URL(`/s/${code}`, config.PUBLIC_URL).href;

export const posterUrl = (config: Config, code: string) => new URL(`/share/${code}/poster.png`, config.PUBLIC_URL).href;

/** The web app's public page of the channel (web/src/pages/shared/SharedPage.tsx), which counts the visit. */
export const sharedPagePath = (code: string) => `/shared/${code}`;

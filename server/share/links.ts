// The addresses of a share channel: the link its QR code carries, its poster, and the web app
// page a scan lands on.
import type { Config } from '../config.js';

const base = (config: Config) => config.PUBLIC_URL.replace(/\/+$/, '');

/** What the poster's QR code carries; a scan of it is counted by server/share/routes.ts. */
export const shareLink = (config: Config, code: string) => `${base(config)}/s/${code}`;

export const posterUrl = (config: Config, code: string) => `${base(config)}/share/${code}/poster.png`;

/** The web app's public page of the channel (web/src/pages/shared/SharedPage.tsx), which counts the visit. */
export const sharedPagePath = (code: string) => `/shared/${code}`;

// GET /s/<code>: a scan of a share poster's QR code, counted for its channel (and nothing about who
// scanned), then on to the offer's or campaign's page. GET /share/<code>/poster.png: the poster.
import { Router } from 'express';
import { countShare, SHARE_CODE } from '../../db/commands/sharing.js';
import { AppError } from '../../db/errors.js';
import { channelByCode, posterContent } from '../../db/queries/sharing.js';
import type { AppDeps } from '../context.js';
import { consume } from '../rate-limits.js';
import { shareLink, sharedPagePath } from './links.js';
import { renderPoster } from './poster.js';

export function shareRoutes(deps: AppDeps): Router {
  const router = Router();

  /** False once the address has used up its limit: its scans then go uncounted, it is still sent on. */
  const withinLimit = (ip: string | undefined) =>
    consume(deps.limits.shareCountsPerIp, ip ?? 'unknown').then(
      () => true,
      (err) => {
        if (err instanceof AppError) return false;
        throw err;
      },
    );

  router.get('/s/:code', async (req, res) => {
    const { code } = req.params;
    // A visitor is always sent somewhere: a failure to count is logged, not shown.
    let to = '/';
    try {
      const channel = SHARE_CODE.test(code) ? await channelByCode(deps.db, code) : undefined;
      if (channel) {
        to = sharedPagePath(channel, code);
        if (await withinLimit(req.ip)) await countShare(deps.db, channel.id, 'scans');
      }
    } catch (err) {
      deps.logger.error({ err }, 'share scan not counted');
    }
    res.set('Cache-Control', 'no-store').redirect(302, to);
  });

  router.get('/share/:code/poster.png', async (req, res) => {
    const { code } = req.params;
    try {
      const content = SHARE_CODE.test(code) ? await posterContent(deps.db, code) : undefined;
      if (!content) return res.status(404).type('text/plain').send('No such poster.');
      const image = content.posterKey ? (await deps.mediaStorage.get(content.posterKey))?.bytes : undefined;
      const png = await renderPoster({ title: content.title, merchantName: content.merchantName, link: shareLink(deps.config, code), image });
      res
        .set({
          'Content-Type': 'image/png',
          // A phone saves it rather than opening it.
          'Content-Disposition': `attachment; filename="poster-${code}.png"`,
          // A title may change: the poster is drawn anew, never kept.
          'Cache-Control': 'no-cache',
        })
        .send(png);
    } catch (err) {
      deps.logger.error({ err }, 'share poster not drawn');
      res.status(500).type('text/plain').send('Something went wrong on our side. Please try again.');
    }
  });
  return router;
}

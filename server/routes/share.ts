// GET /s/<code>: a scan of a share poster's QR code, counted for its channel (and nothing about who
// scanned), then on to the channel's public page. GET /share/<code>/poster.png: the poster, drawn
// once and then read from the media storage.
import { Router } from 'express';
import { countShare, SHARE_CODE } from '../../db/commands/sharing.js';
import { AppError, notFound } from '../../db/errors.js';
import { channelByCode, sharedContent } from '../../db/queries/sharing.js';
import type { AppDeps } from '../../services/context.js';
import { answerError } from '../http-errors.js';
import { addressKey, consume } from '../../services/rate-limits.js';
import { shareLink, sharedPagePath } from '../../services/share/links.js';
import { posterCacheKey, renderPoster, type PosterParts } from '../../services/share/poster.js';

export function shareRoutes(deps: AppDeps): Router {
  const router = Router();

  /** False once the address has used up its limit: its scans then go uncounted, it is still sent on. */
  const withinLimit = (ip: string | undefined) =>
    consume(deps.limits.shareCountsPerIp, addressKey(ip)).then(
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
        to = sharedPagePath(code);
        if (await withinLimit(req.ip)) await countShare(deps.db, channel.id, 'scans');
      }
    } catch (err) {
      deps.logger.error({ err }, 'share scan not counted');
    }
    res.set('Cache-Control', 'no-store').redirect(302, to);
  });

  /** Draws a poster and keeps it; each drawing counts against the address's limit. */
  async function draw(ip: string | undefined, key: string, parts: Omit<PosterParts, 'image'> & { imageKey: string | null }): Promise<Buffer> {
    await consume(deps.limits.sharePostersPerIp, addressKey(ip));
    const image = parts.imageKey ? (await deps.mediaStorage.get(parts.imageKey))?.bytes : undefined;
    const png = await renderPoster({ ...parts, image });
    // A poster drawn without its (missing) image is not kept under a key that names the image.
    if (!parts.imageKey || image) await deps.mediaStorage.put(key, png, 'image/png');
    return png;
  }

  router.get('/share/:code/poster.png', async (req, res) => {
    const { code } = req.params;
    try {
      const content = SHARE_CODE.test(code) ? await sharedContent(deps.db, code) : undefined;
      if (!content) return answerError(deps, res, notFound('poster'));
      const parts = { title: content.title, merchantName: content.merchantName, link: shareLink(deps.config, code), imageKey: content.poster?.displayKey ?? null };
      const key = posterCacheKey(parts);
      const png = (await deps.mediaStorage.get(key))?.bytes ?? (await draw(req.ip, key, parts));
      res
        .set({
          'Content-Type': 'image/png',
          // A phone saves it rather than opening it.
          'Content-Disposition': `attachment; filename="poster-${code}.png"`,
          // A title may change, and with it the poster: browsers ask again each time.
          'Cache-Control': 'no-cache',
        })
        .send(png);
    } catch (err) {
      answerError(deps, res, err);
    }
  });
  return router;
}

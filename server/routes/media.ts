// POST /media: merchant staff upload a poster (the raw image bytes as the body); GET /media/<key>
// serves its renditions. Answers are shaped like GraphQL's: { data } or { errors: [{ message, extensions: { code } }] }.
//
// An upload authenticates with the Authorization header only (the platform sets no cookies), so a
// form on another site cannot upload in a signed-in user's name.
import express, { Router, type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { recordMedia } from '../../db/commands/media.js';
import { badInput, forbidden, notFound, unauthenticated } from '../../db/errors.js';
import type { AppDeps, Viewer } from '../../services/context.js';
import { contextFor } from '../context.js';
import { answerError } from '../http-errors.js';
import { consume } from '../../services/rate-limits.js';
import { MAX_UPLOAD_BYTES, mediaView, preparePoster, tooLarge } from '../../services/media/images.js';

export function mediaRoutes(deps: AppDeps): Router {
  const router = Router();

  // Who uploads, checked before a byte of the body is read: staff of a merchant, within their limit.
  const uploader: RequestHandler = async (req, res, next) => {
    try {
      const { viewer } = await contextFor(deps, req.headers.authorization, req.ip);
      if (!viewer) throw unauthenticated();
      if (!viewer.merchantId) throw forbidden('Only merchant staff may upload posters.');
      await consume(deps.limits.mediaUploadsPerAccount, viewer.accountId);
      res.locals.viewer = viewer;
      next();
    } catch (error) {
      answerError(deps, res, error);
    }
  };
  // Any declared type (it is not trusted: preparePoster reads the content). The limit refuses a
  // declared length at once and stops counting an undeclared one at the limit; the rest of the
  // body is read off and dropped, never kept. Compressed bodies are refused: the limit would count
  // their compressed size.
  const body = express.raw({ type: () => true, limit: MAX_UPLOAD_BYTES, inflate: false });
  const bodyRefused: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, next) => {
    if (err.type === 'entity.too.large') return answerError(deps, res, tooLarge(), 413);
    if (err.status && err.status >= 400 && err.status < 500) return answerError(deps, res, badInput('file', 'Send the image file uncompressed, as the request body.'));
    next(err);
  };

  router.post('/', uploader, body, bodyRefused, async (req: Request, res: Response) => {
    try {
      const viewer = res.locals.viewer as Viewer;
      const poster = await preparePoster(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
      for (const r of [poster.display, poster.thumb]) await deps.mediaStorage.put(r.key, r.bytes, poster.contentType);
      const row = await recordMedia(deps.db, { accountId: viewer.accountId, merchantId: viewer.merchantId! }, {
        hash: poster.hash,
        contentType: poster.contentType,
        width: poster.display.width,
        height: poster.display.height,
        bytes: poster.display.bytes.length,
        displayKey: poster.display.key,
        thumbKey: poster.thumb.key,
      });
      res.status(201).json({ data: mediaView(row) });
    } catch (error) {
      answerError(deps, res, error);
    }
  });

  // Keys carry their content's hash: what a URL shows never changes, so it may be cached for good.
  // Posters are public marketing material, shown on other sites too (shared links).
  router.get('/*key', async (req, res) => {
    try {
      const stored = await deps.mediaStorage.get((req.params as { key: string[] }).key.join('/'));
      if (!stored) return answerError(deps, res, notFound('image'));
      res
        .set({
          'Content-Type': stored.contentType,
          'Cache-Control': 'public, max-age=31536000, immutable',
          'X-Content-Type-Options': 'nosniff',
          'Cross-Origin-Resource-Policy': 'cross-origin',
        })
        .send(stored.bytes);
    } catch (error) {
      answerError(deps, res, error);
    }
  });
  return router;
}

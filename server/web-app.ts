// How responses travel: compressed where it pays, and the built web app served with cache rules
// that let browsers and CDNs keep its hashed files for good while a deploy still reaches them.
import { join } from 'node:path';
import compression from 'compression';
import express, { type RequestHandler, type Router } from 'express';
import { webContentSecurityPolicy } from './http-guards.js';

/**
 * Brotli or gzip, as the client accepts, for compressible types (JSON, GraphQL answers, scripts,
 * styles, HTML; images are left alone). Server-Sent Events streams stay uncompressed, so no event
 * waits in a compressor's buffer: Yoga marks them `Content-Encoding: none`, which the middleware
 * leaves alone (test/api/delivery.test.ts).
 */
export const compressResponses = (): RequestHandler => compression();

/**
 * The built web app in `dir`: /assets/* (file names carry a content hash) cached for a year as
 * immutable, and a missing asset is a 404 (an HTML page there would break the old page that asked
 * for it); the app shell (index.html, and every client-side route) revalidated on each visit.
 */
export function webAppRoutes(dir: string): Router {
  const router = express.Router();
  router.use(webContentSecurityPolicy());
  router.use('/assets', express.static(join(dir, 'assets'), { index: false, maxAge: '1y', immutable: true }), (_req, res) => {
    res.status(404).type('text/plain').send('Not found');
  });
  router.use(express.static(dir, { index: 'index.html', maxAge: '1h', setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') }));
  // Client-side routes fall back to the app shell.
  router.get(/^\/(?!graphql|healthz|readyz|\.well-known|media\/).*/, (_req, res, next) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile('index.html', { root: dir }, (error) => error && next(error));
  });
  return router;
}

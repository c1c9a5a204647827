// Uploaded posters: checked by their content, never by a name or a declared type, and re-encoded
// so that what is served is only pixels (no EXIF, GPS position, camera serial or comments).
import { createHash } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import sharp from 'sharp';
import { badInput } from '../../db/errors.js';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** A small file may declare huge dimensions (a decompression bomb): refused before decoding. */
export const MAX_INPUT_PIXELS = 40_000_000;
const ACCEPTED = new Set(['jpeg', 'png', 'webp']);
const RENDITIONS = {
  display: { width: 1080, height: 1920 },
  thumb: { width: 320, height: 320 },
} as const;

export interface Rendition {
  key: string;
  bytes: Buffer;
  width: number;
  height: number;
}

export interface Poster {
  /** Hex SHA-256 of the display rendition. */
  hash: string;
  contentType: 'image/webp';
  display: Rendition;
  thumb: Rendition;
}

const refuse = (message: string) => badInput('file', message);
export const tooLarge = () => refuse('The image is larger than 10 MB.');

/**
 * The display (inside 1080x1920) and thumbnail (inside 320x320) renditions of an uploaded JPEG,
 * PNG or WebP, turned upright by its EXIF orientation, as WebP without any metadata. Anything
 * else is BAD_USER_INPUT.
 */
export async function preparePoster(upload: Buffer): Promise<Poster> {
  if (upload.length > MAX_UPLOAD_BYTES) throw tooLarge();
  if (upload.length === 0) throw refuse('Send the image file as the request body.');
  // The header only (nothing is decoded yet), whatever the size it declares, so the answer can say so.
  const header = await sharp(upload, { limitInputPixels: false })
    .metadata()
    .catch(() => undefined);
  if (!header?.format || !ACCEPTED.has(header.format)) throw refuse('Upload a JPEG, PNG or WebP image.');
  if (header.width * header.height > MAX_INPUT_PIXELS) throw refuse(`The image is larger than ${MAX_INPUT_PIXELS / 1_000_000} megapixels.`);
  const input = () => sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS });
  try {
    const [display, thumb] = await Promise.all([render(input(), 'display'), render(input(), 'thumb')]);
    return { hash: display.hash, contentType: 'image/webp', display, thumb };
  } catch {
    // sharp's messages name the library's internals; the uploader needs to know what to change.
    throw refuse('The image could not be read: the file is damaged.');
  }
}

// sharp writes no metadata unless asked to (keepMetadata, withExif, withMetadata...): never ask.
async function render(image: sharp.Sharp, name: keyof typeof RENDITIONS) {
  const { data, info } = await image
    .autoOrient()
    .resize({ ...RENDITIONS[name], fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 82 })
    .toBuffer({ resolveWithObject: true });
  const hash = createHash('sha256').update(data).digest('hex');
  return { key: `posters/${hash}-${name}.webp`, bytes: data, width: info.width, height: info.height, hash };
}

export interface MediaView {
  id: string;
  url: string;
  thumbnailUrl: string;
  width: number;
  height: number;
}

/**
 * How a stored poster is shown, by the upload endpoint and by the API alike. Its URLs are paths on
 * this server, so they work whatever address the page was opened at (another host name, an IP).
 */
export function mediaView(m: { id: string; displayKey: string; thumbKey: string; width: number; height: number }): MediaView {
  const urlOf = (key: string) => `/media/${key}`;
  return { id: encodeGlobalID('Media', m.id), url: urlOf(m.displayKey), thumbnailUrl: urlOf(m.thumbKey), width: m.width, height: m.height };
}

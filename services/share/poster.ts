// A share poster: a phone-screen PNG with the offer's or campaign's uploaded poster (or a plain
// panel), its title, the merchant's name and a QR code of the channel's link, for a merchant to
// save and post in a WeChat group. Drawing one costs about 85 ms of CPU, so a drawn poster is kept
// in the media storage under a hash of everything it shows.
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import sharp from 'sharp';

export const POSTER = { width: 750, height: 1334 } as const;
const IMAGE_HEIGHT = 760;
const MARGIN = 48;
const QR_SIZE = 280;
const QR_TOP = POSTER.height - MARGIN - QR_SIZE;
const FONT = `'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif`;
const TITLE_SIZE = 44;
const TITLE_LINES = 2;

export interface PosterParts {
  title: string;
  merchantName: string;
  /** What the QR code carries. */
  link: string;
  /** The uploaded poster, any format sharp reads; a plain panel without it. */
  image?: Buffer;
}

// Raise when the drawing changes, so posters drawn the old way are not served again.
const LAYOUT_VERSION = 1;

/**
 * The media storage key of the poster drawn from these parts: a hash of all of them (the uploaded
 * image by its own content-hashed key), so a changed title or poster is drawn anew.
 */
export function posterCacheKey(parts: Omit<PosterParts, 'image'> & { imageKey: string | null }): string {
  const drawn = JSON.stringify([LAYOUT_VERSION, parts.title, parts.merchantName, parts.link, parts.imageKey]);
  return `share-posters/${createHash('sha256').update(drawn).digest('hex')}.png`;
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Roughly how wide a character sets, in ems: CJK and other wide characters take a full em. */
const emWidth = (ch: string) => (/[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u.test(ch) ? 1 : 0.58);

/** Breaks text into lines at most `maxEm` wide (SVG text does not wrap); the last line kept ends in an ellipsis if text was cut. */
export function wrapText(text: string, maxEm: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const ch of text) {
    const w = emWidth(ch);
    if (width + w > maxEm && line) {
      lines.push(line);
      line = '';
      width = 0;
    }
    line += ch;
    width += w;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = `${[...kept[maxLines - 1]!].slice(0, -1).join('')}…`;
  return kept;
}

function textOverlay(title: string, merchantName: string): Buffer {
  const textWidthEm = (POSTER.width - 2 * MARGIN) / TITLE_SIZE;
  const titleLines = wrapText(title, textWidthEm, TITLE_LINES);
  const titleTop = IMAGE_HEIGHT + MARGIN + TITLE_SIZE;
  const lineHeight = Math.round(TITLE_SIZE * 1.3);
  const merchantTop = titleTop + (titleLines.length - 1) * lineHeight + 56;
  const captionX = MARGIN + QR_SIZE + 36;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${POSTER.width}" height="${POSTER.height}">
  <g font-family="${FONT}">
    ${titleLines.map((l, i) => `<text x="${MARGIN}" y="${titleTop + i * lineHeight}" font-size="${TITLE_SIZE}" font-weight="bold" fill="#222222">${escapeXml(l)}</text>`).join('\n    ')}
    <text x="${MARGIN}" y="${merchantTop}" font-size="30" fill="#666666">${escapeXml(wrapText(merchantName, (POSTER.width - 2 * MARGIN) / 30, 1)[0] ?? '')}</text>
    <text x="${captionX}" y="${QR_TOP + 120}" font-size="30" fill="#222222">长按识别二维码</text>
    <text x="${captionX}" y="${QR_TOP + 168}" font-size="26" fill="#888888">查看详情</text>
  </g>
</svg>`;
  return Buffer.from(svg);
}

/** A plain warm panel where no poster was uploaded. */
const panel = () => sharp({ create: { width: POSTER.width, height: IMAGE_HEIGHT, channels: 3, background: '#c8553d' } }).png().toBuffer();

export async function renderPoster(parts: PosterParts): Promise<Buffer> {
  const image = parts.image ? await sharp(parts.image).resize(POSTER.width, IMAGE_HEIGHT, { fit: 'cover' }).png().toBuffer() : await panel();
  const qr = await QRCode.toBuffer(parts.link, { type: 'png', margin: 1, width: QR_SIZE });
  return sharp({ create: { width: POSTER.width, height: POSTER.height, channels: 3, background: '#ffffff' } })
    .composite([
      { input: image, top: 0, left: 0 },
      { input: textOverlay(parts.title, parts.merchantName), top: 0, left: 0 },
      { input: qr, top: QR_TOP, left: MARGIN },
    ])
    .png()
    .toBuffer();
}

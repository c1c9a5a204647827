// A poster of an offer or campaign: the thumbnail in lists and cards, the display rendition on the
// page. Width and height are set from the image's own proportions, so nothing jumps when it loads.
import { graphql, type ResultOf } from '../graphql';

/** The poster fields documents select (width and height of the display rendition; the thumbnail has the same proportions). */
export const MediaFields = graphql(`
  fragment MediaFields on Media @_unmask { url thumbnailUrl width height }
`);

export type Media = ResultOf<typeof MediaFields>;

/** How large a thumbnail shows (its longer side, in CSS pixels). */
const THUMB = 160;

/** The image's size scaled to fit a square box of `side` (never enlarged). */
const fit = ({ width, height }: Media, side: number) => {
  const scale = Math.min(1, side / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
};

/** The display rendition at its own size (the stylesheet narrows it to the page), or the thumbnail. */
export function PosterImage({ media, size, alt }: { media: Media; size: 'thumb' | 'display'; alt: string }) {
  return (
    <img
      className={`poster ${size}`}
      src={size === 'thumb' ? media.thumbnailUrl : media.url}
      {...(size === 'thumb' ? fit(media, THUMB) : { width: media.width, height: media.height })}
      alt={alt}
      loading={size === 'thumb' ? 'lazy' : 'eager'}
      decoding="async"
    />
  );
}

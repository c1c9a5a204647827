// Uploading a poster to POST /media: the raw image bytes as the body, through XMLHttpRequest
// because fetch reports no upload progress. Answers are shaped like GraphQL's, so a refusal
// becomes a CombinedError that the usual error wording describes.
import { CombinedError } from '@urql/core';
import { graphql, type ResultOf } from './graphql';
import { accessToken, renewSession } from './session';

/** The server's limit (server/media): checked here first, so a phone does not send 10 MB for nothing. */
export const MAX_POSTER_BYTES = 10 * 1024 * 1024;
export const POSTER_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** What POST /media answers with: the schema's Media, as setOfferPoster and the like take its id. */
const UploadedMediaFields = graphql(`
  fragment UploadedMediaFields on Media @_unmask { id url thumbnailUrl width height }
`);

export type UploadedMedia = ResultOf<typeof UploadedMediaFields>;

interface Answer {
  status: number;
  body: { data?: UploadedMedia; errors?: { message: string; extensions?: { code?: string } }[] } | null;
}

export type UploadOutcome = { media: UploadedMedia } | { error: CombinedError; tooLarge: boolean };

function send(file: File, token: string | null, onProgress: (percent: number) => void): Promise<Answer | null> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/media');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.floor((event.loaded / event.total) * 100));
    };
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response as Answer['body'] });
    // No answer at all: offline, or the connection dropped mid-upload.
    xhr.onerror = () => resolve(null);
    xhr.onabort = () => resolve(null);
    xhr.send(file);
  });
}

/** Uploads one image, reporting the percentage sent; a refused token is renewed once and the upload retried. */
export async function uploadPoster(file: File, onProgress: (percent: number) => void): Promise<UploadOutcome> {
  let answer = await send(file, await accessToken(), onProgress);
  if (answer?.status === 401) {
    const renewed = await renewSession();
    if (renewed) {
      onProgress(0);
      answer = await send(file, renewed.accessToken, onProgress);
    }
  }
  if (!answer) return { error: new CombinedError({ networkError: new Error('upload failed') }), tooLarge: false };
  if (answer.body?.data) return { media: answer.body.data };
  const errors = answer.body?.errors?.length ? answer.body.errors : [{ message: '', extensions: { code: 'INTERNAL_SERVER_ERROR' } }];
  return { error: new CombinedError({ graphQLErrors: errors }), tooLarge: answer.status === 413 };
}

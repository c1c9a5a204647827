// Where uploaded images are kept. Keys are relative paths that carry their content's hash
// (posters/<sha256>-display.webp), so a stored object never changes once written.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export interface StoredMedia {
  bytes: Buffer;
  contentType: string;
}

/**
 * The two operations the platform needs. Local disk is the default; several server processes
 * need one shared store instead (an S3-compatible bucket implements the same two methods).
 */
export interface MediaStorage {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** Undefined for a key never stored, or one that is not a key at all. */
  get(key: string): Promise<StoredMedia | undefined>;
}

// Lower-case path segments of letters, digits and single separators: no "..", no absolute paths,
// so a key a client sends in a URL can never name a file outside the store.
const KEY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;
export const isMediaKey = (key: string) => key.length <= 200 && KEY.test(key);

const TYPE_SUFFIX = '.content-type';

/** Files under `dir` (created on the first put), each beside a small file naming its content type. */
export function localDiskStorage(dir: string): MediaStorage {
  const root = resolve(dir);
  const pathOf = (key: string) => join(root, ...key.split('/'));
  return {
    async put(key, bytes, contentType) {
      if (!isMediaKey(key)) throw new Error(`not a media key: ${key}`);
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Written under a temporary name and renamed: a reader (or another process putting the same
      // key) never sees half a file. The type goes first, so a present image always has one.
      const temp = `${path}.${randomUUID()}.tmp`;
      await writeFile(`${path}${TYPE_SUFFIX}`, contentType);
      try {
        await writeFile(temp, bytes);
        await rename(temp, path);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
    },
    async get(key) {
      if (!isMediaKey(key) || key.endsWith(TYPE_SUFFIX)) return undefined;
      const path = pathOf(key);
      try {
        const [bytes, contentType] = await Promise.all([readFile(path), readFile(`${path}${TYPE_SUFFIX}`, 'utf8')]);
        return { bytes, contentType };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
        throw err;
      }
    },
  };
}

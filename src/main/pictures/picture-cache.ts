// Profile pictures on disk, so the window shows them at once and while offline. One file per
// picture URL, named by the URL's hash (no part of the URL becomes a path), written atomically,
// and the folder kept under a size: the least recently written go first.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { sniffImageType, type ImageType } from './image-type';

export interface CachedPicture {
  type: ImageType;
  bytes: Buffer;
  /** When it was written (epoch ms). */
  savedAtMs: number;
}

export interface PictureCache {
  read(url: string): Promise<CachedPicture | null>;
  write(url: string, bytes: Buffer): Promise<void>;
}

export interface PictureCacheOptions {
  dir: string;
  /** The folder's size limit in bytes. */
  maxBytes?: number;
}

export const DEFAULT_CACHE_BYTES = 8 * 1024 * 1024;

const NAME = /^[0-9a-f]{64}$/;
const TEMP = /^[0-9a-f]{64}\.[0-9a-f]+\.tmp$/;

export const cacheFileName = (url: string): string =>
  createHash('sha256').update(url).digest('hex');

export function openPictureCache(opts: PictureCacheOptions): PictureCache {
  const maxBytes = opts.maxBytes ?? DEFAULT_CACHE_BYTES;
  let ready: Promise<void> | null = null;
  // Temp files of a write the app did not finish (it was killed) are deleted once, on first use.
  const prepare = (): Promise<void> =>
    (ready ??= (async () => {
      await fs.mkdir(opts.dir, { recursive: true, mode: 0o700 });
      for (const name of await fs.readdir(opts.dir)) {
        if (TEMP.test(name)) await fs.rm(path.join(opts.dir, name), { force: true });
      }
    })());

  async function trim(): Promise<void> {
    const entries: { file: string; size: number; mtimeMs: number }[] = [];
    for (const name of await fs.readdir(opts.dir)) {
      if (!NAME.test(name)) continue;
      const file = path.join(opts.dir, name);
      const stat = await fs.stat(file).catch(() => null);
      if (stat?.isFile()) entries.push({ file, size: stat.size, mtimeMs: stat.mtimeMs });
    }
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const entry of entries) {
      if (total <= maxBytes) break;
      await fs.rm(entry.file, { force: true });
      total -= entry.size;
    }
  }

  return {
    async read(url) {
      const file = path.join(opts.dir, cacheFileName(url));
      let bytes: Buffer;
      let savedAtMs: number;
      try {
        bytes = await fs.readFile(file);
        savedAtMs = (await fs.stat(file)).mtimeMs;
      } catch {
        return null;
      }
      const type = sniffImageType(bytes);
      if (type) return { type, bytes, savedAtMs };
      // Damaged (or not ours): it would never show, so it goes.
      await fs.rm(file, { force: true });
      return null;
    },
    async write(url, bytes) {
      await prepare();
      const name = cacheFileName(url);
      const temp = path.join(opts.dir, `${name}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await fs.writeFile(temp, bytes, { mode: 0o600 });
        await fs.rename(temp, path.join(opts.dir, name));
      } finally {
        await fs.rm(temp, { force: true });
      }
      await trim();
    },
  };
}

// The window's profile pictures: from the disk cache while fresh, else fetched (and cached), else
// the cached copy however old (offline), else none, and the window shows initials. A picture that
// failed is not asked for again for a while, however often the window scrolls past it.
import type { Log } from '../log/logger';
import { toDataUrl } from './image-type';
import type { PictureCache } from './picture-cache';
import type { FetchPicture } from './fetch-picture';
import { checkPictureUrl } from './picture-url';

/** A picture URL's image as a `data:` URL, or null. Never throws. */
export type PictureSource = (url: string) => Promise<string | null>;

export interface PictureStoreOptions {
  cache: PictureCache;
  fetch: FetchPicture;
  /** How long a cached picture is used without asking its server again. */
  maxAgeMs?: number;
  /** How long after a failure the same URL is tried again. */
  retryAfterMs?: number;
  now?: () => number;
  log?: Pick<Log, 'warn'>;
}

export const PICTURE_MAX_AGE_MS = 24 * 3_600_000;
export const PICTURE_RETRY_MS = 10 * 60_000;

export function createPictureStore(opts: PictureStoreOptions): PictureSource {
  const now = opts.now ?? Date.now;
  const maxAgeMs = opts.maxAgeMs ?? PICTURE_MAX_AGE_MS;
  const retryAfterMs = opts.retryAfterMs ?? PICTURE_RETRY_MS;
  const failedAt = new Map<string, number>();
  const running = new Map<string, Promise<string | null>>();

  async function load(url: string): Promise<string | null> {
    const checked = checkPictureUrl(url);
    if ('problem' in checked) {
      if (!failedAt.has(url))
        opts.log?.warn('A profile picture was not fetched', { reason: checked.problem });
      failedAt.set(url, now());
      return null;
    }
    const cached = await opts.cache.read(url).catch(() => null);
    const cachedUrl = cached ? toDataUrl(cached.type, cached.bytes) : null;
    if (cached && now() - cached.savedAtMs < maxAgeMs) return cachedUrl;
    const failed = failedAt.get(url);
    if (failed !== undefined && now() - failed < retryAfterMs) return cachedUrl;
    try {
      const picture = await opts.fetch(url);
      failedAt.delete(url);
      await opts.cache
        .write(url, picture.bytes)
        .catch((err: unknown) =>
          opts.log?.warn('A profile picture could not be cached', { error: message(err) }),
        );
      return toDataUrl(picture.type, picture.bytes);
    } catch (err) {
      if (failed === undefined)
        opts.log?.warn('A profile picture was not fetched', { reason: message(err) });
      failedAt.set(url, now());
      return cachedUrl;
    }
  }

  return (url) => {
    // Several rows (or the header and a row) asking for one picture share one fetch.
    let pending = running.get(url);
    if (!pending) {
      pending = load(url).finally(() => running.delete(url));
      running.set(url, pending);
    }
    return pending;
  };
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

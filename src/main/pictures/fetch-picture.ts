// Fetches one profile picture over https, as a browser would refuse to be tricked: https only (a
// redirect included), a size cap, an allow-list of image types checked against the bytes, one
// deadline for the whole exchange, and no cookies or credentials (none are ever sent).
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { declaredImageType, IMAGE_TYPES, sniffImageType, type ImageType } from './image-type';
import { checkPictureUrl } from './picture-url';

export interface PictureBytes {
  type: ImageType;
  bytes: Buffer;
}

export type FetchPicture = (url: string) => Promise<PictureBytes>;

/** A picture that could not be fetched; the message says why, in words, without the URL's query. */
export class PictureError extends Error {
  override name = 'PictureError';
}

export interface FetchPictureOptions {
  /** For the whole exchange, redirects included. */
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Trusted root certificates instead of the bundled ones (a server with its own certificate). */
  ca?: string | Buffer;
  /** How host names are resolved; default DNS. */
  lookup?: LookupFunction;
}

export const PICTURE_LIMITS = { timeoutMs: 5_000, maxBytes: 512 * 1024, maxRedirects: 3 };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createPictureFetcher(opts: FetchPictureOptions = {}): FetchPicture {
  const timeoutMs = opts.timeoutMs ?? PICTURE_LIMITS.timeoutMs;
  const maxBytes = opts.maxBytes ?? PICTURE_LIMITS.maxBytes;
  const maxRedirects = opts.maxRedirects ?? PICTURE_LIMITS.maxRedirects;
  // Its own agent: a few sockets at most, and never the settings of some other https caller.
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 4,
    ...(opts.ca ? { ca: opts.ca } : {}),
    ...(opts.lookup ? { lookup: opts.lookup } : {}),
  });

  return (raw) =>
    new Promise<PictureBytes>((resolve, reject) => {
      let current: ReturnType<typeof https.request> | null = null;
      let settled = false;
      const finish = (err: Error | null, value?: PictureBytes): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          current?.destroy();
          reject(err);
        } else resolve(value!);
      };
      const timer = setTimeout(
        () => finish(new PictureError('The picture did not arrive in time.')),
        timeoutMs,
      );

      const get = (address: string, redirects: number): void => {
        const checked = checkPictureUrl(address);
        if ('problem' in checked) {
          const what = redirects === 0 ? 'The picture was not fetched' : 'A redirect was refused';
          return finish(new PictureError(`${what}: ${checked.problem}.`));
        }
        const url = checked.url;
        const req = https.request(url, {
          method: 'GET',
          agent,
          // No cookie, no authorization, no referrer: nothing about the person goes along.
          headers: { accept: IMAGE_TYPES.join(','), 'accept-encoding': 'identity' },
        });
        current = req;
        req.on('error', (err) =>
          finish(new PictureError(`The picture could not be fetched (${errorCode(err)}).`)),
        );
        req.on('response', (res) => {
          const status = res.statusCode ?? 0;
          if (REDIRECTS.has(status)) {
            res.resume();
            if (redirects >= maxRedirects)
              return finish(new PictureError('The picture was redirected too many times.'));
            const location = res.headers.location;
            if (!location)
              return finish(new PictureError('The picture was redirected to nowhere.'));
            let next: string;
            try {
              next = new URL(location, url).href;
            } catch {
              return finish(new PictureError('A redirect was refused: it is not an address.'));
            }
            return get(next, redirects + 1);
          }
          const fail = (message: string): void => {
            res.destroy();
            finish(new PictureError(message));
          };
          if (status !== 200) return fail(`The picture's server answered ${status}.`);
          const declared = declaredImageType(res.headers['content-type']);
          if (!declared) return fail('The address does not answer with a PNG, JPEG, WebP or GIF.');
          const encoding = res.headers['content-encoding'];
          if (encoding && encoding !== 'identity') return fail('The picture came compressed.');
          if (Number(res.headers['content-length'] ?? 0) > maxBytes)
            return fail('The picture is too large.');
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes) return fail('The picture is too large.');
            chunks.push(chunk);
          });
          res.on('error', (err) =>
            finish(new PictureError(`The picture broke off (${errorCode(err)}).`)),
          );
          res.on('end', () => {
            const bytes = Buffer.concat(chunks);
            // The header is only a claim: the bytes must be that kind of image too.
            if (sniffImageType(bytes) !== declared)
              return finish(new PictureError(`The picture is not the ${declared} it claims.`));
            finish(null, { type: declared, bytes });
          });
        });
        req.end();
      };
      get(raw, 0);
    });
}

const errorCode = (err: Error): string =>
  (err as NodeJS.ErrnoException).code ?? (err.message.slice(0, 80) || 'network error');

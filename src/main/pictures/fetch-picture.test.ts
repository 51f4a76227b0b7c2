import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PNG,
  redirectTo,
  serve,
  startPictureServer,
  type PictureServer,
} from '../../../test/support/picture-server';
import { createPictureFetcher, PictureError } from './fetch-picture';

const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
const MAX = 4_096;

let server: PictureServer;
let plain: Server;
let plainHits = 0;
const held: (() => void)[] = [];

beforeAll(async () => {
  server = await startPictureServer({
    '/a.png': serve('image/png', PNG),
    '/a.gif': serve('image/gif; charset=binary', GIF),
    '/svg': serve('image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'),
    '/html-as-png': serve('image/png', '<html><body>Sign in</body></html>'),
    '/png-as-jpeg': serve('image/jpeg', PNG),
    '/big-declared': serve('image/png', Buffer.concat([PNG, Buffer.alloc(MAX)])),
    '/big-chunked': (_req, res) => {
      // No content-length: the cap has to hold while the bytes stream in.
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG);
      res.end(Buffer.alloc(MAX));
    },
    '/gzip': serve('image/png', PNG, { 'content-encoding': 'gzip' }),
    '/gone': (_req, res) => {
      res.writeHead(410);
      res.end();
    },
    '/never': (_req, res) => {
      held.push(() => res.destroy());
    },
    '/to-cdn': (_req, res) => redirectTo(`${server.origin('cdn.example')}/a.png`, 301)(_req, res),
    '/to-relative': redirectTo('/a.png'),
    '/to-http': (_req, res) => redirectTo(`http://127.0.0.1:${port(plain)}/a.png`)(_req, res),
    '/to-ip': (_req, res) =>
      redirectTo(`https://127.0.0.1:${new URL(server.origin()).port}/a.png`)(_req, res),
    '/loop': redirectTo('/loop'),
  });
  plain = createServer((_req, res) => {
    plainHits++;
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(PNG);
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', () => resolve()));
});

afterAll(async () => {
  for (const release of held) release();
  await server.close();
  await new Promise<void>((resolve) => plain.close(() => resolve()));
});

const port = (s: Server): number => (s.address() as AddressInfo).port;
const fetcher = (timeoutMs = 5_000) =>
  createPictureFetcher({ ca: server.ca, lookup: server.lookup, maxBytes: MAX, timeoutMs });
const refusal = async (promise: Promise<unknown>): Promise<string> => {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PictureError);
  return (err as Error).message;
};

describe('fetching a profile picture', () => {
  it('gets a PNG over https and sends no cookie, credentials or referrer', async () => {
    const picture = await fetcher()(`${server.origin()}/a.png`);
    expect(picture.type).toBe('image/png');
    expect(picture.bytes.equals(PNG)).toBe(true);
    const { headers } = server.requests.find((r) => r.path === '/a.png')!;
    expect(headers.cookie).toBeUndefined();
    expect(headers.authorization).toBeUndefined();
    expect(headers.referer).toBeUndefined();
  });

  it('takes the type from the allow-list, header parameters aside', async () => {
    expect((await fetcher()(`${server.origin()}/a.gif`)).type).toBe('image/gif');
  });

  it('refuses anything but https, and internet hosts, before connecting anywhere', async () => {
    const before = server.requests.length;
    const httpsPort = new URL(server.origin()).port;
    const refused = [
      `http://127.0.0.1:${port(plain)}/a.png`,
      `http://pictures.example:${port(plain)}/a.png`,
      'file:///etc/passwd',
      `data:image/png;base64,${PNG.toString('base64')}`,
      `https://127.0.0.1:${httpsPort}/a.png`,
      `https://0x7f.1:${httpsPort}/a.png`,
      `https://[::1]:${httpsPort}/a.png`,
      `https://localhost:${httpsPort}/a.png`,
      `https://pictures.localhost:${httpsPort}/a.png`,
      `https://intranet:${httpsPort}/a.png`,
      `https://user:pass@pictures.example:${httpsPort}/a.png`,
      `https://pictures.example/${'a'.repeat(3_000)}.png`,
      'not a url',
    ];
    for (const url of refused) {
      expect(await refusal(fetcher()(url))).toMatch(/^The picture was not fetched: /);
    }
    expect(server.requests.length).toBe(before);
    expect(plainHits).toBe(0);
  });

  it('believes the bytes, not the header: only PNG, JPEG, WebP and GIF that are what they say', async () => {
    const f = fetcher();
    expect(await refusal(f(`${server.origin()}/svg`))).toMatch(/PNG, JPEG, WebP or GIF/);
    expect(await refusal(f(`${server.origin()}/html-as-png`))).toMatch(/not the image\/png/);
    expect(await refusal(f(`${server.origin()}/png-as-jpeg`))).toMatch(/not the image\/jpeg/);
    expect(await refusal(f(`${server.origin()}/gzip`))).toMatch(/compressed/);
  });

  it('stops at the size cap, whether the server says the length or not', async () => {
    expect(await refusal(fetcher()(`${server.origin()}/big-declared`))).toMatch(/too large/);
    expect(await refusal(fetcher()(`${server.origin()}/big-chunked`))).toMatch(/too large/);
  });

  it('follows a few redirects, each checked again as https to an internet host', async () => {
    expect((await fetcher()(`${server.origin()}/to-cdn`)).bytes.equals(PNG)).toBe(true);
    expect((await fetcher()(`${server.origin()}/to-relative`)).bytes.equals(PNG)).toBe(true);
    expect(await refusal(fetcher()(`${server.origin()}/to-http`))).toMatch(
      /^A redirect was refused: only https/,
    );
    expect(await refusal(fetcher()(`${server.origin()}/to-ip`))).toMatch(
      /^A redirect was refused: .*IP address/,
    );
    expect(await refusal(fetcher()(`${server.origin()}/loop`))).toMatch(/too many times/);
    expect(server.count('/loop')).toBe(4); // the first request and three redirects
    expect(plainHits).toBe(0);
  });

  it('says an error status in words', async () => {
    expect(await refusal(fetcher()(`${server.origin()}/gone`))).toBe(
      "The picture's server answered 410.",
    );
  });

  it('gives up at its deadline when the server never answers', async () => {
    expect(await refusal(fetcher(300)(`${server.origin()}/never`))).toMatch(/in time/);
  });

  it('checks the certificate: a server the system does not trust gets no request answered', async () => {
    const untrusting = createPictureFetcher({ lookup: server.lookup });
    expect(await refusal(untrusting(`${server.origin()}/a.png`))).toMatch(
      /could not be fetched \(.*(CERT|SIGNED|ISSUER).*\)/,
    );
  });
});

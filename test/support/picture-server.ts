// A real https server on loopback that plays a picture host, with a certificate made for the
// test (selfsigned). Picture addresses must name a host on the internet, so tests use the names
// below and a lookup that sends them to 127.0.0.1; the fetcher trusts only this certificate.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { drawPortrait } from '../../web-preview/demo-pictures';

export const PICTURE_HOSTS = ['pictures.example', 'cdn.example'] as const;

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface PictureServer {
  /** `https://<host>:<port>` for one of PICTURE_HOSTS. */
  origin(host?: (typeof PICTURE_HOSTS)[number]): string;
  readonly ca: string;
  readonly lookup: LookupFunction;
  /** Every request that reached the server: its path and headers. */
  readonly requests: { path: string; headers: IncomingMessage['headers'] }[];
  /** Requests answered so far, per path. */
  count(path: string): number;
  close(): Promise<void>;
}

/** A small real PNG (drawn, not downloaded). */
export const PNG = drawPortrait(120);

/** Resolves every name to 127.0.0.1, in both callback shapes net.connect may ask for. */
export const toLoopback: LookupFunction = (_hostname, options, callback) => {
  const cb = callback as (...args: unknown[]) => void;
  if (options.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
};

export async function startPictureServer(routes: Record<string, Route>): Promise<PictureServer> {
  const pems = await generate([{ name: 'commonName', value: PICTURE_HOSTS[0] }], {
    keyType: 'ec',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: PICTURE_HOSTS.map((value) => ({ type: 2 as const, value })),
      },
    ],
  });
  const requests: PictureServer['requests'] = [];
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    requests.push({ path, headers: req.headers });
    const route = routes[path];
    if (route) route(req, res);
    else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    origin: (host = PICTURE_HOSTS[0]) => `https://${host}:${port}`,
    ca: pems.cert,
    lookup: toLoopback,
    requests,
    count: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A route that answers `body` with a content type. */
export const serve =
  (type: string, body: Buffer | string, headers: Record<string, string> = {}): Route =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': type, ...headers });
    res.end(body);
  };

export const redirectTo =
  (location: string, status = 302): Route =>
  (_req, res) => {
    res.writeHead(status, { location });
    res.end();
  };

// The web preview: the built renderer in a browser, talking to the REAL account service and IPC
// handlers running in this Node process. A development and test tool; the desktop app never uses it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { INVOKE_CHANNELS, type EventContract, type EventName } from '../src/shared/contract';
import type { OAuthProviderSettings } from '../src/shared/domain';
import { diffSnapshots } from '../src/shared/state-patch';
import type { AccountService } from '../src/main/accounts/account-service';
import { createCore } from '../src/main/core';
import { startCommandServer } from '../src/main/commands/command-server';
import { runCommand } from '../src/main/commands/run-command';
import { answerRequest } from '../src/main/commands/run-cli';
import { dispatch } from '../src/main/ipc/dispatch';
import { noKeychain } from '../src/main/settings/no-keychain';
import { demoPictureOf } from './demo-pictures';

export interface WebPreviewOptions {
  /** Folder with the built renderer (out/renderer). */
  rendererDir: string;
  /** Pieces OS base URL; otherwise the app's usual resolution (PIECES_OS_URL, port file, probe...). */
  piecesOsUrl?: string;
  port?: number;
  /** Refresh interval of the account service (tests shorten it). */
  refreshIntervalMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  requestTimeoutMs?: number;
  /** The sign-in provider for "Sign in with browser" (saved into the preview's settings). */
  oauthProvider?: OAuthProviderSettings;
  /**
   * Stands in for the system browser, which the preview does not have. Default: print one line,
   * `Open in browser: <url>`, on stdout (the end-to-end suite opens that URL in a new page).
   */
  openExternal?: (url: string) => void;
  /**
   * What the quick switcher's "close" does here, where there is no window to hide. Default: print
   * `Palette closed` on stdout (the end-to-end suite waits for that line).
   */
  closePalette?: () => void;
}

export interface WebPreview {
  /** The URL to open, with the per-run key. */
  readonly url: string;
  readonly port: number;
  readonly service: AccountService;
  /** The preview's data folder: `PIECES_SWITCHER_USER_DATA` for `npm run cli` to go through it. */
  readonly dataDir: string;
  /** Send a window command (as the tray does) to every open page. */
  command(c: EventContract['command']): void;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};
const MAX_BODY = 256 * 1024;
const HOST = '127.0.0.1';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startWebPreview(opts: WebPreviewOptions): Promise<WebPreview> {
  const key = randomBytes(24).toString('base64url');
  const dataDir = mkdtempSync(join(tmpdir(), 'pieces-web-preview-'));
  const print = opts.openExternal ?? ((url: string) => console.log(`Open in browser: ${url}`));
  const { settings, service, handlers } = await createCore({
    dataDir,
    // No OS keychain under plain Node: tokens stay in the preview's temp folder, removed on close.
    safeStorage: noKeychain('the web preview'),
    allowPlaintext: () => true,
    // A development tool: a provider on loopback is allowed, as in an unpackaged app.
    allowLoopbackIssuer: true,
    openExternal: print,
    // A development tool: the person who started the preview stands in for the dialog, and is
    // told in the terminal which address saved sign-ins now go to.
    confirmAddress: (url) => {
      console.log(`Web preview: ${url} confirmed as Pieces OS (the desktop app asks in a dialog).`);
      return Promise.resolve(true);
    },
    closePalette: opts.closePalette ?? (() => console.log('Palette closed')),
    // No request leaves this computer: the demo accounts' pictures are drawn, not fetched.
    pictures: demoPictureOf,
    ...(opts.piecesOsUrl !== undefined ? { piecesOsUrl: opts.piecesOsUrl } : {}),
    ...(opts.refreshIntervalMs !== undefined ? { refreshIntervalMs: opts.refreshIntervalMs } : {}),
    ...(opts.backoff ? { backoff: opts.backoff } : {}),
    ...(opts.requestTimeoutMs !== undefined ? { requestTimeoutMs: opts.requestTimeoutMs } : {}),
  });
  if (opts.oauthProvider) settings.update({ oauthProvider: opts.oauthProvider });

  const streams = new Set<ServerResponse>();
  const send = (name: EventName, payload: unknown): void => {
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) res.write(frame);
  };
  // A page gets the whole snapshot when it connects, then what changed since the last push.
  let pushed = service.snapshot();
  service.subscribe((s) => {
    const update = diffSnapshots(pushed, s);
    pushed = s;
    send('state', update);
  });

  const indexHtml = readFileSync(join(opts.rendererDir, 'index.html'), 'utf8').replace(
    '<head>',
    `<head>\n    <script src="/__preview/bridge.js" data-channels='${JSON.stringify(INVOKE_CHANNELS)}'></script>`,
  );
  const bridgeJs = readFileSync(join(__dirname, 'browser-bridge.js'));

  let port = 0;
  const hasKey = (req: IncomingMessage, url: URL): boolean =>
    req.headers['x-preview-key'] === key || url.searchParams.get('key') === key;
  // Only pages of this origin: a page elsewhere (or a DNS-rebound name) cannot drive the service.
  const sameOrigin = (req: IncomingMessage): boolean => {
    const origin = `http://${HOST}:${port}`;
    const fromOtherSite = req.headers.origin !== undefined && req.headers.origin !== origin;
    return req.headers.host === `${HOST}:${port}` && !fromOtherSite;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (!sameOrigin(req)) return text(res, 403, 'Forbidden');
    if (url.pathname.startsWith('/__preview/invoke/')) {
      if (req.method !== 'POST') return text(res, 405, 'Method not allowed');
      if (!hasKey(req, url)) return text(res, 403, 'Forbidden');
      let args: unknown;
      try {
        const body = await readBody(req);
        args = body === '' ? undefined : (JSON.parse(body) as unknown);
      } catch {
        return json(res, {
          ok: false,
          error: { kind: 'invalid-input', message: 'The request was not valid JSON.' },
        });
      }
      const channel = decodeURIComponent(url.pathname.slice('/__preview/invoke/'.length));
      return json(res, await dispatch(handlers, channel, args === null ? undefined : args));
    }
    if (url.pathname === '/__preview/events') {
      if (!hasKey(req, url)) return text(res, 403, 'Forbidden');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write(`event: state\ndata: ${JSON.stringify(service.snapshot())}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/__preview/bridge.js') {
      res.writeHead(200, { 'content-type': MIME['.js']!, 'cache-control': 'no-store' });
      return void res.end(bridgeJs);
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!hasKey(req, url))
        return text(res, 403, 'Open the URL the web preview printed (it carries a key).');
      res.writeHead(200, { 'content-type': MIME['.html']!, 'cache-control': 'no-store' });
      return void res.end(indexHtml);
    }
    const file = normalize(join(opts.rendererDir, url.pathname));
    if (!file.startsWith(normalize(opts.rendererDir) + sep)) return text(res, 404, 'Not found');
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      text(res, 404, 'Not found');
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => text(res, 500, 'Internal error'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  await service.start();
  // The app's command channel, so `npm run cli` can go through the preview as through the app.
  const commandLine = await startCommandServer({
    userData: dataDir,
    handle: (args) => answerRequest(args, (command) => runCommand(command, service)),
  });

  return {
    url: `http://${HOST}:${port}/?key=${key}`,
    port,
    service,
    dataDir,
    command: (c) => send('command', c),
    async close() {
      service.stop();
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await commandLine.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function json(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

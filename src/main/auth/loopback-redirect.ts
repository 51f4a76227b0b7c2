// The redirect target of a browser sign-in (RFC 8252 section 7.3): an HTTP listener on
// 127.0.0.1 with an ephemeral port, for one sign-in only. It takes the first request to
// /callback, holds the browser's connection until the sign-in has an outcome, answers with a small
// "you can close this tab" page, and closes. Nothing else is served.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CALLBACK_PATH = '/callback';

export type CallbackOutcome = { ok: true } | { ok: false; message: string };

export interface LoopbackRedirect {
  /** `http://127.0.0.1:<port>/callback`: the redirect_uri of this sign-in. */
  readonly redirectUri: string;
  readonly port: number;
  /** Resolves with the URL the browser was redirected to (query included). */
  readonly callback: Promise<URL>;
  /**
   * Answers the browser that brought the callback (if it came) with the outcome, then closes the
   * listener and every connection. Idempotent; never rejects.
   */
  close(outcome?: CallbackOutcome): Promise<void>;
  /** True once closed. */
  readonly closed: boolean;
}

const HOST = '127.0.0.1';

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The page the browser shows at the end. No script, no external resources. */
export function callbackPage(outcome: CallbackOutcome): string {
  const heading = outcome.ok ? 'You are signed in' : 'The sign-in did not finish';
  const detail = outcome.ok
    ? 'Pieces Account Switcher has your sign-in.'
    : escapeHtml(outcome.message);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pieces Account Switcher</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem}</style>
</head><body><h1>${heading}</h1><p>${detail}</p><p><strong>You can close this tab</strong> and return to the app.</p></body></html>`;
}

/** The request target as a URL on this host, or null when it does not parse. */
function parseTarget(target: string | undefined): URL | null {
  try {
    return new URL(target ?? '/', `http://${HOST}`);
  } catch {
    return null;
  }
}

export async function startLoopbackRedirect(
  opts: {
    /**
     * The `state` of this sign-in: a callback without it gets 400 and the listener keeps
     * waiting for the real redirect. Without it, the first callback is taken.
     */
    expectedState?: string;
  } = {},
): Promise<LoopbackRedirect> {
  let pending: ServerResponse | null = null;
  let received = false;
  let closed = false;
  let resolveCallback!: (url: URL) => void;
  const callback = new Promise<URL>((resolve) => (resolveCallback = resolve));

  const server = createServer((req, res) => {
    // Any local process can connect: a request target no URL parser accepts (`GET http://[`) gets
    // a plain 400, and the sign-in keeps waiting for the real redirect.
    const url = parseTarget(req.url);
    if (!url) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request');
      return;
    }
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    if (opts.expectedState !== undefined && url.searchParams.get('state') !== opts.expectedState) {
      res
        .writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
        .end('This is not the answer to the sign-in the app is waiting for.');
      return;
    }
    if (received) {
      // A reload or a second redirect: this sign-in has its answer already.
      res
        .writeHead(409, { 'content-type': 'text/plain; charset=utf-8' })
        .end('This sign-in has already been answered. You can close this tab.');
      return;
    }
    received = true;
    pending = res;
    // Rebuilt on this listener's own origin: only the query of what the browser sent matters.
    resolveCallback(new URL(`${CALLBACK_PATH}${url.search}`, `http://${HOST}:${port}`));
  });
  // The browser's keep-alive connection must not hold the port open after the answer.
  server.keepAliveTimeout = 1;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  const close = (outcome?: CallbackOutcome): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      closed = true;
      const res = pending;
      pending = null;
      server.close(() => resolve());
      if (res && !res.writableEnded) {
        const body = callbackPage(
          outcome ?? { ok: false, message: 'The sign-in was stopped in the app.' },
        );
        res.writeHead(outcome?.ok ? 200 : 400, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
          connection: 'close',
        });
        const done = (): void => server.closeAllConnections();
        res.once('finish', done);
        res.once('close', done);
        res.end(body);
      } else {
        server.closeAllConnections();
      }
    });
    return closing;
  };

  return {
    redirectUri: `http://${HOST}:${port}${CALLBACK_PATH}`,
    port,
    callback,
    close,
    get closed() {
      return closed;
    },
  };
}

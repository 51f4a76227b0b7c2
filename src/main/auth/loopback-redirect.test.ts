// The loopback listener faces every process on this computer while a sign-in waits: a request
// target no URL parser accepts must get a 400, not an exception that ends the main process.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createBrowserSignIn } from './browser-sign-in';
import { startLoopbackRedirect, type LoopbackRedirect } from './loopback-redirect';
import { startTestProvider, type TestProvider } from '../../../test/support/oidc-test-provider';
import { watchListeners } from '../../../test/support/bound-address';

/** Sends `head` as the raw request over a socket and resolves with everything answered. */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('end', () => resolve(answer));
    socket.once('error', reject);
  });
}

/** Request targets Node's parser lets through but `new URL()` refuses. */
const MALFORMED = [
  'http://[',
  'http://[::1/callback',
  'http://:99999/',
  'http://x:99999999/callback',
  '//[/callback',
];

const request = (target: string): string =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;

let redirect: LoopbackRedirect | null = null;
let provider: TestProvider | null = null;
afterEach(async () => {
  await redirect?.close();
  redirect = null;
  await provider?.close();
  provider = null;
});

describe('loopback redirect listener', () => {
  it('listens on 127.0.0.1 only: the socket, not just the printed redirect URI', async () => {
    const listeners = watchListeners();
    try {
      redirect = await startLoopbackRedirect();
      expect(listeners.boundAddress(redirect.port)).toBe('127.0.0.1');
      expect(redirect.redirectUri).toBe(`http://127.0.0.1:${redirect.port}/callback`);
    } finally {
      listeners.restore();
    }
  });

  it('answers a malformed request target with a plain 400 and keeps waiting for the redirect', async () => {
    redirect = await startLoopbackRedirect();
    for (const target of MALFORMED) {
      const answer = await rawRequest(redirect.port, request(target));
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/content-type: text\/plain/i);
      expect(answer).not.toContain('Invalid URL');
    }
    expect(redirect.closed).toBe(false);

    // An absolute-form target (what a proxy client sends) is no crash either.
    const absolute = await rawRequest(
      redirect.port,
      request(`http://127.0.0.1:${redirect.port}/elsewhere`),
    );
    expect(absolute).toMatch(/^HTTP\/1\.1 404 /);

    // The real redirect still arrives and is answered.
    const browser = fetch(`${redirect.redirectUri}?code=abc&state=xyz`);
    const url = await redirect.callback;
    expect(url.href).toBe(`${redirect.redirectUri}?code=abc&state=xyz`);
    await redirect.close({ ok: true });
    const res = await browser;
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You can close this tab');
  });

  it('a whole browser sign-in survives a malformed request sent to its listener first', async () => {
    provider = await startTestProvider();
    const p = provider;
    const answers: string[] = [];
    let port = 0;
    const signIn = createBrowserSignIn({
      provider: p.settings(),
      allowLoopbackIssuer: true,
      onListening: (r) => (port = r.port),
      openExternal: async (url) => {
        void (async () => {
          answers.push(await rawRequest(port, request('http://[')));
          await fetch(await p.respond(url, { login: 'ada' }));
        })();
      },
    });
    const token = await signIn.start();
    expect(token.access_token).toBeTruthy();
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('the test provider answers a malformed request target with 400 too', async () => {
    provider = await startTestProvider();
    const answer = await rawRequest(provider.port, request('http://['));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    const discovery = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
  });
});

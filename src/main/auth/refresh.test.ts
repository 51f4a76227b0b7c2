// Renewing a saved sign-in against a real OpenID provider on loopback: which answers mean "sign in
// again" (the provider refused the refresh token) and which mean "try later", in words that never
// repeat what the provider wrote.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OAuthTokenInput } from '../../shared/domain';
import { createBrowserAuth } from './browser-auth';
import { refreshWithProvider } from './refresh';
import { startTestProvider, type TestProvider } from '../../../test/support/oidc-test-provider';
import { piecesFailure } from '../../../test/support/pieces-failure';

let provider: TestProvider;
beforeEach(async () => {
  provider = await startTestProvider();
});
afterEach(async () => {
  await provider.close();
});

/** A real sign-in of Ada through the browser sign-in, for a refresh token the provider knows. */
async function signedIn(): Promise<OAuthTokenInput> {
  const auth = createBrowserAuth({
    provider: provider.settings(),
    allowLoopbackIssuer: true,
    openExternal: async (url) => {
      void provider.respond(url, { login: 'ada' }).then((back) => fetch(back));
    },
  });
  return auth.signIn().start();
}

const refresh = (token: OAuthTokenInput) =>
  refreshWithProvider(provider.settings(), token, { allowLoopbackIssuer: true });

describe('refreshWithProvider', () => {
  it('renews the token at the provider that issued it, through the app’s browser auth', async () => {
    const old = await signedIn();
    const auth = createBrowserAuth({
      provider: provider.settings(),
      allowLoopbackIssuer: true,
      openExternal: async () => {},
    });
    expect(auth.issuer).toBe(provider.issuer);
    const renewed = await auth.refresh(old);
    expect(renewed.access_token).not.toBe(old.access_token);
    expect(renewed).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(provider.tokenRequests.map((t) => [t.grant_type, t.status])).toContainEqual([
      'refresh_token',
      200,
    ]);
  });

  it('without a refresh token, asks for a new sign-in and sends nothing', async () => {
    const { refresh_token: _, ...token } = await signedIn();
    const before = provider.tokenRequests.length;
    const err = await piecesFailure(refresh(token));
    expect(err).toMatchObject({
      kind: 'needs-sign-in',
      message: 'This sign-in cannot be renewed (no refresh token).',
    });
    expect(provider.tokenRequests).toHaveLength(before);
  });

  it('a refresh token the provider refuses (invalid_grant) means "sign in again"', async () => {
    const token = await signedIn();
    provider.failRefresh = true;
    expect(await piecesFailure(refresh(token))).toMatchObject({
      kind: 'needs-sign-in',
      message: 'The sign-in provider no longer accepts this sign-in (invalid_grant).',
    });
  });

  it.each<[string, NonNullable<TestProvider['tokenFault']>, string]>([
    ['401 with a text page', { status: 401, body: 'Unauthorized' }, '401'],
    // invalid_grant is a refusal whatever status it comes with.
    [
      '403 invalid_grant',
      { status: 403, json: true, body: '{"error":"invalid_grant"}' },
      'invalid_grant',
    ],
    ['400 with a text page', { status: 400, body: 'Bad Request' }, '400'],
    [
      '400 with another OAuth error',
      { status: 400, json: true, body: '{"error":"invalid_client","error_description":"x"}' },
      'invalid_client',
    ],
    [
      '401 with an OAuth error that is no code',
      { status: 401, json: true, body: '{"error":"not a code"}' },
      '401',
    ],
  ])('a token endpoint refusal (%s) means "sign in again"', async (_, fault, reason) => {
    const token = await signedIn();
    provider.tokenFault = fault;
    expect(await piecesFailure(refresh(token))).toMatchObject({
      kind: 'needs-sign-in',
      message: `The sign-in provider no longer accepts this sign-in (${reason}).`,
    });
  });

  it.each<[string, NonNullable<TestProvider['tokenFault']>, string]>([
    ['503 with a text page', { status: 503, body: 'Down for maintenance' }, 'answered 503.'],
    // openid-client reads an OAuth error body only from a 4xx answer.
    [
      '500 with server_error',
      { status: 500, json: true, body: '{"error":"server_error","error_description":"Down"}' },
      'answered 500.',
    ],
    [
      '403 with an OAuth error',
      { status: 403, json: true, body: '{"error":"access_denied","error_description":"Down"}' },
      'answered 403 (access_denied).',
    ],
    [
      '403 with an OAuth error that is no code',
      { status: 403, json: true, body: '{"error":"no code here"}' },
      'answered 403.',
    ],
    ['403 with a text page', { status: 403, body: 'Forbidden' }, 'answered 403.'],
  ])('a provider in trouble (%s) is "try later", in our words', async (_, fault, words) => {
    const token = await signedIn();
    provider.tokenFault = fault;
    const err = await piecesFailure(refresh(token));
    expect(err).toMatchObject({
      kind: 'auth',
      message: `The sign-in provider at ${provider.issuer} ${words}`,
    });
    expect(err.message).not.toMatch(/Down|maintenance|Forbidden/);
  });

  it('a provider that cannot be reached is "try later"', async () => {
    const token = await signedIn();
    await provider.close();
    expect(await piecesFailure(refresh(token))).toMatchObject({
      kind: 'auth',
      message: `The sign-in provider at ${provider.issuer} could not be reached. Check the connection and the provider setting.`,
    });
    provider = await startTestProvider(); // for afterEach
  });

  it('a provider that takes the request and never answers is "try later"', async () => {
    // Discovery answers; the token endpoint holds the request open until the client gives up.
    const held: Array<() => void> = [];
    const server: Server = createServer((req, res) => {
      if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer, token_endpoint: `${issuer}/token` }));
      } else held.push(() => res.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const err = await piecesFailure(
        refreshWithProvider(
          { issuer, clientId: 'app', scopes: ['openid'] },
          { access_token: 'a', token_type: 'Bearer', expires_in: 0, refresh_token: 'r' },
          { allowLoopbackIssuer: true, requestTimeoutSec: 1 },
        ),
      );
      expect(err).toMatchObject({
        kind: 'auth',
        message: `The sign-in provider at ${issuer} did not answer in time.`,
      });
      expect(held).toHaveLength(1);
    } finally {
      for (const drop of held) drop();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('an http provider that is not allowed is refused before any request, as "try later"', async () => {
    const token = await signedIn();
    const before = provider.tokenRequests.length;
    const err = await piecesFailure(refreshWithProvider(provider.settings(), token));
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/^The sign-in provider must be an https:\/\/ address/);
    expect(provider.tokenRequests).toHaveLength(before);
  });
});

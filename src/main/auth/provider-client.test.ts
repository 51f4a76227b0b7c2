// The provider's token response in the shape Pieces OS takes, and which issuer settings discovery
// refuses before it sends anything.
import { describe, expect, it } from 'vitest';
import type { TokenEndpointResponse } from 'openid-client';
import { PiecesError } from '../pieces/errors';
import { discoverProvider, toTokenInput } from './provider-client';
import { isAllowedIssuer, isLoopbackHost, sameIssuer } from './provider';
import { canOpenForSignIn } from './open-policy';
import { createBrowserAuth } from './browser-auth';
import { closedPort } from '../../../test/support/ports';

const response = (extra: Partial<TokenEndpointResponse>): TokenEndpointResponse =>
  ({ access_token: 'at', token_type: 'bearer', ...extra }) as TokenEndpointResponse;
/** What a provider may spell its token type as; openid-client's typings say lower case only. */
const spelled = (type: string) => type as Lowercase<string>;

describe('toTokenInput', () => {
  it('takes the access token, a Bearer type in any case, and a whole lifetime', () => {
    expect(toTokenInput(response({ token_type: spelled('BeArEr'), expires_in: 3600 }))).toEqual({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 3600,
    });
    expect(toTokenInput(response({ token_type: 'dpop' })).token_type).toBe('UNKNOWN');
  });

  it('reads a missing, fractional or negative lifetime as "not known" or none left', () => {
    expect(toTokenInput(response({})).expires_in).toBe(0);
    expect(toTokenInput(response({ expires_in: 12.5 })).expires_in).toBe(0);
    expect(toTokenInput(response({ expires_in: -30 })).expires_in).toBe(0);
    expect(toTokenInput(response({ expires_in: '60' as unknown as number })).expires_in).toBe(0);
  });

  it('keeps what a refresh answer leaves out from the previous token, and prefers what it sends', () => {
    const previous = {
      access_token: 'old',
      token_type: 'Bearer' as const,
      expires_in: 60,
      scope: 'openid email',
      refresh_token: 'rt-old',
      id_token: 'id-old',
    };
    expect(toTokenInput(response({ expires_in: 10 }), previous)).toEqual({
      access_token: 'at',
      token_type: 'Bearer',
      expires_in: 10,
      scope: 'openid email',
      refresh_token: 'rt-old',
      id_token: 'id-old',
    });
    expect(
      toTokenInput(
        response({ scope: 'openid', refresh_token: 'rt-new', id_token: 'id-new' }),
        previous,
      ),
    ).toMatchObject({ scope: 'openid', refresh_token: 'rt-new', id_token: 'id-new' });
  });

  it('adds no empty fields when neither answer nor previous token has them', () => {
    expect(Object.keys(toTokenInput(response({})))).toEqual([
      'access_token',
      'token_type',
      'expires_in',
    ]);
  });
});

describe('discoverProvider refuses settings it may not use, before any request', () => {
  const refusal = async (issuer: string, allowLoopbackIssuer?: boolean) => {
    const err = await discoverProvider(
      { issuer, clientId: 'app', scopes: ['openid'] },
      allowLoopbackIssuer === undefined ? {} : { allowLoopbackIssuer },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PiecesError);
    return err as PiecesError;
  };

  it('a setting that is not a URL', async () => {
    expect(await refusal('not a url')).toMatchObject({
      kind: 'invalid-input',
      message: 'The sign-in provider setting is not a URL.',
    });
  });

  it('http:// anywhere but loopback, and on loopback unless allowed', async () => {
    const words =
      'The sign-in provider must be an https:// address (http:// is only allowed for a provider on this computer in development builds).';
    for (const [issuer, allow] of [
      ['http://idp.example', true],
      ['http://127.0.0.1:9', false],
      ['http://127.0.0.1:9', undefined],
      ['ftp://127.0.0.1:9', true],
    ] as const) {
      expect(await refusal(issuer, allow), `${issuer} ${allow}`).toMatchObject({
        kind: 'invalid-input',
        message: words,
      });
    }
  });

  it('an allowed loopback issuer with nothing behind it is tried, and said unreachable', async () => {
    const issuer = `http://127.0.0.1:${await closedPort()}`;
    expect(await refusal(issuer, true)).toMatchObject({
      kind: 'auth',
      message: `The sign-in provider at ${issuer} could not be reached. Check the connection and the provider setting.`,
    });
  });
});

describe('sameIssuer', () => {
  it('is the same issuer with or without trailing slashes, and only that', () => {
    expect(sameIssuer('https://idp.example/t', 'https://idp.example/t/')).toBe(true);
    expect(sameIssuer('https://idp.example//', 'https://idp.example')).toBe(true);
    expect(sameIssuer('https://idp.example', 'https://idp.example//')).toBe(true);
    expect(sameIssuer('https://idp.example/t', 'https://idp.example/u')).toBe(false);
    expect(sameIssuer('https://idp.example/t/x', 'https://idp.example/t')).toBe(false);
  });
});

describe('loopback hosts and issuers, at the edges', () => {
  it('a loopback address is exactly four numbers, each 0 to 255', () => {
    expect(isLoopbackHost('127.0.0.255')).toBe(true);
    for (const h of [
      '127.0.0.1.1',
      '127.0.0.256',
      '127.0.0.1000',
      '127.0.0.x',
      '127.0.0.x1',
      '127.0.0',
      '127.0.0.1e2',
      '127.0.0.0x1',
    ]) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });

  it('a user name alone is a credential too', () => {
    expect(isAllowedIssuer('https://u@login.example.com')).toBe(false);
    expect(isAllowedIssuer('https://:p@login.example.com')).toBe(false);
    expect(
      canOpenForSignIn('https://u@login.example.com/a', 'https://login.example.com', false),
    ).toBe(false);
  });

  it('nothing is opened for an issuer that is not allowed, even on its own origin', () => {
    expect(
      canOpenForSignIn('https://login.example.com/a', 'https://login.example.com/?q=1', false),
    ).toBe(false);
  });

  it('an https issuer is tried (and said unreachable when nothing answers)', async () => {
    const issuer = `https://127.0.0.1:${await closedPort()}`;
    const err = await discoverProvider({ issuer, clientId: 'app', scopes: ['openid'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      kind: 'auth',
      message: `The sign-in provider at ${issuer} could not be reached. Check the connection and the provider setting.`,
    });
  });

  it('the app’s browser auth refuses an http loopback provider unless told to allow it', async () => {
    const issuer = `http://127.0.0.1:${await closedPort()}`;
    const auth = createBrowserAuth({
      provider: { issuer, clientId: 'app', scopes: ['openid'] },
      openExternal: async () => {},
    });
    const err = await auth
      .refresh({ access_token: 'a', token_type: 'Bearer', expires_in: 0, refresh_token: 'r' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(PiecesError);
    expect((err as PiecesError).message).toMatch(
      /^The sign-in provider must be an https:\/\/ address/,
    );
  });
});

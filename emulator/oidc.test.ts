// The emulator accepting tokens from a configured OpenID provider. The provider here is a few
// lines of node:http serving discovery and a JWKS, signing id tokens with jose, so each test can
// craft exactly the token it needs.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPort } from '../test/support/ports';
import { parseCliArgs } from './cli-args';
import { userIdForEmail } from './ids';
import { startEmulator, type Emulator } from './server';

interface Provider {
  issuer: string;
  sign(
    claims: JWTPayload,
    opts?: { key?: CryptoKey; expiresIn?: string | number },
  ): Promise<string>;
  close(): Promise<void>;
}

async function startProvider(): Promise<Provider> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    } else if (req.url === '/jwks') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    sign: (claims, opts = {}) =>
      new SignJWT({ iss: issuer, aud: 'the-app', sub: 'u1', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuedAt()
        .setExpirationTime(opts.expiresIn ?? '1h')
        .sign(opts.key ?? privateKey),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let provider: Provider;
let emulator: Emulator;
beforeEach(async () => {
  provider = await startProvider();
  emulator = await startEmulator({
    users: 1,
    oidc: { issuer: provider.issuer, audience: 'the-app' },
  });
});
afterEach(async () => {
  await emulator.close();
  await provider.close();
});

const fromToken = (body: unknown) =>
  fetch(`${emulator.url}/users/authenticate/from_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const oauthToken = (id_token: string) => ({
  access_token: 'opaque-provider-access-token',
  token_type: 'Bearer',
  expires_in: 3600,
  id_token,
});

describe('emulator: tokens from a configured OpenID provider', () => {
  it('signs in the user the verified id token names: same id as a minted token for that email', async () => {
    const idToken = await provider.sign({ email: 'Ada@Example.com', name: 'Ada Lovelace' });
    const res = await fromToken(oauthToken(idToken));
    expect(res.status).toBe(200);
    const profile = (await res.json()) as { id: string; email: string; name: string };
    expect(profile).toMatchObject({
      id: userIdForEmail('ada@example.com'),
      email: 'ada@example.com',
      name: 'Ada Lovelace',
    });
    expect(emulator.currentUserId()).toBe(profile.id);
    // The same person through a minted token is the same user.
    const minted = emulator.mintToken({ email: 'ada@example.com' });
    const again = (await (await fromToken(minted)).json()) as { id: string };
    expect(again.id).toBe(profile.id);
  });

  it.each([
    [
      'signed with another key',
      async () =>
        provider.sign(
          { email: 'a@example.com' },
          { key: (await generateKeyPair('RS256')).privateKey },
        ),
      /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
    ],
    [
      'from another issuer',
      () => provider.sign({ email: 'a@example.com', iss: 'http://127.0.0.1:1' }),
      /iss/,
    ],
    [
      'for another audience',
      () => provider.sign({ email: 'a@example.com', aud: 'someone-else' }),
      /aud/,
    ],
    [
      'expired',
      () =>
        provider.sign(
          { email: 'a@example.com' },
          { expiresIn: Math.floor(Date.now() / 1000) - 10 },
        ),
      /ERR_JWT_EXPIRED/,
    ],
    ['without an email', () => provider.sign({ name: 'Nobody' }), /no email claim/],
    [
      'with an unverified email',
      () => provider.sign({ email: 'a@example.com', email_verified: false }),
      /not verified/,
    ],
    ['not a JWT at all', async () => 'garbage', /refused/],
  ])('refuses an id token %s with 401 text, changing nothing', async (_name, make, why) => {
    const before = emulator.users();
    const res = await fromToken(oauthToken(await make()));
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toMatch(why);
    expect(emulator.users()).toEqual(before);
  });

  it('still refuses an unknown token without an id token', async () => {
    const res = await fromToken({ access_token: 'x', token_type: 'Bearer', expires_in: 1 });
    expect(res.status).toBe(401);
  });

  it('answers 503 when the provider cannot be reached, and recovers when it can', async () => {
    const idToken = await provider.sign({ email: 'ada@example.com' });
    const down = await startEmulator({
      oidc: { issuer: `http://127.0.0.1:${await closedPort()}` },
    });
    try {
      const res = await fetch(`${down.url}/users/authenticate/from_token`, {
        method: 'POST',
        body: JSON.stringify(oauthToken(idToken)),
      });
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/could not be reached/);
    } finally {
      await down.close();
    }
  });

  it('without oidc configured, provider tokens are refused as before', async () => {
    const plain = await startEmulator({});
    try {
      const idToken = await provider.sign({ email: 'ada@example.com' });
      const res = await fetch(`${plain.url}/users/authenticate/from_token`, {
        method: 'POST',
        body: JSON.stringify(oauthToken(idToken)),
      });
      expect(res.status).toBe(401);
    } finally {
      await plain.close();
    }
  });
});

describe('emulator CLI: --oidc-issuer', () => {
  it('reads the issuer and audience', () => {
    expect(
      parseCliArgs(['--oidc-issuer', 'http://127.0.0.1:4000', '--oidc-audience', 'app']),
    ).toMatchObject({
      kind: 'run',
      options: { oidc: { issuer: 'http://127.0.0.1:4000', audience: 'app' } },
    });
    expect(parseCliArgs(['--oidc-issuer', 'https://login.example.com'])).toMatchObject({
      kind: 'run',
      options: { oidc: { issuer: 'https://login.example.com' } },
    });
  });

  it('refuses an http issuer off loopback, a bad URL, and an audience without an issuer', () => {
    for (const args of [
      ['--oidc-issuer', 'http://login.example.com'],
      ['--oidc-issuer', 'not a url'],
      ['--oidc-audience', 'app'],
    ]) {
      expect(parseCliArgs(args).kind, args.join(' ')).toBe('error');
    }
  });
});

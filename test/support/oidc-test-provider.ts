// A real OpenID provider on loopback for tests: oauth2-mock-server (discovery, JWKS, signed RS256
// tokens), behind a small front that adds what a real provider does and the mock does not:
// an account-picker page at /authorize (with Deny), one-time codes bound to their client id and
// redirect URI, PKCE required (not only checked when present), known refresh tokens, and the
// chosen person's email and name in the id token. Test code only: never bundled into the app.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  OAuth2Server,
  type MutableRedirectUri,
  type MutableResponse,
  type MutableToken,
} from 'oauth2-mock-server';
import type { OAuthProviderSettings } from '../../src/shared/domain';

export interface TestPerson {
  login: string;
  email: string;
  name: string;
}

export const TEST_PEOPLE: TestPerson[] = [
  { login: 'ada', email: 'ada@example.com', name: 'Ada Lovelace' },
  { login: 'grace', email: 'grace@example.com', name: 'Grace Hopper' },
];

/** What the provider saw at its endpoints; no token values. */
export interface AuthorizeRecord {
  params: URLSearchParams;
}
export interface TokenRecord {
  grant_type: string;
  has_code_verifier: boolean;
  /** sha256(code_verifier) base64url, to compare with the code_challenge the client sent. */
  verifier_challenge?: string;
  status: number;
}

export interface TestProvider {
  readonly issuer: string;
  readonly port: number;
  readonly clientId: string;
  readonly authorizeRequests: AuthorizeRecord[];
  readonly tokenRequests: TokenRecord[];
  /** The status of every answer of the token endpoint, including the mock's own refusals. */
  readonly tokenStatuses: number[];
  /** Lifetime of the tokens it issues from now on (seconds). */
  tokenTtlSec: number;
  /** Refuse every refresh with invalid_grant. */
  failRefresh: boolean;
  /**
   * Answer every token request with this status and body (text/plain, or JSON when `json`), as a
   * provider in trouble does; null (the default) answers normally.
   */
  tokenFault: { status: number; body?: string; json?: boolean } | null;
  /** Send id tokens whose signature does not verify against the JWKS (a forged token). */
  forgeIdTokenSignature: boolean;
  settings(scopes?: string[]): OAuthProviderSettings;
  /** The browser part without a browser: choose `login` (or deny) on the authorization page;
   *  returns the URL the provider redirects the browser to (the app's loopback callback). */
  respond(authorizeUrl: string, choice: { login: string } | 'deny'): Promise<string>;
  close(): Promise<void>;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function isLoopbackCallback(value: string | null): boolean {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.pathname === '/callback';
  } catch {
    return false;
  }
}

function pickerPage(params: URLSearchParams, people: TestPerson[]): string {
  const hidden = [...params]
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  const choices = people
    .map(
      (p) =>
        `<form method="get" action="/authorize">${hidden}<input type="hidden" name="login" value="${escapeHtml(p.login)}"><button type="submit">Continue as ${escapeHtml(p.name)}</button></form>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test Provider: sign in</title></head>
<body><h1>Sign in to Test Provider</h1><p>Choose an account</p>${choices}
<form method="get" action="/authorize">${hidden}<input type="hidden" name="deny" value="1"><button type="submit">Deny</button></form>
</body></html>`;
}

export async function startTestProvider(
  opts: { clientId?: string; people?: TestPerson[] } = {},
): Promise<TestProvider> {
  const clientId = opts.clientId ?? 'pieces-account-switcher';
  const people = opts.people ?? TEST_PEOPLE;
  const mock = new OAuth2Server();
  await mock.issuer.keys.generate('RS256');

  const authorizeRequests: AuthorizeRecord[] = [];
  const tokenRequests: TokenRecord[] = [];
  const tokenStatuses: number[] = [];
  /** code -> who approved it, for which client and redirect URI; deleted when used. */
  const codes = new Map<string, { person: TestPerson; clientId: string; redirectUri: string }>();
  const refreshTokens = new Map<string, TestPerson>();

  const state = {
    tokenTtlSec: 3600,
    failRefresh: false,
    tokenFault: null as TestProvider['tokenFault'],
    forgeIdTokenSignature: false,
  };

  const personOf = (body: Record<string, unknown>): TestPerson | undefined => {
    if (typeof body.code === 'string') return codes.get(body.code)?.person;
    if (typeof body.refresh_token === 'string') return refreshTokens.get(body.refresh_token);
    return undefined;
  };

  mock.service.on(
    'beforeAuthorizeRedirect',
    (redirect: MutableRedirectUri, req: IncomingMessage) => {
      const query = new URL(req.url ?? '/', 'http://provider').searchParams;
      const code = redirect.url.searchParams.get('code');
      const person = people.find((p) => p.login === query.get('login'));
      if (code && person) {
        codes.set(code, {
          person,
          clientId: query.get('client_id') ?? '',
          redirectUri: query.get('redirect_uri') ?? '',
        });
      }
    },
  );

  mock.service.on(
    'beforeTokenSigning',
    (token: MutableToken, req: { body: Record<string, unknown> }) => {
      const person = personOf(req.body);
      if (!person) return;
      token.payload.sub = person.login;
      token.payload.email = person.email;
      token.payload.name = person.name;
      token.payload.exp = token.payload.iat + state.tokenTtlSec;
      // Every token unique, as a real provider's are: two issued in the same second for the same
      // person would otherwise be identical, and a renewal would look like no renewal.
      token.payload.jti = randomUUID();
    },
  );

  mock.service.on(
    'beforeResponse',
    (res: MutableResponse, req: { body: Record<string, unknown> }) => {
      const body = req.body;
      const grant = String(body.grant_type);
      const verifier = typeof body.code_verifier === 'string' ? body.code_verifier : undefined;
      const record: TokenRecord = {
        grant_type: grant,
        has_code_verifier: verifier !== undefined,
        status: res.statusCode,
      };
      if (verifier !== undefined) {
        record.verifier_challenge = createHash('sha256').update(verifier).digest('base64url');
      }
      tokenRequests.push(record);
      const refuse = (error: string, description: string): void => {
        res.statusCode = 400;
        res.body = { error, error_description: description };
        record.status = 400;
      };
      if (res.statusCode !== 200) return;
      let person: TestPerson | undefined;
      if (grant === 'authorization_code') {
        const issued = typeof body.code === 'string' ? codes.get(body.code) : undefined;
        if (typeof body.code === 'string') codes.delete(body.code); // one use only
        if (!issued) return refuse('invalid_grant', 'unknown or used code');
        if (verifier === undefined) return refuse('invalid_request', 'PKCE code_verifier required');
        if (body.client_id !== issued.clientId || body.client_id !== clientId) {
          return refuse('invalid_grant', 'code issued to another client');
        }
        if (body.redirect_uri !== issued.redirectUri) {
          return refuse('invalid_grant', 'redirect_uri does not match');
        }
        person = issued.person;
      } else if (grant === 'refresh_token') {
        const known =
          typeof body.refresh_token === 'string'
            ? refreshTokens.get(body.refresh_token)
            : undefined;
        if (state.failRefresh || !known) return refuse('invalid_grant', 'refresh token not valid');
        refreshTokens.delete(body.refresh_token as string); // rotated
        person = known;
      } else {
        return refuse('unsupported_grant_type', 'not offered by this provider');
      }
      if (res.body && typeof res.body === 'object') {
        if (state.forgeIdTokenSignature && typeof res.body.id_token === 'string') {
          const [header, payload, signature = ''] = res.body.id_token.split('.');
          const forged = Buffer.from(signature, 'base64url').map((b) => b ^ 0xff);
          res.body.id_token = `${header}.${payload}.${Buffer.from(forged).toString('base64url')}`;
        }
        res.body.expires_in = state.tokenTtlSec;
        if (typeof res.body.refresh_token === 'string')
          refreshTokens.set(res.body.refresh_token, person);
      }
    },
  );

  const server: Server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://provider');
    } catch {
      // A request target no URL parser accepts (`GET http://[`): thrown here, it would end the run.
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Bad request');
      return;
    }
    if (url.pathname === '/token') res.once('finish', () => tokenStatuses.push(res.statusCode));
    const fault = url.pathname === '/token' ? state.tokenFault : null;
    if (fault) {
      const type = fault.json ? 'application/json' : 'text/plain';
      res.writeHead(fault.status, { 'content-type': type }).end(fault.body ?? 'Token fault');
      return;
    }
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const params = url.searchParams;
      authorizeRequests.push({ params: new URLSearchParams(params) });
      const redirectUri = params.get('redirect_uri');
      if (!isLoopbackCallback(redirectUri) || params.get('client_id') !== clientId) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('Unknown client or redirect_uri.');
        return;
      }
      if (params.get('deny') === '1') {
        const back = new URL(redirectUri!);
        back.searchParams.set('error', 'access_denied');
        const st = params.get('state');
        if (st) back.searchParams.set('state', st);
        res.writeHead(302, { location: back.href }).end();
        return;
      }
      if (!params.get('login')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(pickerPage(params, people));
        return;
      }
    }
    mock.service.requestHandler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  mock.issuer.url = issuer;

  return {
    issuer,
    port,
    clientId,
    authorizeRequests,
    tokenRequests,
    tokenStatuses,
    get tokenTtlSec() {
      return state.tokenTtlSec;
    },
    set tokenTtlSec(v: number) {
      state.tokenTtlSec = v;
    },
    get failRefresh() {
      return state.failRefresh;
    },
    set failRefresh(v: boolean) {
      state.failRefresh = v;
    },
    get tokenFault() {
      return state.tokenFault;
    },
    set tokenFault(v) {
      state.tokenFault = v;
    },
    get forgeIdTokenSignature() {
      return state.forgeIdTokenSignature;
    },
    set forgeIdTokenSignature(v) {
      state.forgeIdTokenSignature = v;
    },
    settings: (scopes = ['openid', 'email', 'profile', 'offline_access']) => ({
      issuer,
      clientId,
      scopes,
    }),
    async respond(authorizeUrl, choice) {
      const url = new URL(authorizeUrl);
      if (choice === 'deny') url.searchParams.set('deny', '1');
      else url.searchParams.set('login', choice.login);
      const res = await fetch(url, { redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) {
        throw new Error(`The provider answered ${res.status}: ${await res.text()}`);
      }
      return location;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

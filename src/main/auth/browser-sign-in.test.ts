// Sign-in through the browser against a real OpenID provider on loopback (oauth2-mock-server with
// the front in test-provider.ts). The "browser" is fetch(): it follows what the provider answers
// and brings the redirect to the app's loopback listener, as a system browser would.
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { createBrowserSignIn, type BrowserSignInOptions } from './browser-sign-in';
import type { LoopbackRedirect } from './loopback-redirect';
import { useTestProvider } from '../../../test/support/use-test-provider';
import { closedPort, connectionRefused } from '../../../test/support/ports';
import { piecesFailure } from '../../../test/support/pieces-failure';

// One provider for the whole file: starting one generates its RSA signing key, which costs more
// than most sign-ins here (and mutation testing re-runs this file for every mutant). Each test
// starts from a provider that has seen nothing and answers normally; codes are one-use and each
// sign-in has its own state, listener and port, so no test can take another's answer.
const provider = useTestProvider();
beforeEach(() => {
  provider().authorizeRequests.length = 0;
  provider().tokenRequests.length = 0;
  provider().tokenStatuses.length = 0;
  provider().forgeIdTokenSignature = false;
  provider().tokenFault = null;
  provider().failRefresh = false;
  provider().tokenTtlSec = 3600;
});

interface Harness {
  signIn: ReturnType<typeof createBrowserSignIn>;
  opened: string[];
  listener: () => LoopbackRedirect;
  /** What the browser showed at the loopback callback. */
  page: Promise<{ status: number; body: string }>;
}

/** A sign-in whose "browser" does `browse(url)` with the authorization URL. */
function harness(
  browse: (url: string) => Promise<{ status: number; body: string } | void>,
  extra: Partial<BrowserSignInOptions> = {},
): Harness {
  const opened: string[] = [];
  let redirect: LoopbackRedirect | undefined;
  let showPage!: (p: { status: number; body: string }) => void;
  const page = new Promise<{ status: number; body: string }>((r) => (showPage = r));
  const signIn = createBrowserSignIn({
    provider: provider().settings(),
    allowLoopbackIssuer: true,
    onListening: (r) => (redirect = r),
    openExternal: async (url) => {
      opened.push(url);
      // The browser runs on its own; opening it does not wait for the person.
      void browse(url).then((p) => p && showPage(p));
    },
    ...extra,
  });
  return { signIn, opened, listener: () => redirect!, page };
}

/** The browser goes to `url` (the loopback callback) and reads the page. */
async function visit(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

const approveAs = (login: string) => async (url: string) =>
  visit(await provider().respond(url, { login }));

describe('browser sign-in (authorization code + PKCE, loopback redirect)', () => {
  it('signs in: PKCE S256, state, nonce and prompt=select_account sent; the token comes back with the chosen person in the id token', async () => {
    const h = harness(approveAs('grace'));
    const token = await h.signIn.start();

    expect(h.opened).toHaveLength(1);
    const auth = new URL(h.opened[0]!);
    expect(auth.origin).toBe(provider().issuer);
    const q = auth.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(provider().clientId);
    expect(q.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('state')).toBeTruthy();
    expect(q.get('nonce')).toBeTruthy();
    expect(q.get('prompt')).toBe('select_account');
    expect(q.get('scope')).toBe('openid email profile offline_access');

    // The verifier reached the token endpoint and hashes to the challenge sent at the start.
    const exchange = provider().tokenRequests.find((t) => t.grant_type === 'authorization_code')!;
    expect(exchange).toMatchObject({ has_code_verifier: true, status: 200 });
    expect(exchange.verifier_challenge).toBe(q.get('code_challenge'));

    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(token.refresh_token).toBeTruthy();
    expect(decodeJwt(token.id_token!)).toMatchObject({
      iss: provider().issuer,
      aud: provider().clientId,
      email: 'grace@example.com',
      name: 'Grace Hopper',
      nonce: q.get('nonce'),
    });

    const page = await h.page;
    expect(page.status).toBe(200);
    expect(page.body).toContain('You can close this tab');
    expect(page.body).not.toContain(token.access_token);
    expect(await connectionRefused(h.listener().port)).toBe(true);
  });

  it('each sign-in has its own verifier, state and port', async () => {
    const a = harness(approveAs('ada'));
    const b = harness(approveAs('ada'));
    await a.signIn.start();
    await b.signIn.start();
    const [qa, qb] = [a.opened[0]!, b.opened[0]!].map((u) => new URL(u).searchParams);
    expect(qa!.get('state')).not.toBe(qb!.get('state'));
    expect(qa!.get('code_challenge')).not.toBe(qb!.get('code_challenge'));
    expect(a.listener().port).not.toBe(b.listener().port);
  });

  it('answers 400 to a callback whose state is not this sign-in’s, and keeps waiting for the real one', async () => {
    const forged: { status: number; body: string }[] = [];
    const h = harness(async (url) => {
      const back = new URL(await provider().respond(url, { login: 'ada' }));
      // A local process hits the callback first, with a state of its own (or none).
      const wrong = new URL(back.href);
      wrong.searchParams.set('state', 'forged-by-someone-else');
      forged.push(await visit(wrong.href));
      const none = new URL(back.href);
      none.searchParams.delete('state');
      forged.push(await visit(none.href));
      return visit(back.href);
    });
    const token = await h.signIn.start();
    expect(token.access_token).toEqual(expect.any(String));
    expect(forged.map((p) => p.status)).toEqual([400, 400]);
    expect(forged[0]!.body).toContain('not the answer to the sign-in');
    // Only the real callback's code was exchanged.
    expect(provider().tokenRequests).toHaveLength(1);
    expect((await h.page).status).toBe(200);
    expect(await connectionRefused(h.listener().port)).toBe(true);
  });

  it('refuses an id token whose signature does not verify against the provider’s keys', async () => {
    provider().forgeIdTokenSignature = true;
    try {
      const err = await piecesFailure(harness(approveAs('ada')).signIn.start());
      expect(err.kind).toBe('auth');
      expect(provider().tokenRequests).toHaveLength(1);
    } finally {
      provider().forgeIdTokenSignature = false;
    }
  });

  it('PKCE is enforced: a code from another sign-in (injected) does not exchange', async () => {
    // Ada's code, obtained in the attacker's own flow, is delivered to the victim's callback with
    // the victim's state: the victim's verifier does not match the attacker's challenge.
    const attacker = harness(async () => undefined);
    const attackerStart = attacker.signIn.start().catch((e: unknown) => e);
    await expect.poll(() => attacker.opened.length).toBe(1);
    const stolen = new URL(await provider().respond(attacker.opened[0]!, { login: 'ada' }));
    attacker.signIn.cancel();
    await attackerStart;

    const victim = harness(async (url) => {
      const own = new URL(await provider().respond(url, { login: 'grace' }));
      own.searchParams.set('code', stolen.searchParams.get('code')!);
      return visit(own.href);
    });
    const err = await piecesFailure(victim.signIn.start());
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/refused to complete the sign-in/);
    // The provider's PKCE check refused the exchange (the mock answers before any hook runs).
    expect(provider().tokenStatuses).toEqual([400]);
    expect(provider().tokenRequests).toEqual([]);
    expect(await connectionRefused(victim.listener().port)).toBe(true);
  });

  it('a denied consent ends with a clear message and closes the port', async () => {
    const h = harness(async (url) => visit(await provider().respond(url, 'deny')));
    const err = await piecesFailure(h.signIn.start());
    expect(err).toMatchObject({
      kind: 'auth',
      message: 'The sign-in was declined at the provider, so no account was added.',
    });
    expect((await h.page).body).toContain('declined');
    expect(await connectionRefused(h.listener().port)).toBe(true);
  });

  it('times out when the browser never comes back (a closed browser), and closes the port', async () => {
    const h = harness(async () => undefined, { timeoutMs: 300 });
    const err = await piecesFailure(h.signIn.start());
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/timed out/);
    expect(await connectionRefused(h.listener().port)).toBe(true);
  });

  it('cancel ends a waiting sign-in at once and closes the port', async () => {
    const h = harness(async () => undefined);
    const pending = piecesFailure(h.signIn.start());
    await expect.poll(() => h.opened.length).toBe(1);
    const port = h.listener().port;
    expect(await connectionRefused(port)).toBe(false); // listening while it waits
    h.signIn.cancel();
    const err = await pending;
    expect(err).toMatchObject({ kind: 'cancelled', message: 'The sign-in was cancelled.' });
    expect(await connectionRefused(port)).toBe(true);
  });

  it('cancel before start refuses to begin; a sign-in runs only once', async () => {
    const h = harness(approveAs('ada'));
    h.signIn.cancel();
    expect((await piecesFailure(h.signIn.start())).kind).toBe('cancelled');
    expect(h.opened).toEqual([]);
    const again = harness(approveAs('ada'));
    await again.signIn.start();
    expect((await piecesFailure(again.signIn.start())).kind).toBe('busy');
  });

  it('a browser that cannot be opened ends the sign-in and closes the port', async () => {
    let port = 0;
    const signIn = createBrowserSignIn({
      provider: provider().settings(),
      allowLoopbackIssuer: true,
      onListening: (r) => (port = r.port),
      openExternal: () => Promise.reject(new Error('no browser')),
    });
    const err = await piecesFailure(signIn.start());
    expect(err).toMatchObject({
      kind: 'auth',
      message: 'The browser could not be opened for the sign-in.',
    });
    expect(await connectionRefused(port)).toBe(true);
  });

  it('serves only GET /callback on the loopback port', async () => {
    const h = harness(async () => undefined);
    const pending = piecesFailure(h.signIn.start());
    await expect.poll(() => h.opened.length).toBe(1);
    const base = `http://127.0.0.1:${h.listener().port}`;
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/favicon.ico`)).status).toBe(404);
    expect((await fetch(`${base}/callback`, { method: 'POST' })).status).toBe(404);
    h.signIn.cancel();
    await pending;
  });

  it('refuses an http issuer unless loopback issuers are allowed, before opening anything', async () => {
    const h = harness(approveAs('ada'), { allowLoopbackIssuer: false });
    const err = await piecesFailure(h.signIn.start());
    expect(err.kind).toBe('invalid-input');
    expect(h.opened).toEqual([]);
  });

  it('an unreachable provider is a clear error', async () => {
    const gone = { ...provider().settings(), issuer: `http://127.0.0.1:${await closedPort()}` };
    const h = harness(approveAs('ada'), { provider: gone });
    const err = await piecesFailure(h.signIn.start());
    expect(err.kind).toBe('auth');
    expect(err.message).toMatch(/could not be reached/);
    expect(h.opened).toEqual([]);
  });
});

describe('PKCE verifier (sanity of the test provider itself)', () => {
  it('records sha256(verifier) in base64url, the S256 challenge form', () => {
    const v = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    // RFC 7636 appendix B.
    expect(createHash('sha256').update(v).digest('base64url')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});

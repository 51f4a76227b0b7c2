// Pieces OS's own sign-in, sign-out and token as the account service sees them, against the
// emulator over real HTTP.
import { describe, expect, it } from 'vitest';
import { createBaseUrlResolver } from './base-url';
import { createPiecesClient } from './client';
import { piecesOsSession } from './session';
import { useEmulator } from '../../../test/support/shared-emulator';

const emu = useEmulator({ users: 2, seed: 3 });

const session = () =>
  piecesOsSession(
    createPiecesClient({
      resolver: createBaseUrlResolver({ setting: () => emu().url, env: {} }),
      timeoutMs: 5_000,
    }),
  );

const jwtPayload = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };

describe('piecesOsSession', () => {
  it('signs in through Pieces OS and answers who signed in', async () => {
    const pending = session().signIn({ signal: new AbortController().signal, timeoutMs: 30_000 });
    await emu().whenSignInPending();
    emu().completeSignIn({ email: 'grace@example.com', name: 'Grace' });
    expect(await pending).toMatchObject({ email: 'grace@example.com', name: 'Grace' });
  });

  it('stops waiting for a sign-in when told to', async () => {
    const stop = new AbortController();
    const pending = session().signIn({ signal: stop.signal, timeoutMs: 30_000 });
    await emu().whenSignInPending();
    stop.abort();
    await expect(pending).rejects.toThrow();
  });

  it('signs the current user out and answers the users left', async () => {
    const current = emu().currentUserId();
    const left = await session().signOut();
    expect(left).toBeDefined();
    expect(left!.map((u) => u.id)).not.toContain(current);
    expect(emu().requestCount('osSignOut')).toBe(1);
  });

  it("hands out the current user's JWT with the expiry it carries", async () => {
    const answer = await session().accessToken();
    expect(answer?.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(answer?.expiresAt).toBe(jwtPayload(answer!.token).exp * 1000);
    expect(answer!.expiresAt!).toBeGreaterThan(Date.now());
  });

  it('hands out a token that is not a JWT without an expiry', async () => {
    emu().setFaults({ accessToken: { status: 200, body: 'opaque-token_123' } });
    expect(await session().accessToken()).toStrictEqual({ token: 'opaque-token_123' });
  });

  it('says there is no token when Pieces OS has no such endpoint', async () => {
    emu().setFeatures({ accessToken: false });
    expect(await session().accessToken()).toBeUndefined();
  });
});

// The trust rules one at a time, without a client: which sources are trusted, that a source only
// counts for the address it resolved, the words a refusal says, and which port the owner check
// asks about. The whole path (resolver, client, emulator) is in trust.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { createBaseUrlResolver } from './base-url';
import { createPiecesClient } from './client';
import type { ListenerCheck } from './listener-owner';
import { isLocalHttpUrl } from './local-url';
import { addressKey, ownerProblem, trustingClient, trustVerdict, type TrustOptions } from './trust';
import type { BaseUrlSource } from './types';

/** Options for one verdict; the owner check records the ports it was asked about. */
function options(
  source: BaseUrlSource | undefined,
  extra: Partial<TrustOptions> & { owner?: ListenerCheck; confirmedUrls?: string[] } = {},
) {
  const askedPorts: number[] = [];
  const opts: TrustOptions = {
    source: () => source,
    confirmed: () => extra.confirmedUrls ?? [],
    listenerOwner: (port) => {
      askedPorts.push(port);
      return Promise.resolve(extra.owner ?? { kind: 'same-user' });
    },
    ...(extra.given ? { given: extra.given } : {}),
  };
  return { opts, askedPorts };
}

const URL_A = 'http://127.0.0.1:39300';

describe('addressKey', () => {
  it('is the origin and path without trailing slashes', () => {
    expect(addressKey('http://127.0.0.1:39300/')).toBe('http://127.0.0.1:39300');
    expect(addressKey('http://localhost:1000/pieces//')).toBe('http://localhost:1000/pieces');
    expect(addressKey('http://localhost:1000/a/b/?q=1#x')).toBe('http://localhost:1000/a/b');
  });

  it('is undefined for what is not a URL', () => {
    expect(addressKey('not a url')).toBeUndefined();
  });
});

describe('trustVerdict', () => {
  it('trusts the address Pieces OS announced and the one in PIECES_OS_URL', async () => {
    for (const source of ['port-file', 'env'] as const) {
      expect(await trustVerdict(URL_A, true, options(source).opts)).toEqual({ trusted: true });
    }
  });

  it('counts where the address came from only for the address that was resolved', async () => {
    const verdict = await trustVerdict(URL_A, false, options('port-file').opts);
    expect(verdict).toEqual({
      trusted: false,
      reason: expect.stringContaining('it is not the address Pieces OS announced'),
    });
  });

  it('trusts an address the person confirmed or the app was given, compared without a trailing slash', async () => {
    const confirmed = options('setting', { confirmedUrls: [`${URL_A}/`] }).opts;
    expect(await trustVerdict(URL_A, true, confirmed)).toEqual({ trusted: true });
    const given = options('probe', { given: [`${URL_A}/`] }).opts;
    expect(await trustVerdict(`${URL_A}/`, true, given)).toEqual({ trusted: true });
    const other = options('setting', { confirmedUrls: ['http://127.0.0.1:39301'] }).opts;
    expect((await trustVerdict(URL_A, true, other)).trusted).toBe(false);
  });

  it('says why an address is not trusted yet, naming it', async () => {
    const reasonFor = async (source: BaseUrlSource | undefined) => {
      const verdict = await trustVerdict(`${URL_A}/`, true, options(source).opts);
      expect(verdict.trusted).toBe(false);
      return verdict.trusted ? '' : verdict.reason;
    };
    expect(await reasonFor('setting')).toBe(
      `Sign-ins are not sent to ${URL_A} yet: it was set in Settings. Choose "Trust this address…" to confirm that ${URL_A} is your Pieces OS, or let the app find the Pieces OS that announces itself.`,
    );
    const scanned = 'the app found it by scanning local ports, and Pieces OS did not announce it';
    expect(await reasonFor('probe')).toContain(`yet: ${scanned}.`);
    expect(await reasonFor('legacy')).toContain(`yet: ${scanned}.`);
    expect(await reasonFor(undefined)).toContain('yet: it is not the address Pieces OS announced.');
  });

  it('refuses what is not a URL in words', async () => {
    expect(await trustVerdict('nonsense', true, options('env').opts)).toEqual({
      trusted: false,
      reason: 'Sign-ins are not sent to an address that is not a URL.',
    });
  });

  it('refuses a trusted address whose port another OS user holds, naming the user', async () => {
    const { opts, askedPorts } = options('port-file', { owner: { kind: 'other-user', uid: 4242 } });
    const verdict = await trustVerdict(`${URL_A}/`, true, opts);
    expect(verdict).toEqual({
      trusted: false,
      reason: `The server at ${URL_A} belongs to another user of this computer (user id 4242), so sign-ins are not sent to it. Make sure Pieces OS is running for you, or quit the program holding that port.`,
    });
    expect(askedPorts).toEqual([39300]);
  });

  it('trusts an announced address when nobody can tell who holds the port', async () => {
    const { opts } = options('port-file', { owner: { kind: 'unknown' } });
    expect(await trustVerdict(URL_A, true, opts)).toEqual({ trusted: true });
  });

  it('does not ask who holds the port of an address it refuses anyway', async () => {
    const { opts, askedPorts } = options('setting');
    await trustVerdict(URL_A, true, opts);
    expect(askedPorts).toEqual([]);
  });
});

describe('ownerProblem', () => {
  it('asks about the port in the address, or the scheme default', async () => {
    const { opts, askedPorts } = options(undefined);
    await ownerProblem('http://localhost:1000/x', opts);
    await ownerProblem('http://localhost/', opts);
    await ownerProblem('https://localhost/', opts);
    expect(askedPorts).toEqual([1000, 80, 443]);
  });

  it('finds nothing wrong with a listener of this user', async () => {
    expect(await ownerProblem(URL_A, options(undefined).opts)).toBeUndefined();
  });
});

describe('isLocalHttpUrl', () => {
  it('accepts http and https on this computer', () => {
    for (const url of ['http://127.0.0.1:39300', 'https://localhost', 'http://[::1]:1000/x']) {
      expect(isLocalHttpUrl(url)).toBe(true);
    }
  });

  it('refuses other schemes, other computers, and what is not a URL', () => {
    for (const url of ['ftp://127.0.0.1', 'ws://localhost:1000', 'http://example.com', 'x']) {
      expect(isLocalHttpUrl(url)).toBe(false);
    }
  });
});

describe('trustingClient, a call pinned to an address', () => {
  const emulators: Emulator[] = [];
  afterEach(async () => {
    await Promise.all(emulators.splice(0).map((e) => e.close()));
  });

  it('sends the token to the confirmed address it was pinned to, not to the resolved one', async () => {
    const resolved = await startEmulator({ users: 0 });
    const pinned = await startEmulator({ users: 0 });
    emulators.push(resolved, pinned);
    const resolver = createBaseUrlResolver({ setting: () => resolved.url, env: {} });
    const client = trustingClient(createPiecesClient({ resolver }), {
      source: () => resolver.source(),
      confirmed: () => [pinned.url],
      listenerOwner: () => Promise.resolve({ kind: 'same-user' }),
    });
    const token = pinned.mintToken({ email: 'ada@example.com' });
    await expect(client.signInWithToken(token, { baseUrl: pinned.url })).resolves.toMatchObject({
      email: 'ada@example.com',
    });
    expect(pinned.requestCount('signIn')).toBe(1);
    expect(resolved.requestCount('signIn')).toBe(0);
  });
});

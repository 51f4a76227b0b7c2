// Saved sign-ins go only to a trusted Pieces OS: the real resolver (port file, port scan,
// PIECES_OS_URL, the setting) and the real client against emulators over loopback HTTP.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { createBaseUrlResolver, portFilePath } from './base-url';
import { createPiecesClient } from './client';
import { PiecesError } from './errors';
import type { ListenerCheck } from './listener-owner';
import { trustingClient, UNTRUSTED_KIND, type TrustOptions } from './trust';
import type { BaseUrlResolverOptions } from './base-url';

let home: string;
let emulators: Emulator[] = [];
const portOf = (e: Emulator) => Number(new URL(e.url).port);

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'pieces-trust-'));
});
afterEach(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  emulators = [];
  rmSync(home, { recursive: true, force: true });
});

async function emulator(): Promise<Emulator> {
  const e = await startEmulator({ users: 0 });
  emulators.push(e);
  return e;
}

function announce(port: number): void {
  const file = portFilePath(home, 'linux');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${port}\n`);
}

function setup(
  resolverOpts: BaseUrlResolverOptions,
  extra: Partial<TrustOptions> & { confirmedUrls?: string[] } = {},
) {
  const resolver = createBaseUrlResolver({
    homeDir: home,
    platform: 'linux',
    env: {},
    probePorts: [],
    legacyPorts: [],
    probeTimeoutMs: 2000,
    ...resolverOpts,
  });
  const confirmed = extra.confirmedUrls ?? [];
  const client = trustingClient(createPiecesClient({ resolver }), {
    source: () => resolver.source(),
    confirmed: () => confirmed,
    // Everything here is this process's own listener; the Linux owner check has its own tests.
    listenerOwner: () => Promise.resolve({ kind: 'same-user' }),
    ...extra,
  });
  return { resolver, client, confirmed };
}

const refusal = async (p: Promise<unknown>): Promise<PiecesError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PiecesError);
  expect((err as PiecesError).kind).toBe(UNTRUSTED_KIND);
  return err as PiecesError;
};

describe('trustingClient', () => {
  it('sends a token to the port Pieces OS announced, and again after it restarts on another port', async () => {
    const first = await emulator();
    announce(portOf(first));
    const { client, resolver } = setup({});
    const token = first.mintToken({ email: 'ada@example.com' });
    await expect(client.signInWithToken(token)).resolves.toMatchObject({
      email: 'ada@example.com',
    });
    expect(resolver.source()).toBe('port-file');

    // Restarted elsewhere and announced through the port file: no confirmation needed.
    const second = await emulator();
    announce(portOf(second));
    await first.close();
    client.invalidate();
    const again = second.mintToken({ email: 'ada@example.com' });
    await expect(client.signInWithToken(again)).resolves.toMatchObject({
      email: 'ada@example.com',
    });
    expect(await client.baseUrl()).toBe(second.url);
  });

  it("sends a token to PIECES_OS_URL, the person's own environment", async () => {
    const e = await emulator();
    const { client } = setup({ env: { PIECES_OS_URL: e.url } });
    await expect(
      client.signInWithToken(e.mintToken({ email: 'ada@example.com', name: 'Ada' })),
    ).resolves.toMatchObject({
      name: 'Ada',
    });
  });

  it('sends nothing to an address found only by the port scan (a squatter on 39300-39333) until confirmed', async () => {
    const squatter = await emulator();
    const { client, confirmed } = setup({ probePorts: [portOf(squatter)] });
    const token = squatter.mintToken({ email: 'ada@example.com' });
    const err = await refusal(client.signInWithToken(token));
    expect(err.message).toContain(squatter.url);
    expect(err.message).toContain('scanning local ports');
    expect(err.message).not.toContain(token.access_token);
    expect(squatter.requestCount('signIn')).toBe(0);
    // Listing users is fine; only tokens are withheld.
    await expect(client.listUsers()).resolves.toEqual([]);
    // Once the person confirmed that address in the dialog, it is trusted.
    confirmed.push(squatter.url);
    await expect(client.signInWithToken(token)).resolves.toMatchObject({
      email: 'ada@example.com',
    });
  });

  it('sends nothing to an address from the Settings form until confirmed', async () => {
    const e = await emulator();
    const { client } = setup({ setting: () => e.url });
    const err = await refusal(
      client.signInWithToken(e.mintToken({ email: 'ada@example.com', name: 'Ada' })),
    );
    expect(err.message).toContain('set in Settings');
    expect(e.requestCount('signIn')).toBe(0);
  });

  it('refuses a listener that belongs to another OS user, even on the announced port', async () => {
    const e = await emulator();
    announce(portOf(e));
    const asked: number[] = [];
    const { client } = setup(
      {},
      {
        listenerOwner: (port): Promise<ListenerCheck> => {
          asked.push(port);
          return Promise.resolve({ kind: 'other-user', uid: 1001 });
        },
      },
    );
    const err = await refusal(
      client.signInWithToken(e.mintToken({ email: 'ada@example.com', name: 'Ada' })),
    );
    expect(err.message).toContain('another user of this computer (user id 1001)');
    expect(asked).toEqual([portOf(e)]);
    expect(e.requestCount('signIn')).toBe(0);
  });

  it('checks the address a call is pinned to, not whatever was resolved', async () => {
    const trusted = await emulator();
    const other = await emulator();
    announce(portOf(trusted));
    const { client } = setup({});
    const token = other.mintToken({ email: 'ada@example.com', name: 'Ada' });
    await refusal(client.signInWithToken(token, { baseUrl: other.url }));
    expect(other.requestCount('signIn')).toBe(0);
  });
});

// Saved sign-ins go only to a trusted Pieces OS: the real resolver (port file, port scan,
// PIECES_OS_URL, the setting) and the real client against emulators over loopback HTTP.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { createBaseUrlResolver, portFilePath } from './base-url';
import { createPiecesClient } from './client';
import { PiecesError } from './errors';
import type { ListenerCheck } from './listener-owner';
import { trustingClient, UNTRUSTED_KIND, type TrustOptions } from './trust';
import type { BaseUrlResolverOptions } from './base-url';
import { piecesFailure } from '../../../test/support/pieces-failure';

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
    // Everything here is this process's own listener: the real connection check says so.
    listenerOwner: () => Promise.resolve({ kind: 'same-user' }),
    ...extra,
  });
  return { resolver, client, confirmed };
}

/** A check of who holds a connection's other end that answers `answer` and records each ask. */
function recordingOwner(answer: ListenerCheck) {
  const asked: { serverPort: number; clientPort: number }[] = [];
  const connectionOwner = (conn: { serverPort: number; clientPort: number }) => {
    asked.push(conn);
    return Promise.resolve(answer);
  };
  return { asked, connectionOwner };
}

const refusal = async (p: Promise<unknown>): Promise<PiecesError> => {
  const err = await piecesFailure(p);
  expect(err.kind).toBe(UNTRUSTED_KIND);
  return err;
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

  it('refuses a connection whose other end belongs to another OS user, even on the announced port, and writes nothing on it', async () => {
    const e = await emulator();
    announce(portOf(e));
    const { asked, connectionOwner } = recordingOwner({ kind: 'other-user', uid: 1001 });
    const { client } = setup({}, { connectionOwner });
    const err = await refusal(
      client.signInWithToken(e.mintToken({ email: 'ada@example.com', name: 'Ada' })),
    );
    expect(err.message).toContain('another user of this computer (user id 1001)');
    expect(asked).toHaveLength(1);
    expect(asked[0]!.serverPort).toBe(portOf(e));
    expect(asked[0]!.clientPort).toBeGreaterThan(0);
    expect(e.requestCount('signIn')).toBe(0);
  });

  it('asks who holds the other end once per connection: a kept-alive one is not asked again, a new one is', async () => {
    const e = await emulator();
    announce(portOf(e));
    const { asked, connectionOwner } = recordingOwner({ kind: 'same-user' });
    const { client } = setup({}, { connectionOwner });
    const serverPorts = () => [...new Set(asked.map((c) => c.serverPort))];
    const token = e.mintToken({ email: 'ada@example.com', name: 'Ada' });
    for (let i = 0; i < 3; i++) await client.signInWithToken(token);
    expect(e.requestCount('signIn')).toBe(3);
    // Never asked twice about one connection, and a kept-alive one was used again unasked (the
    // first POST after an idle moment gets a connection of its own: see http-adapter.ts).
    const ports = asked.map((c) => c.clientPort);
    expect(new Set(ports).size).toBe(ports.length);
    expect(asked.length).toBeLessThan(3);
    const before = asked.length;
    expect(serverPorts()).toEqual([portOf(e)]);
    // Pieces OS moved to another port: a new connection, asked about.
    const second = await emulator();
    announce(portOf(second));
    client.invalidate();
    await client.signInWithToken(second.mintToken({ email: 'ada@example.com', name: 'Ada' }));
    expect(asked).toHaveLength(before + 1);
    expect(serverPorts()).toEqual([portOf(e), portOf(second)]);
  });

  it.runIf(process.platform === 'linux' && process.getuid?.() === 0)(
    "sends no token to a server run by another OS user (a child process as 'nobody'; real /proc; needs root)",
    async () => {
      // Prints each request's method and path, so the test can tell what reached it, in order.
      const child = spawn(
        process.execPath,
        [
          '-e',
          "const s=require('http').createServer((q,r)=>{console.log(q.method+' '+q.url);r.end(q.url==='/.well-known/health'?'ok':'{}')});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))",
        ],
        { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      // Every line it printed, in order (several can come in one chunk).
      const lines = createInterface({ input: child.stdout! });
      const seen: string[] = [];
      const waiters = new Set<() => void>();
      lines.on('line', (line) => {
        seen.push(line);
        for (const w of waiters) w();
      });
      const printed = (test: (line: string) => boolean) =>
        new Promise<string>((resolve) => {
          const check = () => {
            const found = seen.find(test);
            if (found !== undefined) resolve(found);
          };
          waiters.add(check);
          check();
        });
      try {
        const port = Number(await printed((line) => /^\d+$/.test(line)));
        announce(port);
        const { client } = setup({}, { connectionOwner: undefined });
        const token = (await emulator()).mintToken({ email: 'ada@example.com', name: 'Ada' });
        const err = await refusal(client.signInWithToken(token));
        expect(err.message).toContain('another user of this computer (user id 65534)');
        // Whatever reached the server was printed before the answer to this probe.
        await fetch(`http://127.0.0.1:${port}/probe`);
        await printed((line) => line === 'GET /probe');
        expect(seen.filter((line) => line.startsWith('POST'))).toEqual([]);
      } finally {
        lines.close();
        child.kill();
      }
    },
  );

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

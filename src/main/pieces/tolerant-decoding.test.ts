// Answers the upstream OpenAPI allows but the app once refused, sent over real HTTP by the
// emulator (its fault mechanism sends the exact body): non-UUID ids, a malformed optional field
// the app never reads, and the same id twice. None of them may fail the list.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { fullWireUser, ID } from '../../../test/support/wire-fixtures';
import { createBaseUrlResolver } from './base-url';
import { createPiecesClient } from './client';
import type { PiecesClient } from './types';

let emu: Emulator;
let client: PiecesClient;
let warnings: string[];

beforeAll(async () => {
  emu = await startEmulator({ users: 0 });
});
afterAll(() => emu.close());
beforeEach(() => {
  warnings = [];
  emu.setFaults({});
  client = createPiecesClient({
    resolver: createBaseUrlResolver({ env: { PIECES_OS_URL: emu.url } }),
    warn: (m) => void warnings.push(m),
  });
});

const OTHER = '11111111-2222-4333-8444-555555555555';
const sendUsers = (iterable: unknown[]) =>
  emu.setFaults({ listUsers: { status: 200, body: JSON.stringify({ iterable }) } });

describe('tolerant decoding over HTTP', () => {
  it('accepts ids that are not UUIDs (the spec says string)', async () => {
    sendUsers([fullWireUser('auth0|6512bd43d9caa6e02c990b0a'), fullWireUser('github:ada')]);
    const users = await client.listUsers();
    expect(users.map((u) => u.id)).toEqual(['auth0|6512bd43d9caa6e02c990b0a', 'github:ada']);
  });

  it.each([
    ['auth0', (u: Record<string, unknown>) => (u.auth0 = { global_id: 42 }), 'auth0.global_id'],
    [
      'a provider date',
      (u: Record<string, unknown>) =>
        ((u.providers as { iterable: Record<string, unknown>[] }).iterable[0]!.created = 'soon'),
      'providers',
    ],
    [
      'allocation.urls.id',
      (u: Record<string, unknown>) =>
        (((u.allocation as Record<string, unknown>).urls as Record<string, unknown>).id = 7),
      'allocation.urls.id',
    ],
  ])(
    'drops a malformed optional field (%s), keeps every user, and warns once',
    async (_what, spoil, kind) => {
      const users = Array.from({ length: 5 }, (_, i) => {
        const u = fullWireUser(`${ID.slice(0, -1)}${i}`);
        spoil(u);
        return u;
      });
      sendUsers([...users, fullWireUser(OTHER)]);
      const listed = await client.listUsers();
      expect(listed).toHaveLength(6);
      expect(listed.every((u) => u.displayName === 'Ada Lovelace')).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(kind);
      // Not per refresh either.
      await client.listUsers();
      expect(warnings).toHaveLength(1);
    },
  );

  it('keeps the first of a repeated id, and says so once', async () => {
    const first = { ...fullWireUser(OTHER), name: 'First' };
    const second = { ...fullWireUser(OTHER), name: 'Second' };
    sendUsers([first, fullWireUser(ID), second, second]);
    const listed = await client.listUsers();
    expect(listed.map((u) => [u.id, u.name])).toEqual([
      [OTHER, 'First'],
      [ID, 'Ada Lovelace'],
    ]);
    expect(warnings).toEqual([
      'Pieces OS listed a user id more than once; the app keeps the first.',
    ]);
  });

  it('still fails the list when a required field is malformed', async () => {
    sendUsers([{ ...fullWireUser(ID), aesthetics: 7 }]);
    await expect(client.listUsers()).rejects.toMatchObject({
      kind: 'bad-response',
      path: 'iterable.0.aesthetics',
    });
  });

  it('puts an id in the path as one encoded segment', async () => {
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(fullWireUser('a/b?c#d')));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const c = createPiecesClient({
        resolver: createBaseUrlResolver({ env: { PIECES_OS_URL: url } }),
      });
      expect((await c.getUser('a/b?c#d')).id).toBe('a/b?c#d');
      expect(paths).toEqual(['/users/a%2Fb%3Fc%23d']);
    } finally {
      server.close();
    }
  });
});

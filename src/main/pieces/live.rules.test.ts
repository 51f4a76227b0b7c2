// The live module's rules one at a time, written for the survivors of the mutation run of
// 2026-12-02 (docs/mutation.md, "src/main/pieces/live.ts (full run)"): the exact words of each
// event and log line, the listener guard, and repeats dropped. Real loopback servers; every wait
// is on an event, never on time.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startStreamServer, type StreamServer } from '../../../test/support/stream-server';
import { fullWireUser } from '../../../test/support/wire-fixtures';
import {
  createLiveUpdates,
  type LiveEvent,
  type LiveUpdates,
  type LiveUpdatesOptions,
} from './live';

const ID_A = '11111111-1111-4111-8111-111111111111';
const ID_B = '22222222-2222-4222-8222-222222222222';
const profile = (id: string) => JSON.stringify(fullWireUser(id));

const servers: StreamServer[] = [];
const httpServers: http.Server[] = [];
const lives: LiveUpdates[] = [];

afterEach(async () => {
  await Promise.all(lives.splice(0).map((l) => l.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(
    httpServers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((resolve) => s.close(resolve));
    }),
  );
});

function logLines() {
  const lines: { level: 'info' | 'warn'; message: string }[] = [];
  return {
    lines,
    info: (message: string) => void lines.push({ level: 'info', message }),
    warn: (message: string) => void lines.push({ level: 'warn', message }),
  };
}

/** Events as they come, and the first one from now on of a type. */
function events() {
  const all: LiveEvent[] = [];
  const waiters: { type: LiveEvent['type']; resolve: (e: LiveEvent) => void }[] = [];
  return {
    all,
    onEvent(e: LiveEvent) {
      all.push(e);
      const i = waiters.findIndex((w) => w.type === e.type);
      if (i >= 0) waiters.splice(i, 1)[0]!.resolve(e);
    },
    next<T extends LiveEvent['type']>(type: T): Promise<Extract<LiveEvent, { type: T }>> {
      return new Promise((resolve) =>
        waiters.push({ type, resolve: resolve as (e: LiveEvent) => void }),
      );
    },
  };
}

function live(opts: Partial<LiveUpdatesOptions>) {
  const l = createLiveUpdates({
    resolve: () => Promise.reject(new Error('no resolver in this test')),
    invalidate: () => undefined,
    ...opts,
  });
  lives.push(l);
  return l;
}

async function streamServer(opts: Parameters<typeof startStreamServer>[0] = {}) {
  const s = await startStreamServer(opts);
  servers.push(s);
  return s;
}

/** HTTP health answers "ok"; every WebSocket upgrade gets `onUpgrade`. */
async function httpOnly(onUpgrade: (socket: import('node:stream').Duplex) => void) {
  const server = http.createServer((req, res) => {
    if (req.url === '/.well-known/health') res.writeHead(200).end('ok');
    else res.writeHead(404).end();
  });
  server.on('upgrade', (_req, socket) => onUpgrade(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  httpServers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('live updates, rule by rule', () => {
  it('a resolver that fails is said in words, once, as lost', async () => {
    const log = logLines();
    const ev = events();
    const lost = ev.next('lost');
    live({
      resolve: () => Promise.reject(new Error('no port file')),
      log,
      onEvent: ev.onEvent,
    }).start();
    expect(await lost).toEqual({
      type: 'lost',
      url: 'Pieces OS',
      reason: 'Pieces OS could not be looked for: no port file',
    });
    expect(log.lines[0]).toEqual({
      level: 'info',
      message: 'Pieces OS could not be looked for: no port file Looking for it again.',
    });
  });

  it('a listener that throws is logged once in words and the module goes on', async () => {
    const s = await streamServer({ greeting: () => profile(ID_A) });
    const log = logLines();
    let calls = 0;
    let done!: () => void;
    const userSeen = new Promise<void>((resolve) => (done = resolve));
    live({
      resolve: async () => s.url,
      log,
      onEvent: (e) => {
        calls++;
        if (e.type === 'user') done();
        throw new Error('listener broke');
      },
    }).start();
    await userSeen;
    expect(calls).toBe(2); // 'connected', then 'user': the throw on the first stopped nothing
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([
      { level: 'warn', message: 'The live update listener failed: listener broke' },
    ]);
  });

  it('a listener that throws something that is not an Error is logged too', async () => {
    const log = logLines();
    const ev = events();
    const lost = ev.next('lost');
    live({
      resolve: () => Promise.reject(new Error('no port file')),
      log,
      onEvent: (e) => {
        ev.onEvent(e);
        throw null; // what a careless listener may do
      },
    }).start();
    await lost;
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([
      { level: 'warn', message: 'The live update listener failed: null' },
    ]);
  });

  it('a health message other than ok is ignored with one warning; the session stays live', async () => {
    const s = await streamServer();
    const log = logLines();
    const ev = events();
    const connected = ev.next('connected');
    const l = live({ resolve: async () => s.url, log, onEvent: ev.onEvent });
    l.start();
    await connected;
    const [health] = s.clients('health');
    health!.send('not ok');
    health!.send('still not ok');
    const pong = once(health!, 'pong');
    health!.ping(); // answered after both messages were read
    await pong;
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'The Pieces OS health stream sent a message other than "ok"; ignored.',
      },
    ]);
    expect(l.status().mode).toBe('live');
    expect(ev.all.map((e) => e.type)).toEqual(['connected']);
  });

  it('a user message equal to the last one reported is dropped', async () => {
    const s = await streamServer({ greeting: () => profile(ID_A) });
    const ev = events();
    const first = ev.next('user');
    live({ resolve: async () => s.url, onEvent: ev.onEvent }).start();
    await first;
    await s.sendUserAndSync(profile(ID_A));
    const second = ev.next('user');
    s.sendUser(profile(ID_B));
    expect((await second).profile?.id).toBe(ID_B);
    expect(
      ev.all.filter((e) => e.type === 'user').map((e) => e.type === 'user' && e.profile?.id),
    ).toEqual([ID_A, ID_B]);
  });

  it('polling names the address and the missing stream, in the event and one log line', async () => {
    const s = await streamServer({ health: 'missing', user: 'missing' });
    const log = logLines();
    const ev = events();
    const polling = ev.next('polling');
    live({ resolve: async () => s.url, log, onEvent: ev.onEvent }).start();
    const event = await polling;
    expect(event.reason).toMatch(
      new RegExp(
        `^Pieces OS at ${s.url}: it has no (health|user) stream \\(the WebSocket upgrade answered 404\\)\\.$`,
      ),
    );
    expect(log.lines).toEqual([
      {
        level: 'info',
        message: expect.stringMatching(
          new RegExp(
            `^Pieces OS at ${s.url} has no usable WebSocket streams \\(it has no (health|user) stream \\(the WebSocket upgrade answered 404\\)\\); polling it\\.$`,
          ),
        ),
      },
    ]);
  });

  it('an upgrade refused with another status is said with that status', async () => {
    const url = await httpOnly((socket) =>
      socket.end('HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n'),
    );
    const ev = events();
    const polling = ev.next('polling');
    live({ resolve: async () => url, onEvent: ev.onEvent }).start();
    expect((await polling).reason).toMatch(
      new RegExp(
        `^Pieces OS at ${url}: its (health|user) stream refused the WebSocket upgrade \\(500\\)\\.$`,
      ),
    );
  });

  it('an upgrade cut off without an answer is said with the error code', async () => {
    const url = await httpOnly((socket) => socket.destroy());
    const ev = events();
    const polling = ev.next('polling');
    live({ resolve: async () => url, onEvent: ev.onEvent }).start();
    expect((await polling).reason).toMatch(
      new RegExp(`^Pieces OS at ${url}: its (health|user) stream failed \\(ECONNRESET\\)\\.$`),
    );
  });

  it('retryNow and status before start: idle, nothing looked for', async () => {
    let resolves = 0;
    const l = live({
      resolve: async () => {
        resolves++;
        return 'http://127.0.0.1:9';
      },
    });
    l.retryNow();
    expect(l.status()).toStrictEqual({ mode: 'idle' });
    expect('url' in l.status()).toBe(false);
    expect(resolves).toBe(0);
  });
});

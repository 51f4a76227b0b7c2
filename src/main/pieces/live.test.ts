// The live module against real loopback WebSocket servers (test/support/stream-server.ts), real
// port files in temp dirs and the real base URL resolver. Every wait is on an event, never on time.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../../test/support/ports';
import { startStreamServer, type StreamServer } from '../../../test/support/stream-server';
import { fullWireUser } from '../../../test/support/wire-fixtures';
import { createBaseUrlResolver, portFilePath } from './base-url';
import {
  createLiveUpdates,
  type LiveEvent,
  type LiveUpdates,
  type LiveUpdatesOptions,
  type Timers,
} from './live';

const ID_A = '11111111-1111-4111-8111-111111111111';
const ID_B = '22222222-2222-4222-8222-222222222222';
const profile = (id: string, name = 'Ada') => JSON.stringify({ ...fullWireUser(id), name });

/** Everything the module emitted, and a way to wait for the next event matching a test. */
function recorder() {
  const events: LiveEvent[] = [];
  const waiters: { test: (e: LiveEvent) => boolean; resolve: (e: LiveEvent) => void }[] = [];
  return {
    events,
    onEvent(event: LiveEvent) {
      events.push(event);
      for (const w of [...waiters]) {
        if (w.test(event)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(event);
        }
      }
    },
    /** The first event from now on matching `test`. */
    next<T extends LiveEvent['type']>(
      type: T,
      test: (e: Extract<LiveEvent, { type: T }>) => boolean = () => true,
    ): Promise<Extract<LiveEvent, { type: T }>> {
      return new Promise((resolve) =>
        waiters.push({
          test: (e) => e.type === type && test(e as Extract<LiveEvent, { type: T }>),
          resolve: resolve as (e: LiveEvent) => void,
        }),
      );
    },
  };
}

function memoryLog() {
  const lines: { level: 'info' | 'warn'; message: string }[] = [];
  return {
    lines,
    info: (message: string) => lines.push({ level: 'info', message }),
    warn: (message: string) => lines.push({ level: 'warn', message }),
  };
}

/** Real timers that remember every delay asked for. */
function recordingTimers() {
  const delays: number[] = [];
  const timers: Timers = {
    setTimeout(fn, ms) {
      delays.push(ms);
      return setTimeout(fn, ms);
    },
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  return { delays, timers };
}

const servers: StreamServer[] = [];
const lives: LiveUpdates[] = [];
const dirs: string[] = [];

async function server(opts: Parameters<typeof startStreamServer>[0] = {}) {
  const s = await startStreamServer(opts);
  servers.push(s);
  return s;
}

function live(opts: Partial<LiveUpdatesOptions>) {
  const invalidations = { count: 0 };
  const l = createLiveUpdates({
    resolve: () => Promise.reject(new Error('no resolver in this test')),
    invalidate: () => invalidations.count++,
    ...opts,
  });
  lives.push(l);
  return Object.assign(l, { invalidations });
}

afterEach(async () => {
  await Promise.all(lives.splice(0).map((l) => l.stop()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tempHome() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pieces-live-'));
  dirs.push(dir);
  return dir;
}

/** A stream server and live updates connected to it, with their events and log recorded. */
async function connectedWithLog() {
  const s = await server();
  const rec = recorder();
  const log = memoryLog();
  const connected = rec.next('connected');
  live({ resolve: async () => s.url, onEvent: rec.onEvent, log }).start();
  await connected;
  return { s, rec, log };
}

/**
 * Pieces OS found only through its port file: the file's folder in a fresh home (no file yet) and
 * a resolver that reads it (no probe ports; the legacy port is closed).
 */
async function throughPortFile() {
  const home = await tempHome();
  const portFile = portFilePath(home, 'linux');
  await mkdir(path.dirname(portFile), { recursive: true });
  const resolver = createBaseUrlResolver({
    env: {},
    homeDir: home,
    platform: 'linux',
    probePorts: [],
    legacyPorts: [await closedPort()],
  });
  return { portFile, resolver };
}

describe('live updates', () => {
  it('connects to both streams and reports the current user, then each change', async () => {
    const s = await server({ greeting: () => profile(ID_A) });
    const rec = recorder();
    const l = live({ resolve: async () => s.url, onEvent: rec.onEvent });
    const connected = rec.next('connected');
    const first = rec.next('user');
    l.start();
    expect(await connected).toEqual({ type: 'connected', url: s.url, mode: 'live' });
    const user = await first;
    expect(user.profile).toMatchObject({ id: ID_A, displayName: 'Ada' });
    expect(l.status()).toEqual({ mode: 'live', url: s.url });

    const second = rec.next('user');
    s.sendUser(profile(ID_B, 'Grace'));
    expect((await second).profile).toMatchObject({ id: ID_B, displayName: 'Grace' });

    // An empty message, and one that is not JSON, mean nobody is signed in.
    const nobody = rec.next('user');
    s.sendUser('');
    expect((await nobody).profile).toBeNull();
    const back = rec.next('user', (e) => e.profile?.id === ID_A);
    s.sendUser(profile(ID_A));
    await back;
    const notJson = rec.next('user');
    s.sendUser('logged out');
    expect((await notJson).profile).toBeNull();
    expect(rec.events.map((e) => e.type)).toEqual([
      'connected',
      'user',
      'user',
      'user',
      'user',
      'user',
    ]);
  });

  it('passes on a profile for an id nobody has seen: the account service decides', async () => {
    const unknown = '99999999-9999-4999-8999-999999999999';
    const s = await server({ greeting: () => profile(unknown, 'Stranger') });
    const rec = recorder();
    const user = rec.next('user');
    // The listener given to start(), as the account service's LiveLink does.
    live({ resolve: async () => s.url }).start(rec.onEvent);
    expect((await user).profile).toMatchObject({ id: unknown, displayName: 'Stranger' });
  });

  it('ignores messages that are not profiles, with one log line per kind of problem', async () => {
    const { s, rec, log } = await connectedWithLog();
    // Each bad message is read in its own turn (the sync), so each one is decoded; a profile
    // after each keeps them from being dropped as repeats.
    for (const bad of ['{"id":"not-a-uuid"}', '{"id":"not-a-uuid"}', '42', '{"id":"x"}']) {
      const good = rec.next('user');
      await s.sendUserAndSync(bad);
      s.sendUser(profile(ID_A, `after ${bad}`));
      expect((await good).profile?.name).toBe(`after ${bad}`);
    }
    expect(rec.events.filter((e) => e.type === 'user').every((e) => e.profile !== null)).toBe(true);
    const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    // Two kinds: a bad id (three messages) and a value that is not an object (one).
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).not.toContain('not-a-uuid');
  });

  it('coalesces a burst of 1,000 messages: the latest arrives, far fewer events than messages', async () => {
    const { s, rec, log } = await connectedWithLog();
    const last = '33333333-3333-4333-8333-333333333333';
    const done = rec.next('user', (e) => e.profile?.id === last);
    for (let i = 0; i < 999; i++) s.sendUser(profile(i % 2 ? ID_A : ID_B, `n${i}`));
    s.sendUser(profile(last));
    await done;
    const users = rec.events.filter((e) => e.type === 'user');
    expect(users.length).toBeLessThan(100);
    expect(users.at(-1)?.profile?.id).toBe(last);
    expect(log.lines).toHaveLength(1); // "Following Pieces OS at ... live"
  });

  it('a Pieces OS restarted on another port is found again through the port file', async () => {
    const { portFile, resolver } = await throughPortFile();
    const a = await server({ greeting: () => profile(ID_A) });
    await writeFile(portFile, String(a.port));
    const rec = recorder();
    const l = live({
      resolve: resolver.resolve,
      invalidate: resolver.invalidate,
      onEvent: rec.onEvent,
      portFiles: [portFile],
    });
    const connectedA = rec.next('connected');
    l.start();
    expect((await connectedA).url).toBe(a.url);

    // Pieces OS quits: the health stream closes, and 'lost' follows at once, even when the user
    // stream happened to close first.
    const lost = rec.next('lost');
    const connectedB = rec.next('connected');
    const userB = rec.next('user', (e) => e.url !== a.url);
    a.drop('user');
    await a.close();
    expect(await lost).toMatchObject({ url: a.url, reason: expect.stringMatching(/health/) });
    expect(l.status().mode).toBe('searching');

    // ... and comes back on another port.
    const b = await server({ greeting: () => profile(ID_B) });
    await writeFile(portFile, String(b.port));
    expect((await connectedB).url).toBe(b.url);
    expect((await userB).profile?.id).toBe(ID_B);
  });

  it('follows the port file while live: a new port moves the connection at once', async () => {
    const { portFile, resolver } = await throughPortFile();
    const a = await server();
    const b = await server();
    await writeFile(portFile, String(a.port));
    const rec = recorder();
    const connectedA = rec.next('connected');
    live({
      resolve: resolver.resolve,
      invalidate: resolver.invalidate,
      onEvent: rec.onEvent,
      portFiles: [portFile],
    }).start();
    await connectedA;
    // A stays healthy: only the port file can tell the module to move.
    const moved = rec.next('lost');
    const connectedB = rec.next('connected');
    await writeFile(portFile, String(b.port));
    expect(await moved).toMatchObject({ url: a.url, reason: `Pieces OS moved to ${b.url}.` });
    expect((await connectedB).url).toBe(b.url);
    await a.allClosed();
    expect(a.clients('health')).toHaveLength(0);
  });

  it('falls back to polling where the upgrade answers 404 (an older Pieces OS)', async () => {
    for (const missing of [{ health: 'missing' }, { user: 'missing' }] as const) {
      const s = await server(missing);
      const rec = recorder();
      const polling = rec.next('polling');
      const l = live({ resolve: async () => s.url, onEvent: rec.onEvent });
      l.start();
      const event = await polling;
      expect(event.url).toBe(s.url);
      expect(event.reason).toMatch(/answered 404/);
      expect(l.status().mode).toBe('polling');
      expect(rec.events.map((e) => e.type)).toEqual(['polling']);
      await l.stop();
    }
  });

  it('a health stream that never says ok is not trusted: polling while HTTP answers', async () => {
    const s = await server({ health: 'silent' });
    const rec = recorder();
    const polling = rec.next('polling');
    const l = live({ resolve: async () => s.url, onEvent: rec.onEvent, healthOkTimeoutMs: 50 });
    l.start();
    expect((await polling).reason).toMatch(/health stream said nothing/);
    expect(rec.events.some((e) => e.type === 'connected')).toBe(false);
    await s.allClosed(); // the silent sockets were closed, not left open
  });

  it('nothing listening: one lost event, then retries with a capped, growing backoff', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const rec = recorder();
    const log = memoryLog();
    const { delays, timers } = recordingTimers();
    let resolves = 0;
    let sixth: () => void;
    const sixthResolve = new Promise<void>((r) => (sixth = r));
    const l = live({
      resolve: async () => {
        if (++resolves === 6) sixth();
        return url;
      },
      onEvent: rec.onEvent,
      log,
      timers,
      backoff: { initialMs: 2, maxMs: 8 },
    });
    l.start();
    await sixthResolve;
    expect(rec.events).toEqual([
      { type: 'lost', url, reason: `Pieces OS is not reachable at ${url}.` },
    ]);
    expect(delays.slice(0, 5)).toEqual([2, 4, 8, 8, 8]);
    expect(l.invalidations.count).toBeGreaterThanOrEqual(5);
    expect(log.lines).toHaveLength(1);
  });

  it('a socket that opens then drops every time: the backoff holds and the log stays short', async () => {
    const s = await server();
    const rec = recorder();
    const log = memoryLog();
    const { delays, timers } = recordingTimers();
    let cycles = 0;
    let eighth: () => void;
    const done = new Promise<void>((r) => (eighth = r));
    const l = live({
      resolve: async () => s.url,
      onEvent: (e) => {
        rec.onEvent(e);
        // Drop each session as soon as it is up, as a flapping Pieces OS would.
        if (e.type === 'connected') {
          if (++cycles === 8) eighth();
          else s.drop('health');
        }
      },
      log,
      timers,
      backoff: { initialMs: 2, maxMs: 16 },
      // Each session "lasts" 1 s on this clock, under the 10 s that counts as stable.
      now: (() => {
        let t = 0;
        return () => (t += 1000);
      })(),
    });
    l.start();
    await done;
    const backoffs = delays.filter((d) => d !== 5000); // leave out the health ok timers
    expect(backoffs).toEqual([2, 4, 8, 16, 16, 16, 16]);
    expect(rec.events.filter((e) => e.type === 'lost')).toHaveLength(7);
    expect(s.connections.health).toBe(8);
    // The first connect, the first drop and its "lost": then quiet while it keeps flapping.
    expect(log.lines.length).toBeLessThanOrEqual(3);
  });

  it('streams that open then close at once are retried a few times, then polled', async () => {
    const s = await server({ dropOnOpen: 'health' });
    const rec = recorder();
    const { delays, timers } = recordingTimers();
    const polling = rec.next('polling');
    const l = live({
      resolve: async () => s.url,
      onEvent: rec.onEvent,
      timers,
      backoff: { initialMs: 2, maxMs: 16 },
    });
    l.start();
    expect((await polling).reason).toMatch(/health stream closed/);
    expect(s.connections.health).toBe(4);
    expect(delays.filter((d) => d !== 5000 && d !== 300_000)).toEqual([2, 4, 8]);
    expect(rec.events.map((e) => e.type)).toEqual(['polling']);
  });

  it('a user stream that closes alone is reopened alone, without reporting Pieces OS lost', async () => {
    let greetings = 0;
    const s = await server({ greeting: () => profile(++greetings === 1 ? ID_A : ID_B) });
    const rec = recorder();
    const first = rec.next('user');
    const l = live({ resolve: async () => s.url, onEvent: rec.onEvent });
    l.start();
    await first;
    // The user changed while the stream was down: the reopened stream says so.
    const changed = rec.next('user');
    s.drop('user');
    expect((await changed).profile?.id).toBe(ID_B);
    expect(rec.events.map((e) => e.type)).toEqual(['connected', 'user', 'user']);
    expect(s.connections).toEqual({ health: 1, user: 2 });
    expect(l.invalidations.count).toBe(0);
    expect(l.status().mode).toBe('live');
  });

  it('retryNow tries the streams again from polling mode', async () => {
    const s = await server({ health: 'missing' });
    const rec = recorder();
    const polling = rec.next('polling');
    const l = live({ resolve: async () => s.url, onEvent: rec.onEvent });
    l.start();
    await polling;
    const again = rec.next('polling');
    l.retryNow();
    await again;
    expect(l.invalidations.count).toBe(1);
  });

  it('stop closes every socket, watcher and timer', async () => {
    const home = await tempHome();
    const portFile = portFilePath(home, 'linux');
    await mkdir(path.dirname(portFile), { recursive: true });
    const s = await server({ greeting: () => profile(ID_A) });
    const handles = () =>
      process
        .getActiveResourcesInfo()
        .filter((r) => ['FSEventWrap', 'Timeout', 'Immediate', 'TCPSocketWrap'].includes(r))
        .sort();
    const before = handles();
    const rec = recorder();
    const user = rec.next('user');
    const l = live({
      resolve: async () => s.url,
      onEvent: rec.onEvent,
      portFiles: [portFile],
    });
    l.start();
    await user;
    expect(handles()).toContain('FSEventWrap');
    await l.stop();
    await s.allClosed();
    expect(s.clients('health')).toHaveLength(0);
    expect(s.clients('user')).toHaveLength(0);
    // Per kind, no more than before (a timer of an earlier test may have ended meanwhile).
    const count = (list: string[], kind: string) => list.filter((k) => k === kind).length;
    const after = handles();
    for (const kind of new Set([...before, ...after])) {
      expect({ kind, n: count(after, kind) }).toEqual({
        kind,
        n: Math.min(count(after, kind), count(before, kind)),
      });
    }
    expect(l.status().mode).toBe('stopped');
    // Nothing more is reported, whatever happens next.
    const seen = rec.events.length;
    await writeFile(portFile, '1234');
    s.sendUser(profile(ID_B));
    await l.stop();
    expect(rec.events).toHaveLength(seen);
  });
});

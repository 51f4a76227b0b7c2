import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { userIdForEmail } from './ids';
import { startEmulator, type Emulator } from './server';
import type { WireUserProfile } from './wire';

// Drives both WebSocket streams with a plain `ws` client, reading them the way Pieces' Python SDK
// does: AuthWS parses each user stream message as a UserProfile and takes anything that is not
// JSON (the empty message) as "logged out"; HealthWS takes a message starting with "ok" as healthy
// and a close as "Pieces OS went away".

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterEach(async () => {
  emu.reset();
  emu.dropStreams();
});
afterAll(() => emu.close());

/** What AuthWS makes of a message: the profile, or null for "logged out". */
function authWsRead(message: string): WireUserProfile | null {
  try {
    return JSON.parse(message) as WireUserProfile;
  } catch {
    return null;
  }
}

/** A stream client that queues messages, so a test awaits the next one instead of sleeping. */
class StreamReader {
  readonly socket: WebSocket;
  readonly messages: string[] = [];
  private waiters: (() => void)[] = [];
  private read = 0;
  readonly closed: Promise<number>;
  /** Resolves with the HTTP status when the upgrade is refused. */
  readonly refused: Promise<number>;

  constructor(path: string) {
    this.socket = new WebSocket(emu.url.replace('http:', 'ws:') + path);
    this.socket.on('message', (data: Buffer) => {
      this.messages.push(data.toString());
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => this.socket.on('close', (code) => resolve(code)));
    this.refused = new Promise((resolve) =>
      this.socket.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
      }),
    );
  }

  /** The next message not read yet. */
  async next(): Promise<string> {
    while (this.read >= this.messages.length) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.messages[this.read++] ?? '';
  }

  /** Waits until `count` messages arrived in total. */
  async received(count: number): Promise<void> {
    while (this.messages.length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

const userStream = (): StreamReader => new StreamReader('/user/stream');
const healthStream = (): StreamReader => new StreamReader('/.well-known/stream/health');
const post = (path: string, body?: unknown): Promise<Response> =>
  fetch(emu.url + path, {
    method: 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('/user/stream', () => {
  it('sends the current profile on connect, then every change of the current user', async () => {
    const reader = userStream();
    const [first] = emu.users() as WireUserProfile[];
    expect(authWsRead(await reader.next())).toEqual(first);

    await post('/users/authenticate/from_token', emu.mintToken({ email: 'stream@example.com' }));
    expect(authWsRead(await reader.next())?.id).toBe(userIdForEmail('stream@example.com'));

    await post('/os/sign_out');
    expect(await reader.next()).toBe('');
    expect(authWsRead('')).toBeNull();

    const signIn = post('/os/sign_in');
    await emu.whenSignInPending();
    emu.completeSignIn({ id: first?.id });
    expect(authWsRead(await reader.next())).toEqual(first);
    expect((await signIn).status).toBe(200);

    await post(`/users/${first?.id}/disconnect`);
    expect(await reader.next()).toBe('');
    // Nothing changed in between: exactly one message per change.
    expect(reader.messages).toHaveLength(5);
  });

  it('says nothing when the current user does not change', async () => {
    const reader = userStream();
    await reader.next();
    const [first, second] = emu.users() as WireUserProfile[];
    // Signing in the current user again, or disconnecting someone else, changes nothing...
    await post('/users/authenticate/from_token', emu.mintToken({ email: first?.email ?? '' }));
    await post(`/users/${second?.id}/disconnect`);
    // ...so the next message is the one for the next real change.
    await post('/os/sign_out');
    expect(await reader.next()).toBe('');
    expect(reader.messages).toHaveLength(2);
  });

  it('sends an empty message on connect when nobody is signed in', async () => {
    await post('/os/sign_out');
    const reader = userStream();
    expect(await reader.next()).toBe('');
  });

  it('sends what a test asks: a message that is not a profile, a burst of 1,000', async () => {
    const reader = userStream();
    await reader.next();
    expect(emu.sendToStream('user', 'not a profile')).toBe(1);
    expect(await reader.next()).toBe('not a profile');
    expect(authWsRead('not a profile')).toBeNull();
    const unknown = { ...(emu.users()[0] as object), id: userIdForEmail('ghost@example.com') };
    const res = await post('/__emulator/streams/send', {
      stream: 'user',
      message: JSON.stringify(unknown),
      times: 1000,
    });
    expect(await res.json()).toEqual({ sockets: 1 });
    await reader.received(1002);
    expect(new Set(reader.messages.slice(2))).toEqual(new Set([JSON.stringify(unknown)]));
  });
});

describe('/.well-known/stream/health', () => {
  it('says ok on connect', async () => {
    const reader = healthStream();
    expect((await reader.next()).toLowerCase().startsWith('ok')).toBe(true);
  });

  it('sends ok every healthIntervalMs when asked', async () => {
    const ticking = await startEmulator({ healthIntervalMs: 20 });
    try {
      const socket = new WebSocket(
        ticking.url.replace('http:', 'ws:') + '/.well-known/stream/health',
      );
      const three = new Promise<string[]>((resolve) => {
        const got: string[] = [];
        socket.on('message', (data: Buffer) => {
          got.push(data.toString());
          if (got.length === 3) resolve(got);
        });
      });
      expect(await three).toEqual(['ok', 'ok', 'ok']);
      socket.close();
    } finally {
      await ticking.close();
    }
  });
});

describe('both streams', () => {
  it('close at once when the emulator stops, and work again after start', async () => {
    const user = userStream();
    const health = healthStream();
    await Promise.all([user.next(), health.next()]);
    expect(emu.streamClients('user')).toBe(1);
    await emu.stop();
    // No close handshake: the socket just goes, as when the Pieces OS process quits.
    expect(await user.closed).toBe(1006);
    expect(await health.closed).toBe(1006);
    await emu.start();
    const again = healthStream();
    expect(await again.next()).toBe('ok');
  });

  it('answer the upgrade with 404 when switched off, like an older Pieces OS', async () => {
    const old = await startEmulator({ features: { userStream: false, healthStream: false } });
    try {
      for (const path of ['/user/stream', '/.well-known/stream/health']) {
        const socket = new WebSocket(old.url.replace('http:', 'ws:') + path);
        const status = await new Promise<number | undefined>((resolve) => {
          socket.on('unexpected-response', (_req, res) => resolve(res.statusCode));
          socket.on('open', () => resolve(101));
          socket.on('error', () => undefined);
        });
        expect(status, path).toBe(404);
        socket.terminate();
      }
    } finally {
      await old.close();
    }
    // Switched off at run time: open sockets close, new upgrades get 404.
    const reader = userStream();
    await reader.next();
    emu.setFeatures({ userStream: false });
    expect(await reader.closed).toBe(1006);
    expect(await userStream().refused).toBe(404);
    expect((await fetch(`${emu.url}/user/stream`)).status).toBe(404);
    emu.setFeatures({ userStream: true });
    expect((await fetch(`${emu.url}/user/stream`)).status).toBe(426);
  });

  it('take faults: a health stream that never says ok, a socket that drops after opening', async () => {
    await post('/__emulator/streams/faults', { health: { silent: true } });
    const silent = healthStream();
    await new Promise((resolve) => silent.socket.once('open', resolve));
    emu.setStreamFaults({});
    const normal = healthStream();
    expect(await normal.next()).toBe('ok');
    // Periodic and test messages skip the silent socket too.
    expect(emu.sendToStream('health', 'ok')).toBe(1);
    expect(await normal.next()).toBe('ok');
    emu.dropStreams('health');
    await silent.closed;
    expect(silent.messages).toEqual([]);

    emu.setStreamFaults({ user: { dropAfterOpen: true } });
    const dropped = userStream();
    expect(authWsRead(await dropped.next())?.id).toBe(emu.currentUserId());
    expect(await dropped.closed).toBe(1006);
    expect(dropped.messages).toHaveLength(1);
  });

  it('refuses unknown paths and bad stream faults', async () => {
    const reader = new StreamReader('/nope/stream');
    expect(await reader.refused).toBe(404);
    expect(() => emu.setStreamFaults({ health: { quiet: true } as never })).toThrow(/quiet/);
    expect((await post('/__emulator/streams/faults', { both: {} })).status).toBe(400);
    expect((await post('/__emulator/streams/send', { stream: 'user' })).status).toBe(400);
  });
});

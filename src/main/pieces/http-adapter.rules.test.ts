// The lean adapter's rules one at a time, called as axios calls it, against real loopback servers:
// where a request goes, which headers it carries, when it is sent again (and when not), how each
// failure is named, bodies compressed, cut short or too large, the connection check, and closing.
// Written for the mutants that survived the run in docs/mutation.md.
import { getEventListeners, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { InternalAxiosRequestConfig } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AdapterFailure,
  createLeanAdapter,
  type LeanAdapter,
  type ReceivedBody,
} from './http-adapter';

interface Served {
  url: string;
  port: number;
  /** Each request that reached the server: method and path. */
  seen: { method: string; path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

const open: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function serve(
  handle: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void,
  host = '127.0.0.1',
): Promise<Served> {
  const seen: Served['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    handle(req, res, seen.length);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  open.push(close);
  const shown = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shown}:${port}`, port, seen, close };
}

function lean(maxBodyBytes = 64): LeanAdapter {
  const made = createLeanAdapter({ maxBodyBytes, idleSocketMs: 60_000 });
  open.push(() => made.destroy());
  return made;
}

type Call = Partial<Omit<InternalAxiosRequestConfig, 'headers'>> & {
  headers?: Record<string, unknown>;
};
const call = (adapter: LeanAdapter, config: Call) =>
  adapter.adapter({ headers: {}, ...config } as unknown as InternalAxiosRequestConfig) as Promise<{
    status: number;
    data: ReceivedBody;
  }>;

/** The failure a call ends with (a call that answers fails the test). */
const failure = (pending: Promise<unknown>) =>
  pending.then(
    () => {
      throw new Error('the call answered');
    },
    (err: unknown) => {
      if (!(err instanceof AdapterFailure)) throw err;
      return err;
    },
  );

const said = (err: AdapterFailure) => ({
  reason: err.reason,
  message: err.message,
  code: err.code,
});

describe('where a request goes', () => {
  it('a base with a path and no url goes to that path; a relative url is joined with a slash', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const adapter = lean();
    await call(adapter, { baseURL: `${server.url}/api`, method: 'get' });
    await call(adapter, { baseURL: `${server.url}/api`, url: 'users?page=2', method: 'get' });
    expect(server.seen.map((s) => s.path)).toEqual(['/api/', '/api/users?page=2']);
  });

  it('an absolute url to an IPv6 loopback address keeps its path and query', async () => {
    const server = await serve((_req, res) => res.end('ok'), '::1');
    const answer = await call(lean(), { url: `${server.url}/users?page=2`, method: 'get' });
    expect(answer.data.text).toBe('ok');
    expect(server.seen.map((s) => s.path)).toEqual(['/users?page=2']);
  });

  it('refuses a protocol other than http and https, in words', async () => {
    const err = await failure(call(lean(), { url: 'ftp://127.0.0.1/file', method: 'get' }));
    expect(err.name).toBe('AdapterFailure');
    expect(said(err)).toEqual({
      reason: 'network',
      message: 'Unsupported protocol ftp:',
      code: 'EPROTO',
    });
  });

  it('without a method, sends a GET on a kept-alive connection', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    await call(lean(), { url: `${server.url}/ping` });
    expect(server.seen.map((s) => [s.method, s.headers.connection])).toEqual([
      ['GET', 'keep-alive'],
    ]);
  });

  it('sends a header given as a list as one comma-separated value', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    await call(lean(), {
      url: `${server.url}/ping`,
      method: 'get',
      headers: { 'x-list': ['a', 'b'], 'x-none': null, 'x-off': false },
    });
    const headers = server.seen[0]!.headers;
    expect(headers['x-list']).toBe('a, b');
    expect(headers).not.toHaveProperty('x-none');
    expect(headers).not.toHaveProperty('x-off');
  });
});

describe('when a request is sent again', () => {
  it('a GET reset on a new connection is not sent again', async () => {
    const server = await serve((req) => req.socket.destroy());
    const err = await failure(call(lean(), { url: `${server.url}/users`, method: 'get' }));
    expect(said(err)).toMatchObject({ reason: 'network', code: 'ECONNRESET' });
    expect(server.seen).toHaveLength(1);
  });

  it('a GET that gets garbage on a reused connection is not sent again', async () => {
    const server = await serve((req, res, n) => {
      if (n === 2) req.socket.end('NOT HTTP AT ALL\r\n\r\n');
      else res.end('ok');
    });
    const adapter = lean();
    await call(adapter, { url: `${server.url}/warm`, method: 'get' });
    const err = await failure(call(adapter, { url: `${server.url}/users`, method: 'get' }));
    expect(err.reason).toBe('network');
    expect(err.code).toMatch(/^HPE_/);
    expect(server.seen.map((s) => s.path)).toEqual(['/warm', '/users']);
  });

  it('a GET reset on a reused connection is sent once more, not twice', async () => {
    // Two kept-alive connections: the first two requests are answered only when both arrived.
    let both!: () => void;
    const arrived = new Promise<void>((resolve) => (both = resolve));
    const server = await serve((req, res, n) => {
      if (n <= 2) {
        if (n === 2) both();
        void arrived.then(() => res.end('ok'));
      } else req.socket.destroy();
    });
    const adapter = lean();
    await Promise.all([
      call(adapter, { url: `${server.url}/a`, method: 'get' }),
      call(adapter, { url: `${server.url}/b`, method: 'get' }),
    ]);
    const err = await failure(call(adapter, { url: `${server.url}/users`, method: 'get' }));
    expect(said(err)).toMatchObject({ reason: 'network', code: 'ECONNRESET' });
    expect(server.seen.map((s) => s.path)).toEqual(['/a', '/b', '/users', '/users']);
  });

  it('a cancelled GET on a reused connection is not sent again', async () => {
    let asked!: (socket: Socket) => void;
    const held = new Promise<Socket>((resolve) => (asked = resolve));
    const server = await serve((req, res) => {
      if (req.url === '/hold') asked(req.socket);
      else res.end('ok');
    });
    const adapter = lean();
    await call(adapter, { url: `${server.url}/warm`, method: 'get' });
    const controller = new AbortController();
    const pending = failure(
      call(adapter, { url: `${server.url}/hold`, method: 'get', signal: controller.signal }),
    );
    const holding = await held;
    controller.abort();
    expect((await pending).reason).toBe('cancelled');
    // Once the server sees the connection closed, the client has handled its close: no request
    // may be on its way (a new attempt would hold a socket of the agent).
    await once(holding, 'close');
    expect(Object.values(adapter.agents.http.sockets).flat()).toHaveLength(0);
    await call(adapter, { url: `${server.url}/after`, method: 'get' });
    expect(server.seen.map((s) => s.path)).toEqual(['/warm', '/hold', '/after']);
  });
});

describe('how a failure is named', () => {
  it('nothing listening: a network failure with its code', async () => {
    const server = await serve((_req, res) => res.end());
    await server.close();
    const err = await failure(call(lean(), { url: `${server.url}/users`, method: 'get' }));
    expect(said(err)).toMatchObject({ reason: 'network', code: 'ECONNREFUSED' });
  });

  it('no answer within the deadline: a timeout that says the deadline', async () => {
    const server = await serve(() => {});
    const err = await failure(
      call(lean(), { url: `${server.url}/users`, method: 'get', timeout: 300 }),
    );
    expect(said(err)).toEqual({
      reason: 'timeout',
      message: 'No answer within 300 ms.',
      code: undefined,
    });
  });

  it('a compressed body that does not decompress: a network failure', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end('this is not gzip');
    });
    const err = await failure(call(lean(), { url: `${server.url}/users`, method: 'get' }));
    expect(said(err)).toMatchObject({ reason: 'network', code: 'Z_DATA_ERROR' });
  });

  it('a body declared larger than the limit is refused before it arrives, in words', async () => {
    // 10 bytes of the 1000 declared, then the connection closes: only the declared size tells.
    const server = await serve((req) =>
      req.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789'),
    );
    const err = await failure(call(lean(64), { url: `${server.url}/users`, method: 'get' }));
    expect(said(err)).toEqual({
      reason: 'too-large',
      message: 'The body is larger than 64 bytes.',
      code: undefined,
    });
  });

  it('a compressed response cut short: the server aborted it', async () => {
    // Compressed, the body's own stream is the decompressor, which never hears of the cut.
    const sent = gzipSync(Buffer.alloc(40, 'a'));
    const server = await serve((req) => {
      req.socket.write(
        `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${sent.length}\r\n\r\n`,
      );
      req.socket.end(sent.subarray(0, 10));
    });
    const err = await failure(call(lean(64), { url: `${server.url}/users`, method: 'get' }));
    expect(said(err)).toEqual({
      reason: 'network',
      message: 'The server aborted the response.',
      code: 'ECONNRESET',
    });
  });

  it('a connection check that fails: refused in words, and nothing is sent', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const err = await failure(
      call(lean(), {
        url: `${server.url}/users`,
        method: 'get',
        timeout: 5_000,
        peer: () => Promise.reject(new Error('no port table')),
      }),
    );
    expect(said(err)).toEqual({
      reason: 'refused',
      message: 'Could not tell who answers on this connection: no port table',
      code: undefined,
    });
    expect(server.seen).toHaveLength(0);
  });
});

describe('bodies', () => {
  const body = Buffer.from(
    JSON.stringify({ iterable: Array.from({ length: 3000 }, (_, i) => ({ id: `u${i}` })) }),
  );

  it.each([
    ['br', brotliCompressSync],
    ['deflate', deflateSync],
    ['gzip', gzipSync],
  ] as const)(
    'a %s body with its length declared is given decompressed',
    async (encoding, compress) => {
      const server = await serve((_req, res) => {
        const sent = compress(body);
        res.writeHead(200, { 'content-encoding': encoding, 'content-length': sent.length });
        res.end(sent);
      });
      const answer = await call(lean(1_000_000), { url: `${server.url}/users`, method: 'get' });
      expect(answer.data.bytes.equals(body)).toBe(true);
    },
  );

  it('a long body that differs from last time only at its end is exactly the new bytes', async () => {
    // A megabyte arrives in many chunks: the first ones match last time's body, the last does not.
    const before = Buffer.alloc(1_000_000, 'abcdefgh');
    const after = Buffer.from(before);
    after[after.length - 1] = 0x7a;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': after.length });
      res.end(after);
    });
    const answer = await call(lean(2_000_000), {
      url: `${server.url}/users`,
      method: 'get',
      sameAs: before,
    });
    expect(answer.data.bytes).not.toBe(before);
    expect(answer.data.bytes.length).toBe(after.length);
    expect(answer.data.bytes.equals(after)).toBe(true);
  });
});

describe('listeners and sockets', () => {
  it('an answered call leaves no listener on its cancel signal', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const controller = new AbortController();
    await call(lean(), { url: `${server.url}/users`, method: 'get', signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('destroy closes the kept-alive sockets', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const adapter = lean();
    const freed = once(adapter.agents.http, 'free');
    await call(adapter, { url: `${server.url}/users`, method: 'get' });
    const [socket] = (await freed) as [Socket];
    expect(socket.destroyed).toBe(false);
    adapter.destroy();
    expect(socket.destroyed).toBe(true);
  });
});

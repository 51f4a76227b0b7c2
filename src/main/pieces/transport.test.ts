// The request path's connection behaviour against real loopback servers: keep-alive reuse, a
// reused socket the server closed, the body cap, no redirects, no proxy. (Endpoint behaviour,
// deadlines and cancellation are pinned in client.test.ts and test/fault-matrix.test.ts.)
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator/server';
import { createBaseUrlResolver } from './base-url';
import { createPiecesClient } from './client';
import { createLeanAdapter, type ReceivedBody } from './http-adapter';
import { createTransport, type Transport } from './transport';
import { piecesFailure } from '../../../test/support/pieces-failure';

interface TestServer {
  url: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Requests that reached the handler, in order. */
  seen: string[];
  close(): Promise<void>;
}

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function serve(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, nth: number) => void,
): Promise<TestServer> {
  let connections = 0;
  const seen: string[] = [];
  const perSocket = new WeakMap<Socket, number>();
  const server = http.createServer((req, res) => {
    const nth = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, nth);
    seen.push(`${req.method} ${req.url}`);
    handler(req, res, nth);
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const s: TestServer = {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  open.push(s);
  return s;
}

function transport(opts?: { maxBodyBytes?: number }): Transport {
  const t = createTransport(5_000, opts);
  open.push(t);
  return t;
}

const okJson = (res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
};

describe('keep-alive', () => {
  it('sends sequential requests over one connection', async () => {
    const server = await serve((_req, res) => okJson(res));
    const t = transport();
    for (let i = 0; i < 5; i++) {
      const res = await t.send({ baseUrl: server.url, method: 'GET', path: '/users' });
      expect(res.text).toBe('{"ok":true}');
    }
    expect(server.connections()).toBe(1);
  });

  it('sends a GET again on a new connection when the server closed the reused one', async () => {
    // The server drops every second request on a connection without answering, as a server
    // does that closes an idle connection just as the client reuses it.
    const server = await serve((req, res, nth) => {
      if (nth > 1) req.socket.destroy();
      else okJson(res);
    });
    const t = transport();
    for (let i = 0; i < 4; i++) {
      const res = await t.send({ baseUrl: server.url, method: 'GET', path: '/users' });
      expect(res.status).toBe(200);
    }
    expect(server.connections()).toBeGreaterThan(1);
  });

  it('does not send a POST twice: a closed reused connection is reported as unreachable', async () => {
    const server = await serve((req, res, nth) => {
      if (nth > 1) req.socket.destroy();
      else okJson(res);
    });
    const t = transport();
    await t.send({ baseUrl: server.url, method: 'GET', path: '/users' });
    // Right after: the kept-alive socket is trusted, and the server drops it.
    const err = await piecesFailure(
      t.send({ baseUrl: server.url, method: 'POST', path: '/users/x/disconnect' }),
    );
    expect(err.kind).toBe('unreachable');
    expect(server.seen).toEqual(['GET /users', 'POST /users/x/disconnect']);
  });

  it('still reports a server that drops every request as unreachable (one retry only)', async () => {
    const server = await serve((req, res, nth) => {
      if (server.seen.length > 1 || nth > 1) req.socket.destroy();
      else okJson(res);
    });
    const t = transport();
    await t.send({ baseUrl: server.url, method: 'GET', path: '/users' });
    const err = await piecesFailure(t.send({ baseUrl: server.url, method: 'GET', path: '/users' }));
    expect(err.kind).toBe('unreachable');
    expect(server.seen).toHaveLength(3);
  });

  it('lets an answer take longer than the idle-socket timeout (that one is for idle sockets)', async () => {
    let answer!: () => void;
    const asked = new Promise<void>((resolve) => {
      void serve((_req, res) => {
        answer = () => okJson(res);
        resolve();
      }).then((server) => {
        pending = client.get<ReceivedBody>(`${server.url}/users`, { timeout: 5_000 });
      });
    });
    const lean = createLeanAdapter({ maxBodyBytes: 1024, idleSocketMs: 20 });
    open.push({ close: () => lean.destroy() });
    const client = axios.create({ adapter: lean.adapter });
    let pending!: Promise<{ status: number; data: ReceivedBody }>;
    await asked;
    // Answered only after the busy socket has passed the idle timeout (its 'timeout' event).
    const [socket] = Object.values(lean.agents.http.sockets).flat();
    await new Promise((resolve) => socket!.once('timeout', resolve));
    answer();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.data.text).toBe('{"ok":true}');
  });

  it('survives the emulator restarting between calls', async () => {
    const emu = await startEmulator({ users: 2, seed: 3 });
    open.push(emu);
    const client = createPiecesClient({
      resolver: createBaseUrlResolver({ setting: () => emu.url, env: {} }),
    });
    expect(await client.listUsers()).toHaveLength(2);
    // stop() closes every connection, the kept-alive one included.
    await emu.stop();
    await emu.start();
    expect(await client.listUsers()).toHaveLength(2);
  });
});

describe('what the transport refuses to do', () => {
  it('stops reading a body over the cap, whether its length is declared or not', async () => {
    const big = 'x'.repeat(4096);
    const server = await serve((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-length': big.length });
      else res.writeHead(200); // chunked, no length
      res.end(big);
    });
    const t = transport({ maxBodyBytes: 1024 });
    for (const path of ['/declared', '/chunked']) {
      const err = await piecesFailure(t.send({ baseUrl: server.url, method: 'GET', path }));
      expect(err.kind).toBe('bad-response');
      expect(err.message).toBe(`Pieces OS sent a body larger than 1 kB (GET ${path}).`);
    }
  });

  it('returns a redirect as it is, without following it', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/users') {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
      } else okJson(res);
    });
    const res = await transport().send({ baseUrl: server.url, method: 'GET', path: '/users' });
    expect(res.status).toBe(302);
    expect(server.seen).toEqual(['GET /users']);
  });

  it('ignores HTTP_PROXY: requests go straight to Pieces OS', async () => {
    const proxy = await serve((_req, res) => {
      res.writeHead(502);
      res.end('proxied');
    });
    const server = await serve((_req, res) => okJson(res));
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy };
    process.env.HTTP_PROXY = proxy.url;
    process.env.http_proxy = proxy.url;
    try {
      const res = await transport().send({ baseUrl: server.url, method: 'GET', path: '/users' });
      expect(res.status).toBe(200);
      expect(proxy.seen).toEqual([]);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

// What the transport says when a request fails below HTTP, in the words people see, and what it
// sends: each case against a real loopback server (or a closed port). transport.test.ts has
// keep-alive, the body cap and proxies; client.test.ts the same failures through the client.
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../../test/support/ports';
import { createTransport, type Transport } from './transport';
import { piecesFailure } from '../../../test/support/pieces-failure';

const servers: net.Server[] = [];
const transports: Transport[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) t.close();
  await Promise.all(
    servers.splice(0).map((s) => {
      if (s instanceof http.Server) s.closeAllConnections();
      return new Promise((resolve) => s.close(resolve));
    }),
  );
});

interface Seen {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback HTTP server; `handle` answers (or not). Records what it was sent. */
async function server(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', headers: req.headers, body });
      handle(req, res);
    });
  });
  servers.push(s);
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen, server: s };
}

function transport(timeoutMs = 10_000, maxBodyBytes?: number): Transport {
  const t = createTransport(timeoutMs, maxBodyBytes === undefined ? {} : { maxBodyBytes });
  transports.push(t);
  return t;
}

describe('what the transport sends', () => {
  it('a GET without a body or content type, a POST with its JSON body', async () => {
    const s = await server((_req, res) => res.end('ok'));
    const t = transport();
    await t.send({ baseUrl: s.url, method: 'GET', path: '/users' });
    await t.send({ baseUrl: s.url, method: 'POST', path: '/x', body: { a: [1, 'b'] } });
    const [get, post] = s.seen;
    expect(get?.headers['content-type']).toBeUndefined();
    expect(get?.body).toBe('');
    expect(post?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(post?.body ?? '')).toEqual({ a: [1, 'b'] });
  });

  it('gives back an error status with its text, as an answer', async () => {
    const s = await server((_req, res) => {
      res.writeHead(500);
      res.end('broken');
    });
    const res = await transport().send({ baseUrl: s.url, method: 'GET', path: '/users' });
    expect([res.status, res.text]).toEqual([500, 'broken']);
  });

  it('lets a bug surface as itself, not as "unreachable"', async () => {
    const s = await server((_req, res) => res.end('ok'));
    const sending = transport().send({ baseUrl: s.url, method: 'POST', path: '/x', body: 1n });
    await expect(sending).rejects.toThrow(TypeError);
  });
});

describe('failures in words', () => {
  it('says nobody is listening, without a code for a refused connection', async () => {
    const base = `http://127.0.0.1:${await closedPort()}`;
    const err = await piecesFailure(
      transport().send({ baseUrl: base, method: 'GET', path: '/users' }),
    );
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(`Pieces OS is not reachable at ${base}.`);
  });

  it('names an unusual failure by its code', async () => {
    const base = 'ftp://127.0.0.1:39300';
    const err = await piecesFailure(
      transport().send({ baseUrl: base, method: 'GET', path: '/users' }),
    );
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(`Pieces OS is not reachable at ${base}. (EPROTO)`);
  });

  it('says the server hung up without answering', async () => {
    const s = net.createServer((socket) => socket.once('data', () => socket.destroy()));
    servers.push(s);
    s.listen(0, '127.0.0.1');
    await once(s, 'listening');
    const base = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    const err = await piecesFailure(
      transport().send({ baseUrl: base, method: 'POST', path: '/x' }),
    );
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(
      `Pieces OS is not reachable at ${base}. It closed the connection without answering.`,
    );
  });

  it('says how long it waited, in ms below a second and in seconds above', async () => {
    const s = await server(() => undefined); // never answers
    const t = transport(300);
    const send = (timeoutMs?: number) =>
      piecesFailure(t.send({ baseUrl: s.url, method: 'GET', path: '/users', timeoutMs }));
    const waited = async (timeoutMs?: number) => {
      const err = await send(timeoutMs);
      expect(err.kind).toBe('timeout');
      return err.message;
    };
    expect(await waited()).toBe(`Pieces OS at ${s.url} did not answer within 300 ms (GET /users).`);
    expect(await waited(1000)).toBe(
      `Pieces OS at ${s.url} did not answer within 1 s (GET /users).`,
    );
    expect(await waited(1500)).toBe(
      `Pieces OS at ${s.url} did not answer within 1.5 s (GET /users).`,
    );
  });

  it('says a body is too large in kB or MB', async () => {
    const big = Buffer.alloc(1_700_000, 'x');
    const s = await server((_req, res) => res.end(big));
    const tooLarge = async (max: number) => {
      const err = await piecesFailure(
        transport(10_000, max).send({ baseUrl: s.url, method: 'GET', path: '/users' }),
      );
      expect(err.kind).toBe('bad-response');
      return err.message;
    };
    expect(await tooLarge(1536)).toBe('Pieces OS sent a body larger than 1.5 kB (GET /users).');
    expect(await tooLarge(1 << 20)).toBe('Pieces OS sent a body larger than 1 MB (GET /users).');
    expect(await tooLarge(1.5 * (1 << 20))).toBe(
      'Pieces OS sent a body larger than 1.5 MB (GET /users).',
    );
  });

  it('says a request was cancelled, before sending or while waiting', async () => {
    const s = await server(() => undefined);
    const t = transport();
    const before = await piecesFailure(
      t.send({ baseUrl: s.url, method: 'GET', path: '/users', signal: AbortSignal.abort() }),
    );
    expect([before.kind, before.message]).toEqual([
      'cancelled',
      'The request was cancelled (GET /users).',
    ]);
    expect(s.seen).toEqual([]);
    const stop = new AbortController();
    s.server.once('request', () => stop.abort());
    const during = await piecesFailure(
      t.send({ baseUrl: s.url, method: 'POST', path: '/x', signal: stop.signal }),
    );
    expect([during.kind, during.message]).toEqual([
      'cancelled',
      'The request was cancelled (POST /x).',
    ]);
  });
});
